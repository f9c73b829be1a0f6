package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.BatchNorm1d;
import dev.jtorch.nn.BatchNorm2d;
import dev.jtorch.nn.CTCLoss;
import dev.jtorch.nn.EmbeddingBag;
import dev.jtorch.nn.GroupNorm;
import dev.jtorch.nn.InstanceNorm2d;
import dev.jtorch.nn.LayerNorm;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.NormBase;
import dev.jtorch.nn.RMSNorm;
import dev.jtorch.nn.functional.EmbeddingBagMode;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.Reduction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * nn's normalization layers, EmbeddingBag and CTCLoss on the device through the public API, forward and
 * backward, against the same run on the CPU (same seeds): BatchNorm1d/2d in training (three steps, the running
 * statistics updated) and in eval, LayerNorm with and without affine, RMSNorm, GroupNorm, InstanceNorm2d, the
 * functional forms in float64, EmbeddingBag in every mode (per-sample weights, padding), CTCLoss with every
 * reduction and zero_infinity. Every output and gradient is on the device; float32 to 1e-4, float64 to 1e-10.
 */
class NormOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    /** A run's results, as doubles on the host, by name. */
    static final class Out {
        final Map<String, double[]> values = new LinkedHashMap<>();
        final Device device;

        Out(Device device) {
            this.device = device;
        }

        void put(String name, Tensor t) {
            if (t == null) {
                fail(name + " is missing");
            }
            assertEquals(device, t.device(), name + "'s device");
            values.put(name, t.cpu().to(DType.FLOAT64).contiguous().toDoubleArray());
        }
    }

    static void compare(Function<Device, Out> run, double tol) {
        Out cpu = run.apply(Device.CPU);
        Out dev = run.apply(Device.opencl(0));
        assertEquals(cpu.values.keySet(), dev.values.keySet());
        for (String k : cpu.values.keySet()) {
            double[] e = cpu.values.get(k);
            double[] a = dev.values.get(k);
            assertEquals(e.length, a.length, k + "'s size");
            for (int i = 0; i < e.length; i++) {
                boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                        : e[i] == a[i] || Math.abs(e[i] - a[i]) <= tol + tol * Math.abs(e[i]);
                if (!ok) {
                    fail(k + "[" + i + "] is " + a[i] + " on the device, " + e[i] + " on the CPU");
                }
            }
        }
    }

    /** Input data made on the CPU (the same for both runs), moved to {@code d}, requiring its gradient. */
    static Tensor input(Device d, DType t, int... shape) {
        return Torch.randn(shape).mul(2).add(1).to(t).to(d).requiresGrad_(true);
    }

    /** Runs {@code m} forward and backward (against a random gradient) and records y and x's gradient. */
    static void step(Out o, String name, Module m, Tensor x) {
        Tensor g = Torch.randn(x.shape()).to(x.dtype()).to(x.device());
        Tensor y = m.call(x);
        y.mul(g).sum().backward();
        o.put(name + " y", y);
        o.put(name + " dx", x.grad());
    }

    /** Random affine parameters instead of ones and zeros (made on the CPU before moving). */
    static void randomAffine(NormBase m) {
        try (var _ = Autograd.noGrad()) {
            m.weight.copy_(Torch.randn(m.weight.shape()));
            m.bias.copy_(Torch.randn(m.bias.shape()));
        }
    }

    static void stats(Out o, String name, NormBase m) {
        o.put(name + " dw", m.weight.grad());
        o.put(name + " db", m.bias.grad());
        o.put(name + " running_mean", m.runningMean());
        o.put(name + " running_var", m.runningVar());
    }

    @Test
    void batchNormTrainsAndEvaluatesAsOnTheCpu() {
        compare(d -> {
            Out o = new Out(d);
            Torch.manualSeed(5);
            BatchNorm2d bn = new BatchNorm2d(5);
            randomAffine(bn);
            bn.to(d);
            for (int i = 0; i < 3; i++) {
                step(o, "bn2d train " + i, bn, input(d, DType.FLOAT32, 4, 5, 3, 7));
            }
            bn.eval();
            step(o, "bn2d eval", bn, input(d, DType.FLOAT32, 2, 5, 3, 7));
            stats(o, "bn2d", bn);
            BatchNorm1d b1 = new BatchNorm1d(6);
            randomAffine(b1);
            b1.to(d);
            step(o, "bn1d 2-d", b1, input(d, DType.FLOAT32, 9, 6));
            step(o, "bn1d 3-d", b1, input(d, DType.FLOAT32, 3, 6, 11));
            b1.eval();
            step(o, "bn1d eval", b1, input(d, DType.FLOAT32, 3, 6, 11));
            stats(o, "bn1d", b1);
            return o;
        }, 1e-4);
    }

    @Test
    void layerGroupInstanceAndRmsNormsMatchTheCpu() {
        compare(d -> {
            Out o = new Out(d);
            Torch.manualSeed(6);
            LayerNorm ln = new LayerNorm(6, 5);
            try (var _ = Autograd.noGrad()) {
                ln.weight.copy_(Torch.randn(6, 5));
                ln.bias.copy_(Torch.randn(6, 5));
            }
            ln.to(d);
            step(o, "layer norm", ln, input(d, DType.FLOAT32, 3, 4, 6, 5));
            o.put("layer norm dw", ln.weight.grad());
            o.put("layer norm db", ln.bias.grad());
            LayerNorm plain = new LayerNorm(new int[] {7}, 1e-5, false, false);
            plain.to(d);
            step(o, "layer norm without affine", plain, input(d, DType.FLOAT32, 5, 7));
            RMSNorm rms = new RMSNorm(9);
            try (var _ = Autograd.noGrad()) {
                rms.weight.copy_(Torch.randn(9));
            }
            rms.to(d);
            step(o, "rms norm", rms, input(d, DType.FLOAT32, 4, 3, 9));
            o.put("rms norm dw", rms.weight.grad());
            GroupNorm gn = new GroupNorm(3, 6);
            try (var _ = Autograd.noGrad()) {
                gn.weight.copy_(Torch.randn(6));
                gn.bias.copy_(Torch.randn(6));
            }
            gn.to(d);
            step(o, "group norm", gn, input(d, DType.FLOAT32, 2, 6, 4, 5));
            o.put("group norm dw", gn.weight.grad());
            o.put("group norm db", gn.bias.grad());
            InstanceNorm2d in = new InstanceNorm2d(6);
            in.to(d);
            step(o, "instance norm", in, input(d, DType.FLOAT32, 2, 6, 4, 5));
            return o;
        }, 1e-4);
    }

    @Test
    void functionalNormsInFloat64() {
        compare(d -> {
            Out o = new Out(d);
            Torch.manualSeed(7);
            DType t = DType.FLOAT64;
            Tensor x = input(d, t, 4, 6, 3, 5);
            Tensor w = Torch.randn(6).to(t).to(d).requiresGrad_(true);
            Tensor b = Torch.randn(6).to(t).to(d).requiresGrad_(true);
            Tensor rm = Torch.randn(6).to(t).to(d);
            Tensor rv = Torch.rand(6).add(0.5).to(t).to(d);
            Tensor lw = Torch.randn(3, 5).to(t).to(d).requiresGrad_(true);
            Tensor lb = Torch.randn(3, 5).to(t).to(d).requiresGrad_(true);
            Tensor y1 = F.batchNorm(x, rm, rv, w, b, true, 0.3, 1e-5);
            Tensor y2 = F.batchNorm(x, rm, rv, w, b, false, 0.3, 1e-3);
            Tensor y3 = F.layerNorm(x, new int[] {3, 5}, lw, lb, 1e-5);
            Tensor y4 = F.groupNorm(x, 2, w, b, 1e-5);
            Tensor y5 = F.rmsNorm(x, new int[] {5}, null, null);
            Tensor loss = y1.mul(y1).sum().add(y2.sum().mul(0.5)).add(y3.mul(y3).sum()).add(y4.mul(y4).sum())
                    .add(y5.mul(y5).mul(y5).sum());
            loss.backward();
            for (Object[] p : new Object[][] {{"batch", y1}, {"batch eval", y2}, {"layer", y3}, {"group", y4},
                {"rms", y5}, {"x grad", x.grad()}, {"w grad", w.grad()}, {"b grad", b.grad()},
                {"lw grad", lw.grad()}, {"lb grad", lb.grad()}, {"running mean", rm}, {"running var", rv}}) {
                o.put((String) p[0], (Tensor) p[1]);
            }
            return o;
        }, 1e-10);
    }

    @Test
    void embeddingBagsMatchTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            compare(d -> {
                Out o = new Out(d);
                Torch.manualSeed(8);
                Tensor idx = Torch.tensor(new long[] {1, 2, 4, 5, 4, 3, 2, 9, 0, 0, 7, 2}, 12).to(d);
                Tensor offsets = Torch.tensor(new long[] {0, 4, 4, 9}, 4).to(d);
                Tensor psw = Torch.randn(12).to(t).to(d).requiresGrad_(true);
                for (EmbeddingBagMode mode : EmbeddingBagMode.values()) {
                    for (Long pad : new Long[] {null, 2L}) {
                        EmbeddingBag bag = new EmbeddingBag(EmbeddingBag.options(10, 7).mode(mode).paddingIdx(pad)
                                .dtype(t));
                        bag.to(d);
                        boolean weighted = mode == EmbeddingBagMode.SUM;
                        Tensor y = weighted ? bag.forward(idx, offsets, psw) : bag.forward(idx, offsets);
                        Tensor g = Torch.randn(y.shape()).to(t).to(d);
                        y.mul(g).sum().backward();
                        String name = mode + " pad " + pad;
                        o.put(name + " y", y);
                        o.put(name + " dw", bag.weight.grad());
                    }
                }
                o.put("per-sample weights grad", psw.grad());
                // 2-d input: bags of equal length, no offsets
                EmbeddingBag mean = new EmbeddingBag(EmbeddingBag.options(10, 3).dtype(t));
                mean.to(d);
                Tensor y = mean.forward(Torch.tensor(new long[] {1, 3, 3, 9, 0, 1}, 2, 3).to(d));
                y.sum().backward();
                o.put("2-d mean y", y);
                o.put("2-d mean dw", mean.weight.grad());
                return o;
            }, t == DType.FLOAT32 ? 1e-5 : 1e-12);
        }
    }

    @Test
    void ctcLossMatchesTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            compare(d -> {
                Out o = new Out(d);
                Torch.manualSeed(9);
                int nt = 14;
                int nb = 4;
                int nc = 6;
                Tensor logits = Torch.randn(nt, nb, nc).mul(2).to(t).to(d).requiresGrad_(true);
                Tensor targets = Torch.tensor(new long[] {1, 2, 2, 3, 5, 5, 5, 5, 5, 5, 4, 1, 1, 2}, 14).to(d);
                Tensor il = Torch.tensor(new long[] {14, 9, 6, 11}, nb);
                Tensor tl = Torch.tensor(new long[] {4, 0, 6, 4}, nb);
                int k = 0;
                for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
                    for (boolean zeroInf : new boolean[] {false, true}) {
                        for (int blank : new int[] {0, 3}) {
                            CTCLoss ctc = new CTCLoss(blank, r, zeroInf);
                            Tensor lp = logits.logSoftmax(2);
                            Tensor loss = ctc.forward(lp, targets, il, tl);
                            String name = r + " zero_infinity " + zeroInf + " blank " + blank;
                            o.put(name + " loss", loss);
                            if (zeroInf) {
                                (r == Reduction.NONE ? loss.sum() : loss).backward();
                                o.put(name + " grad", logits.grad());
                                try (var _ = Autograd.noGrad()) {
                                    logits.grad().zero_();
                                }
                                k++;
                            }
                        }
                    }
                }
                assertTrue(k > 0);
                // sample 2 ("5 5 5 5 5 5" in 6 steps) is impossible: infinite without zero_infinity
                Tensor none = new CTCLoss(0, Reduction.NONE, false).forward(logits.logSoftmax(2), targets, il, tl);
                assertEquals(Double.POSITIVE_INFINITY, none.cpu().to(DType.FLOAT64).toDoubleArray()[2]);
                return o;
            }, t == DType.FLOAT32 ? 1e-5 : 1e-10);
        }
    }
}
