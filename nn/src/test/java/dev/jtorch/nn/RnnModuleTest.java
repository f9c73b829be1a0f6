package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.utils.rnn.PackedSequence;
import dev.jtorch.nn.utils.rnn.RnnUtils;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RNN, LSTM and GRU against PyTorch (rnn.safetensors): configurations of layers, directions, batch_first,
 * bias, projection, packed unsorted input, initial states, unbatched input and dropout in training;
 * outputs, h_n, c_n and the gradients of the input, the initial states and every parameter; init and repr.
 */
class RnnModuleTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;
    static final Map<String, Map<String, Tensor>> PT = new LinkedHashMap<>();

    static {
        try (InputStream in = RnnModuleTest.class.getResourceAsStream("/goldens/rnn.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = RnnModuleTest.class.getResourceAsStream("/goldens/rnn_states.pt")) {
            Map<?, ?> all = (Map<?, ?>) dev.jtorch.io.TorchLoad.load(in.readAllBytes());
            for (var e : all.entrySet()) {
                Map<String, Tensor> sd = new LinkedHashMap<>();
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> sd.put((String) k, (Tensor) v));
                PT.put((String) e.getKey(), sd);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Case(Supplier<RNNBase> ctor, boolean packed, boolean withState, boolean unbatched, boolean train) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("LSTM", new Case(() -> new LSTM(4, 3), false, false, false, false));
        CASES.put("LSTM_state", new Case(() -> new LSTM(4, 3), false, true, false, false));
        CASES.put("LSTM_2layers_bi", new Case(() -> new LSTM(4, 3, 2, true, false, 0, true, 0), false, true, false,
                false));
        CASES.put("LSTM_proj_batch_first", new Case(() -> new LSTM(4, 3, 1, true, true, 0, false, 2), false, true,
                false, false));
        CASES.put("LSTM_proj_bi_nobias", new Case(() -> new LSTM(4, 3, 2, false, false, 0, true, 2), false, true,
                false, false));
        CASES.put("LSTM_packed", new Case(() -> new LSTM(4, 3, 2, true, false, 0, true, 0), true, true, false, false));
        CASES.put("LSTM_packed_proj", new Case(() -> new LSTM(4, 3, 1, true, false, 0, false, 2), true, false, false,
                false));
        CASES.put("LSTM_unbatched", new Case(() -> new LSTM(4, 3, 2, true, false, 0, false, 0), false, true, true,
                false));
        CASES.put("LSTM_dropout_train", new Case(() -> new LSTM(4, 3, 3, true, false, 0.4, false, 0), false, false,
                false, true));
        CASES.put("GRU", new Case(() -> new GRU(4, 3), false, true, false, false));
        CASES.put("GRU_2layers_bi_batch_first", new Case(() -> new GRU(4, 3, 2, true, true, 0, true), false, true,
                false, false));
        CASES.put("GRU_packed_nobias", new Case(() -> new GRU(4, 3, 1, false, false, 0, true), true, true, false,
                false));
        CASES.put("GRU_unbatched", new Case(() -> new GRU(4, 3), false, false, true, false));
        CASES.put("RNN", new Case(() -> new RNN(4, 3), false, true, false, false));
        CASES.put("RNN_relu_2layers_bi", new Case(() -> new RNN(4, 3, 2, Nonlinearity.RELU, true, false, 0, true),
                false, true, false, false));
        CASES.put("RNN_packed_batch_first", new Case(() -> new RNN(4, 3, 1, Nonlinearity.TANH, true, true, 0, false),
                true, true, false, false));
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

    static void close(String what, Tensor e, Tensor a) {
        if (!java.util.Arrays.equals(e.shape(), a.shape())) {
            fail(what + ": shape " + java.util.Arrays.toString(a.shape()) + ", expected "
                    + java.util.Arrays.toString(e.shape()));
        }
        if (!e.allclose(a, 1e-10, 1e-12)) {
            fail(what + ": expected " + e + "\ngot " + a);
        }
    }

    /** Runs a case: {output (packed data for packed input), h_n, c_n}. */
    static Tensor[] run(RNNBase m, Case c, Tensor x, Tensor h0, Tensor c0) {
        Tensor[] hx = null;
        if (c.withState()) {
            hx = m instanceof LSTM ? new Tensor[] {h0, c0} : new Tensor[] {h0};
        }
        if (c.packed()) {
            PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {4, 5, 2}, m.batchFirst, false);
            RNNBase.PackedOutput o = m instanceof LSTM l ? l.forward(p, hx) : m instanceof GRU g ? g.forward(p, hx)
                    : ((RNN) m).forward(p, hx);
            return new Tensor[] {o.output().data(), o.hN(), o.cN()};
        }
        RNNBase.Output o = m instanceof LSTM l ? l.forward(x, hx) : m instanceof GRU g ? g.forward(x, hx)
                : ((RNN) m).forward(x, hx);
        return new Tensor[] {o.output(), o.hN(), o.cN()};
    }

    static Tensor loss(String name, Tensor[] o) {
        Tensor l = o[0].mul(G.get(name + ".w1")).sum().add(o[1].mul(G.get(name + ".w2")).sum());
        return o[2] == null ? l : l.add(o[2].mul(G.get(name + ".w3")).sum());
    }

    @TestFactory
    List<DynamicTest> everyConfigurationMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            String name = e.getKey();
            Case c = e.getValue();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Torch.manualSeed(100);
                RNNBase fresh = c.ctor().get();
                assertEquals(META.get(name + ".repr"), fresh.toString());
                Map<String, Tensor> init = prefixed(name + ".init.");
                assertEquals(META.get(name + ".keys"), String.join(",", fresh.stateDict().keySet()));
                for (var p : init.entrySet()) {
                    close(name + " init " + p.getKey(), p.getValue(), fresh.stateDict().get(p.getKey()));
                }
                RNNBase m = c.ctor().get();
                m.float64();
                m.loadStateDict(prefixed(name + ".state."));
                m.train(c.train());
                Tensor x = G.get(name + ".x").clone().requiresGrad_(true);
                Tensor h0 = G.get(name + ".h0").clone().requiresGrad_(true);
                Tensor c0 = G.get(name + ".c0").clone().requiresGrad_(true);
                Torch.manualSeed(11);
                Tensor[] o = run(m, c, x, h0, c0);
                close(name + " output", G.get(name + ".out"), o[0]);
                close(name + " h_n", G.get(name + ".hn"), o[1]);
                if (G.containsKey(name + ".cn")) {
                    close(name + " c_n", G.get(name + ".cn"), o[2]);
                }
                // the same weights through PyTorch's torch.save file give the same output
                RNNBase viaPt = c.ctor().get();
                viaPt.float64();
                viaPt.loadStateDict(PT.get(name));
                viaPt.train(c.train());
                Torch.manualSeed(11);
                close(name + " from PyTorch's .pt", o[0].detach(), run(viaPt, c, G.get(name + ".x"), G.get(name + ".h0"),
                        G.get(name + ".c0"))[0]);
                loss(name, o).backward();
                close(name + " grad x", G.get(name + ".grad_x"), x.grad());
                if (c.withState()) {
                    close(name + " grad h0", G.get(name + ".grad_h0"), h0.grad());
                    if (G.containsKey(name + ".grad_c0")) {
                        close(name + " grad c0", G.get(name + ".grad_c0"), c0.grad());
                    }
                }
                for (var p : m.namedParameters().entrySet()) {
                    close(name + " grad " + p.getKey(), G.get(name + ".grad." + p.getKey()), p.getValue().grad());
                }
            }));
        }
        assertEquals(16, tests.size());
        return tests;
    }

    /**
     * Every configuration again with the module, inputs and states on a second backend ({@link TestDevice}: the
     * fake device, or the real device the OpenCL module names): PyTorch's outputs and gradients, all on the device.
     */
    @Tag("device")
    @TestFactory
    List<DynamicTest> everyConfigurationOnASecondBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            String name = e.getKey();
            Case c = e.getValue();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try (var _ = TestDevice.install()) {
                    Device d = TestDevice.device();
                    RNNBase m = c.ctor().get();
                    m.float64();
                    m.loadStateDict(prefixed(name + ".state."));
                    m.to(d);
                    m.train(c.train());
                    Tensor x = G.get(name + ".x").to(d).requiresGrad_(true);
                    Tensor h0 = G.get(name + ".h0").to(d).requiresGrad_(true);
                    Tensor c0 = G.get(name + ".c0").to(d).requiresGrad_(true);
                    Torch.manualSeed(11);
                    Tensor[] o = run(m, c, x, h0, c0);
                    assertEquals(d, o[0].device(), name + ": output on the device");
                    close(name + " output", G.get(name + ".out"), o[0].cpu());
                    close(name + " h_n", G.get(name + ".hn"), o[1].cpu());
                    if (G.containsKey(name + ".cn")) {
                        close(name + " c_n", G.get(name + ".cn"), o[2].cpu());
                    }
                    Tensor[] w = {o[0], o[1], o[2]};
                    Tensor l = w[0].mul(G.get(name + ".w1").to(d)).sum().add(w[1].mul(G.get(name + ".w2").to(d)).sum());
                    if (w[2] != null) {
                        l = l.add(w[2].mul(G.get(name + ".w3").to(d)).sum());
                    }
                    l.backward();
                    close(name + " grad x", G.get(name + ".grad_x"), x.grad().cpu());
                    if (c.withState()) {
                        close(name + " grad h0", G.get(name + ".grad_h0"), h0.grad().cpu());
                        if (G.containsKey(name + ".grad_c0")) {
                            close(name + " grad c0", G.get(name + ".grad_c0"), c0.grad().cpu());
                        }
                    }
                    for (var p : m.namedParameters().entrySet()) {
                        assertEquals(d, p.getValue().grad().device(), name + ": grad on the device");
                        close(name + " grad " + p.getKey(), G.get(name + ".grad." + p.getKey()),
                                p.getValue().grad().cpu());
                    }
                }
            }));
        }
        return tests;
    }

    /** An unsorted packed batch on the second backend packs, runs and unpacks as on the CPU. */
    @Tag("device")
    @Test
    void packAndPadOnASecondBackend() throws Exception {
        Torch.manualSeed(3);
        LSTM cpu = new LSTM(4, 3, 1, true, true, 0, true, 0);
        cpu.float64();
        Tensor x = Torch.randn(3, 5, 4).float64();
        long[] lengths = {2, 5, 3};
        RnnUtils.Padded expected = RnnUtils.padPackedSequence(
                cpu.run(RnnUtils.packPaddedSequence(x, lengths, true, false), null, null).output(), true);
        try (var _ = TestDevice.install()) {
            Device d = TestDevice.device();
            LSTM m = new LSTM(4, 3, 1, true, true, 0, true, 0);
            m.float64();
            m.loadStateDict(cpu.stateDict());
            m.to(d);
            PackedSequence p = RnnUtils.packPaddedSequence(x.to(d), lengths, true, false);
            assertEquals(d, p.sortedIndices().device(), "sorted_indices follow the input");
            assertEquals(Device.CPU, p.batchSizes().device(), "batch_sizes stay on the CPU");
            RnnUtils.Padded got = RnnUtils.padPackedSequence(m.run(p, null, null).output(), true);
            assertEquals(d, got.padded().device());
            assertEquals(Device.CPU, got.lengths().device(), "lengths stay on the CPU");
            close("padded", expected.padded(), got.padded().cpu());
            close("lengths", expected.lengths(), got.lengths());
        }
    }

    @Test
    void gradcheckOverConfigurations() {
        for (var e : CASES.entrySet()) {
            String name = e.getKey();
            Case c = e.getValue();
            RNNBase m = c.ctor().get();
            m.float64();
            m.loadStateDict(prefixed(name + ".state."));
            m.train(c.train());
            List<Tensor> leaves = new ArrayList<>();
            leaves.add(G.get(name + ".x").clone().requiresGrad_(true));
            leaves.add(G.get(name + ".h0").clone().requiresGrad_(true));
            leaves.add(G.get(name + ".c0").clone().requiresGrad_(true));
            leaves.addAll(m.parameters());
            assertTrue(Autograd.gradcheck(in -> {
                Torch.manualSeed(11);
                return loss(name, run(m, c, in[0], in[1], in[2]));
            }, leaves.toArray(new Tensor[0])), name);
        }
    }

    @Test
    void noGradInferenceRecordsNothingAndFloatMatchesDouble() {
        LSTM l = new LSTM(4, 3, 2, true, false, 0, true, 0);
        Tensor x = Torch.randn(6, 2, 4);
        try (var _ = Autograd.noGrad()) {
            RNNBase.Output o = l.forward(x, (Tensor[]) null);
            assertTrue(o.output().gradFn() == null && o.hN().gradFn() == null);
            LSTM d = new LSTM(4, 3, 2, true, false, 0, true, 0);
            d.loadStateDict(l.stateDict());
            d.float64();
            RNNBase.Output od = d.forward(x.float64(), (Tensor[]) null);
            assertTrue(od.output().allclose(o.output().float64(), 1e-5, 1e-6));
        }
    }

    @Test
    void badInput() {
        LSTM l = new LSTM(4, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Torch.ones(2, 3, 5), (Tensor[]) null));
        assertEquals("input.size(-1) must be equal to input_size. Expected 4, got 5", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> l.forward(Torch.ones(2, 3, 4), new Tensor[] {Torch.ones(1, 2, 3), Torch.ones(1, 3, 3)}));
        assertEquals("Expected hidden[0] size (1, 3, 3), got [1, 2, 3]", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> l.forward(Torch.ones(4), (Tensor[]) null));
        assertTrue(e3.getMessage().contains("Expected input to be 2-D or 3-D but received 1-D tensor"));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(4, 3, 1, true, false, 0, false, 3));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(4, 3, 1, true, false, 1.5, false, 0));
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> new GRU(4, 3).forward(Torch.ones(2, 4), new Tensor[] {Torch.ones(1, 1, 3)}));
        assertTrue(e4.getMessage().contains("For unbatched 2-D input, hx should also be 2-D"), e4.getMessage());
        assertEquals(DType.FLOAT32, l.parameters().get(0).dtype());
    }
}
