package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link F#scaledDotProductAttention}'s overloads against PyTorch 1.13's goldens of the definition
 * ({@code tools/parity/gen_sdpa_goldens.py}, attention_f.safetensors): each overload with PyTorch's defaults
 * (no mask, dropout_p 0, is_causal False, scale 1 / sqrt(E)), outputs and the gradients of q, k, v and a float
 * mask, on the CPU and on the second backend; and that errors reach the caller.
 */
class AttentionFunctionalTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = AttentionFunctionalTest.class.getResourceAsStream("/goldens/attention_f.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.cpu().contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    private static void check(String name, Device device) {
        String meta = META.get(name);
        boolean f32 = name.endsWith("_f32");
        double rtol = f32 ? 1e-5 : 1e-10;
        double atol = f32 ? 1e-6 : 1e-12;
        Tensor q = G.get(name + ".q").to(device).requiresGrad_(true);
        Tensor k = G.get(name + ".k").to(device).requiresGrad_(true);
        Tensor v = G.get(name + ".v").to(device).requiresGrad_(true);
        Tensor mask = G.get(name + ".mask");
        if (mask != null) {
            mask = mask.to(device);
            if (mask.isFloatingPoint()) {
                mask.requiresGrad_(true);
            }
        }
        Torch.manualSeed(Long.parseLong(meta.replaceAll(".*\"seed\": (\\d+).*", "$1")));
        Tensor out = switch (name.replace("_f32", "")) {
            case "qkv" -> F.scaledDotProductAttention(q, k, v);
            case "mask" -> F.scaledDotProductAttention(q, k, v, mask);
            case "causal" -> F.scaledDotProductAttention(q, k, v, null, 0.0, true);
            case "all" -> F.scaledDotProductAttention(q, k, v, mask, 0.2, false, 0.5);
            default -> throw new AssertionError(name);
        };
        assertEquals(device, out.device());
        close(name + " out", G.get(name + ".out"), out.detach(), rtol, atol);
        out.backward(G.get(name + ".gout").to(device));
        close(name + " dq", G.get(name + ".dq"), q.grad(), rtol, atol);
        close(name + " dk", G.get(name + ".dk"), k.grad(), rtol, atol);
        close(name + " dv", G.get(name + ".dv"), v.grad(), rtol, atol);
        if (G.containsKey(name + ".dmask")) {
            close(name + " dmask", G.get(name + ".dmask"), mask.grad(), rtol, atol);
        }
    }

    private static List<String> names() {
        List<String> n = new ArrayList<>(META.keySet());
        n.remove("torch");
        n.sort(null);
        return n;
    }

    @TestFactory
    List<DynamicTest> overloadsMatchPyTorch() {
        List<DynamicTest> t = new ArrayList<>();
        for (String name : names()) {
            t.add(DynamicTest.dynamicTest(name, () -> check(name, Device.CPU)));
        }
        assertEquals(5, t.size(), "F cases");
        return t;
    }

    @Tag("device")
    @TestFactory
    List<DynamicTest> overloadsMatchPyTorchOnASecondBackend() {
        List<DynamicTest> t = new ArrayList<>();
        for (String name : names()) {
            t.add(DynamicTest.dynamicTest(name, () -> {
                try (var _ = TestDevice.install()) {
                    check(name, TestDevice.device());
                }
            }));
        }
        return t;
    }

    @Test
    void errorsReachTheCaller() {
        Generator g = Torch.manualSeed(1);
        Tensor q = Torch.randn(g, DType.FLOAT32, 2, 3, 4);
        Tensor k = Torch.randn(g, DType.FLOAT32, 2, 5, 4);
        Tensor v = Torch.randn(g, DType.FLOAT32, 2, 5, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> F.scaledDotProductAttention(q, k, v, Torch.ones(DType.BOOL, 3, 5), 0.0, true));
        assertEquals("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k.float64(), v));
        assertTrue(e.getMessage().startsWith("Expected query, key, and value to have the same dtype"), e.getMessage());
        // dropout applies whenever p > 0 (PyTorch's function has no training flag)
        Tensor a = F.scaledDotProductAttention(q, k, v, null, 0.5, false);
        Tensor b = F.scaledDotProductAttention(q, k, v);
        assertTrue(a.sub(b).abs().max().item() > 0, "dropout changed the output");
    }
}
