package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RNNCell, LSTMCell and GRUCell against PyTorch (cells.safetensors): init, repr, outputs, gradients. */
class CellTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = CellTest.class.getResourceAsStream("/goldens/cells.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, Supplier<RNNCellBase>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("RNNCell", () -> new RNNCell(4, 3));
        CASES.put("RNNCell_relu_nobias", () -> new RNNCell(4, 3, false, Nonlinearity.RELU, DType.FLOAT32));
        CASES.put("GRUCell", () -> new GRUCell(4, 3));
        CASES.put("LSTMCell", () -> new LSTMCell(4, 3));
        CASES.put("LSTMCell_unbatched", () -> new LSTMCell(4, 3));
        CASES.put("GRUCell_unbatched_nobias", () -> new GRUCell(4, 3, false, DType.FLOAT32));
    }

    static Map<String, Tensor> prefixed(String p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        G.forEach((k, v) -> {
            if (k.startsWith(p)) {
                m.put(k.substring(p.length()), v);
            }
        });
        return m;
    }

    static Tensor run(RNNCellBase m, Tensor x, Tensor h, Tensor c) {
        Tensor w = Torch.linspace(-1, 1, 3, DType.FLOAT64);
        if (m instanceof LSTMCell l) {
            Tensor[] hc = l.forward(x, new Tensor[] {h, c});
            return hc[0].mul(w).sum().add(hc[1].mul(hc[1]).sum());
        }
        return m.forward(x, h).mul(w).sum();
    }

    @Test
    void cellsMatchPyTorch() {
        for (var e : CASES.entrySet()) {
            String name = e.getKey();
            Torch.manualSeed(100);
            RNNCellBase fresh = e.getValue().get();
            assertEquals(META.get(name + ".repr"), fresh.toString(), name);
            for (var p : prefixed(name + ".init.").entrySet()) {
                assertTrue(p.getValue().allclose(fresh.stateDict().get(p.getKey()), 1e-6, 1e-7), name + " init");
            }
            RNNCellBase m = e.getValue().get();
            m.float64();
            m.loadStateDict(prefixed(name + ".state."));
            Tensor x = G.get(name + ".x").clone().requiresGrad_(true);
            Tensor h = G.get(name + ".h").clone().requiresGrad_(true);
            Tensor c = G.get(name + ".c").clone().requiresGrad_(true);
            if (m instanceof LSTMCell l) {
                Tensor[] hc = l.forward(x, new Tensor[] {h, c});
                assertTrue(G.get(name + ".out_h").allclose(hc[0], 1e-10, 1e-12), name + " h");
                assertTrue(G.get(name + ".out_c").allclose(hc[1], 1e-10, 1e-12), name + " c");
            } else {
                assertTrue(G.get(name + ".out_h").allclose(m.forward(x, h), 1e-10, 1e-12), name + " h");
            }
            run(m, x, h, c).backward();
            assertTrue(G.get(name + ".grad_x").allclose(x.grad(), 1e-10, 1e-12), name + " grad x");
            assertTrue(G.get(name + ".grad_h").allclose(h.grad(), 1e-10, 1e-12), name + " grad h");
            if (G.containsKey(name + ".grad_c")) {
                assertTrue(G.get(name + ".grad_c").allclose(c.grad(), 1e-10, 1e-12), name + " grad c");
            }
            for (var p : m.namedParameters().entrySet()) {
                assertTrue(G.get(name + ".grad." + p.getKey()).allclose(p.getValue().grad(), 1e-10, 1e-12),
                        name + " grad " + p.getKey());
            }
            Tensor gx = G.get(name + ".x").clone().requiresGrad_(true);
            Tensor gh = G.get(name + ".h").clone().requiresGrad_(true);
            Tensor gc = G.get(name + ".c").clone().requiresGrad_(true);
            assertTrue(Autograd.gradcheck(in -> run(m, in[0], in[1], in[2]), gx, gh, gc), name + " gradcheck");
        }
    }

    @Test
    void badInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GRUCell(4, 3).forward(Torch.ones(2, 5)));
        assertEquals("input has inconsistent input_size: got 5 expected 4", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new RNNCell(4, 3).forward(Torch.ones(2, 4), Torch.ones(3, 3)));
        assertEquals("Input batch size 2 doesn't match hidden0 batch size 3", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new LSTMCell(4, 3).forward(Torch.ones(2, 2, 4)));
        assertTrue(e3.getMessage().contains("Expected input to be 1-D or 2-D but received 3-D tensor"));
    }
}
