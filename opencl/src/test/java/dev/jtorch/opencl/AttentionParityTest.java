package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.nn.functional.F;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link OpenClBackend#attention} against the CPU backend through the op ({@link NnOps#scaledDotProductAttention}):
 * forward and the gradients of q, k, v and a float mask, float32 and float64, over shapes that cross the kernels'
 * tiles (L, S up to 70 against tiles of 16), L != S, Ev != E, unbatched and 4-d batches, broadcast batch dims
 * (stride-0 views), transposed and strided operands, bool, float and float32-in-float64 masks (broadcast too),
 * causal masks with L &lt; S and L &gt; S, custom and negative scales, fully masked rows, no keys, no queries, no
 * features, and dropout (the same keep mask drawn on both devices). float64 to 1e-12, float32 to 2e-5.
 */
class AttentionParityTest {
    /** One configuration: sizes, mask kind and options. */
    record Config(String name, int[] qShape, int[] kShape, int[] vShape, int[] maskShape, String mask, boolean causal,
                  Double scale, double dropout, boolean transposeQ) {
    }

    static List<Config> configs() {
        List<Config> c = new ArrayList<>();
        c.add(new Config("plain", new int[] {2, 5, 8}, new int[] {2, 7, 8}, new int[] {2, 7, 8}, null, "none", false,
                null, 0, false));
        c.add(new Config("unbatched_ev", new int[] {9, 6}, new int[] {37, 6}, new int[] {37, 3}, null, "none", false,
                null, 0, false));
        c.add(new Config("heads_tiles", new int[] {2, 3, 33, 5}, new int[] {2, 3, 70, 5}, new int[] {2, 3, 70, 4},
                null, "none", false, null, 0, false));
        c.add(new Config("bool_mask", new int[] {2, 3, 17, 4}, new int[] {2, 3, 19, 4}, new int[] {2, 3, 19, 4},
                new int[] {2, 3, 17, 19}, "bool", false, null, 0, false));
        c.add(new Config("key_padding", new int[] {2, 3, 5, 4}, new int[] {2, 3, 21, 4}, new int[] {2, 3, 21, 2},
                new int[] {2, 1, 1, 21}, "bool", false, null, 0, false));
        c.add(new Config("float_mask", new int[] {2, 3, 6, 4}, new int[] {2, 3, 18, 4}, new int[] {2, 3, 18, 4},
                new int[] {3, 6, 18}, "float", false, 0.3, 0, false));
        c.add(new Config("float32_mask", new int[] {2, 6, 4}, new int[] {2, 9, 4}, new int[] {2, 9, 4},
                new int[] {6, 9}, "float32", false, null, 0, false));
        c.add(new Config("causal_square", new int[] {2, 20, 4}, new int[] {2, 20, 4}, new int[] {2, 20, 3}, null,
                "none", true, null, 0, false));
        c.add(new Config("causal_l_lt_s", new int[] {2, 4, 5}, new int[] {2, 35, 5}, new int[] {2, 35, 5}, null,
                "none", true, null, 0, false));
        c.add(new Config("causal_l_gt_s", new int[] {2, 35, 5}, new int[] {2, 4, 5}, new int[] {2, 4, 2}, null,
                "none", true, -0.5, 0, false));
        c.add(new Config("broadcast_batch", new int[] {2, 3, 5, 4}, new int[] {3, 17, 4}, new int[] {1, 3, 17, 2}, null,
                "none", false, null, 0, true));
        c.add(new Config("fully_masked", new int[] {2, 5, 4}, new int[] {2, 6, 4}, new int[] {2, 6, 4},
                new int[] {2, 5, 6}, "bool_rows", false, null, 0, false));
        c.add(new Config("no_keys", new int[] {2, 3, 4}, new int[] {2, 0, 4}, new int[] {2, 0, 5}, null, "none", false,
                null, 0, false));
        c.add(new Config("no_queries", new int[] {2, 0, 4}, new int[] {2, 3, 4}, new int[] {2, 3, 5}, null, "none",
                false, null, 0, false));
        c.add(new Config("no_features", new int[] {2, 3, 0}, new int[] {2, 4, 0}, new int[] {2, 4, 5}, null, "none",
                false, null, 0, false));
        c.add(new Config("dropout", new int[] {2, 3, 7, 4}, new int[] {2, 3, 19, 4}, new int[] {2, 3, 19, 4},
                new int[] {7, 19}, "float", false, null, 0.3, false));
        return c;
    }

    /** Results of one run, as float64 host tensors: the output and the gradients of the leaves. */
    static List<Tensor> run(Config c, DType dt, Device device) {
        Generator g = Torch.manualSeed(31);
        Tensor q = leaf(Torch.randn(g, dt, c.transposeQ ? swap(c.qShape) : c.qShape), device);
        Tensor k = leaf(Torch.randn(g, dt, c.kShape), device);
        Tensor v = leaf(Torch.randn(g, dt, c.vShape), device);
        Tensor mask = null;
        switch (c.mask) {
            case "bool" -> mask = Torch.rand(g, DType.FLOAT64, c.maskShape).gt(0.3).to(device);
            case "bool_rows" -> {
                Tensor m = Torch.rand(g, DType.FLOAT64, c.maskShape).gt(0.3);
                mask = m.mul(Torch.tensor(new double[] {1, 0, 1, 1, 0}, 5, 1).gt(0.5)).to(device);
            }
            case "float" -> mask = leaf(Torch.randn(g, dt, c.maskShape), device);
            case "float32" -> mask = leaf(Torch.randn(g, DType.FLOAT32, c.maskShape), device);
            default -> { }
        }
        Tensor gout = Torch.randn(g, dt, outShape(c));
        Tensor qq = c.transposeQ ? q.transpose(-2, -1) : q;
        Torch.manualSeed(77);
        Tensor out = NnOps.scaledDotProductAttention(qq, k, v.slice(-1, 0, v.size(-1), 1), mask, c.dropout, c.causal,
                c.scale);
        assertEquals(device, out.device());
        out.backward(gout.to(device));
        List<Tensor> r = new ArrayList<>(List.of(out.detach(), q.grad(), k.grad(), v.grad()));
        if (mask != null && mask.isFloatingPoint()) {
            r.add(mask.grad());
        }
        List<Tensor> host = new ArrayList<>();
        for (Tensor t : r) {
            assertEquals(device, t.device());
            host.add(t.cpu().to(DType.FLOAT64));
        }
        return host;
    }

    private static Tensor leaf(Tensor t, Device device) {
        return t.to(device).requiresGrad_(true);
    }

    private static int[] swap(int[] s) {
        int[] r = s.clone();
        int n = r.length;
        r[n - 1] = s[n - 2];
        r[n - 2] = s[n - 1];
        return r;
    }

    private static int[] outShape(Config c) {
        int n = Math.max(c.qShape.length, Math.max(c.kShape.length, c.vShape.length));
        int[] out = new int[n];
        for (int i = 0; i < n - 2; i++) {
            out[i] = Math.max(dim(c.qShape, n, i), Math.max(dim(c.kShape, n, i), dim(c.vShape, n, i)));
        }
        out[n - 2] = c.qShape[c.qShape.length - 2];
        out[n - 1] = c.vShape[c.vShape.length - 1];
        return out;
    }

    private static int dim(int[] s, int n, int i) {
        int j = s.length - n + i;
        return j < 0 ? 1 : s[j];
    }

    @TestFactory
    List<DynamicTest> matchesTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            if (dt == DType.FLOAT64 && !ocl.supportsFloat64()) {
                continue;
            }
            for (Config c : configs()) {
                tests.add(DynamicTest.dynamicTest(c.name + " " + dt, () -> {
                    List<Tensor> cpu = run(c, dt, Device.CPU);
                    List<Tensor> dev = run(c, dt, Device.opencl(0));
                    double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-5;
                    String[] names = {"out", "dq", "dk", "dv", "dmask"};
                    assertEquals(cpu.size(), dev.size());
                    for (int i = 0; i < cpu.size(); i++) {
                        close(c.name + " " + names[i], cpu.get(i), dev.get(i), tol);
                    }
                }));
            }
        }
        return tests;
    }

    static void close(String what, Tensor expected, Tensor actual, double tol) {
        assertEquals(List.of(expected.shape().length), List.of(actual.shape().length), what);
        double[] e = expected.contiguous().toDoubleArray();
        double[] a = actual.contiguous().toDoubleArray();
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(e[i] - a[i]) <= tol + tol * Math.abs(e[i]);
            if (!ok) {
                fail(what + "[" + i + "] is " + a[i] + " on the device, " + e[i] + " on the CPU");
            }
        }
    }

    /** F's entry on the device gives the device's result, and the backend refuses views that do not fit. */
    @Test
    void functionalEntryAndBadViews() {
        OpenClBackend ocl = Ocl.backend();
        Device d = Device.opencl(0);
        Generator g = Torch.manualSeed(2);
        Tensor q = Torch.randn(g, DType.FLOAT32, 2, 4, 3);
        Tensor k = Torch.randn(g, DType.FLOAT32, 2, 6, 3);
        Tensor v = Torch.randn(g, DType.FLOAT32, 2, 6, 2);
        Tensor out = F.scaledDotProductAttention(q.to(d), k.to(d), v.to(d), null, 0, true);
        close("F on the device", F.scaledDotProductAttention(q, k, v, null, 0, true).to(DType.FLOAT64),
                out.cpu().to(DType.FLOAT64), 2e-6);
        AttentionShape sh = new AttentionShape(2, 4, 6, 3, 2, 0.5, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ocl.attention(Op.ATTENTION,
                sh, new View[] {null, null, null, null, null}, new View[] {null, null}));
        assertTrue(e.getMessage().contains("query"), e.getMessage());
    }
}
