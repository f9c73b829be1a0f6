package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.NnOps;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.kernels.Kernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch-1 inference path of the recurrent layer ({@link CpuRnnBatch1}): against the float64 step-by-step
 * composition of {@link CpuRnnTest} for every mode and direction, over more steps than one projection chunk,
 * hidden sizes that do not split evenly; the same bits with 1, 2 and 3 threads; bfloat16 and float16 weights
 * (module.to(half)) against the composition on the same (widened) values, and in training (differentiable
 * casts) with gradients.
 */
class CpuRnnBatch1Test {
    static final Generator G = new Generator(17);

    record Layer(Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0) {
        Layer to(DType dt) {
            return new Layer(x.to(dt), wIh.to(dt), wHh.to(dt), bIh == null ? null : bIh.to(dt),
                    bHh == null ? null : bHh.to(dt), h0.to(dt), c0 == null ? null : c0.to(dt));
        }

        Tensor[] run(RnnMode mode, boolean reverse) {
            long[] bs = new long[x.size(0)];
            java.util.Arrays.fill(bs, 1);
            try (var _ = Autograd.noGrad()) {
                return NnOps.rnnLayer(mode, x, bs, reverse, wIh, wHh, bIh, bHh, null, h0, c0);
            }
        }

        Tensor[] reference(RnnMode mode, boolean reverse) {
            Layer d = to(DType.FLOAT64);
            long[] bs = new long[x.size(0)];
            java.util.Arrays.fill(bs, 1);
            return CpuRnnTest.reference(mode, d.x, bs, reverse, d.wIh, d.wHh, d.bIh, d.bHh, null, d.h0, d.c0);
        }
    }

    static Layer layer(RnnMode mode, int steps, int in, int h, boolean bias) {
        int g = mode.gates();
        double scale = 1 / Math.sqrt(h);
        return new Layer(Torch.randn(G, DType.FLOAT32, steps, in), Torch.randn(G, DType.FLOAT32, g * h, in).mul(scale),
                Torch.randn(G, DType.FLOAT32, g * h, h).mul(scale),
                bias ? Torch.randn(G, DType.FLOAT32, g * h).mul(0.1) : null,
                bias ? Torch.randn(G, DType.FLOAT32, g * h).mul(0.1) : null, Torch.randn(G, DType.FLOAT32, 1, h),
                mode == RnnMode.LSTM ? Torch.randn(G, DType.FLOAT32, 1, h) : null);
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        double err = actual.to(DType.FLOAT64).sub(expected.to(DType.FLOAT64)).abs().max().item();
        assertTrue(err <= tol, what + ": max error " + err + " > " + tol);
    }

    @Test
    void matchesTheCompositionAndDoesNotDependOnThreads() {
        int saved = Kernels.threads();
        try {
            for (RnnMode mode : RnnMode.values()) {
                for (boolean reverse : new boolean[] {false, true}) {
                    for (int[] s : new int[][] {{1, 5, 40}, {70, 9, 67}, {130, 20, 256}, {65, 7, 250}}) {
                        Layer l = layer(mode, s[0], s[1], s[2], s[0] != 70);
                        String what = mode + " reverse=" + reverse + " T=" + s[0] + " H=" + s[2];
                        Tensor[] ref = l.reference(mode, reverse);
                        Tensor[] one = null;
                        for (int threads : new int[] {1, 2, 3}) {
                            Kernels.setThreads(threads);
                            Tensor[] f = l.run(mode, reverse);
                            assertClose(ref[0], f[0], 2e-5, what + " output, threads=" + threads);
                            assertClose(ref[1], f[1], 2e-5, what + " h_n");
                            if (mode == RnnMode.LSTM) {
                                assertClose(ref[2], f[2], 2e-5, what + " c_n");
                            }
                            if (one == null) {
                                one = f;
                            } else {
                                for (int i = 0; i < 3; i++) {
                                    if (f[i] != null) {
                                        assertArrayEquals(one[i].toFloatArray(), f[i].toFloatArray(),
                                                what + " result " + i + ": threads=" + threads + " differs from 1");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void halfWeightsComputeInFloat32OnTheirValues() {
        for (DType half : new DType[] {DType.BFLOAT16, DType.FLOAT16}) {
            for (RnnMode mode : new RnnMode[] {RnnMode.LSTM, RnnMode.GRU, RnnMode.RNN_TANH}) {
                for (boolean batch1Path : new boolean[] {true, false}) {
                    CpuRnnBatch1.enabled = batch1Path;
                    try {
                        Layer l = layer(mode, 45, 12, 96, true).to(half);
                        Tensor[] f = l.run(mode, false);
                        assertEquals(half, f[0].dtype());
                        assertEquals(half, f[1].dtype());
                        Tensor[] ref = l.reference(mode, false);
                        // the float32 result rounded once to the half type: half an ulp of it, plus float32 noise
                        double ulp = half == DType.BFLOAT16 ? 0x1p-8 : 0x1p-11;
                        Tensor bound = ref[0].abs().mul(ulp).add(1e-5);
                        Tensor err = f[0].to(DType.FLOAT64).sub(ref[0]).abs();
                        assertTrue(err.le(bound).all().item() != 0, half + " " + mode + " path=" + batch1Path
                                + ": max error " + err.max().item());
                    } finally {
                        CpuRnnBatch1.enabled = true;
                    }
                }
            }
        }
    }

    @Test
    void bfloat16WeightsGiveTheSameBitsOnAnyThreadCount() {
        int saved = Kernels.threads();
        try {
            for (RnnMode mode : new RnnMode[] {RnnMode.LSTM, RnnMode.GRU}) {
                Layer l = layer(mode, 70, 12, 256, true).to(DType.BFLOAT16);
                float[] one = null;
                for (int threads : new int[] {1, 2, 3}) {
                    Kernels.setThreads(threads);
                    float[] y = l.run(mode, true)[0].toFloatArray();
                    if (one == null) {
                        one = y;
                    } else {
                        assertArrayEquals(one, y, mode + " bfloat16: threads=" + threads + " differs from 1");
                    }
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void halfWeightsTrainThroughFloat32() {
        Layer l = layer(RnnMode.LSTM, 6, 4, 8, true).to(DType.BFLOAT16);
        Tensor w = l.wHh.detach().requiresGrad_(true);
        long[] bs = {1, 1, 1, 1, 1, 1};
        Tensor[] f = NnOps.rnnLayer(RnnMode.LSTM, l.x, bs, false, l.wIh, w, l.bIh, l.bHh, null, l.h0, l.c0);
        f[0].to(DType.FLOAT32).sum().backward();
        assertEquals(DType.BFLOAT16, w.grad().dtype());
        Tensor w32 = w.detach().to(DType.FLOAT32).requiresGrad_(true);
        Layer d = l.to(DType.FLOAT32);
        Tensor[] g = NnOps.rnnLayer(RnnMode.LSTM, d.x, bs, false, d.wIh, w32, d.bIh, d.bHh, null, d.h0, d.c0);
        g[0].to(DType.BFLOAT16).to(DType.FLOAT32).sum().backward();
        assertClose(w32.grad(), w.grad(), 0.02, "bfloat16 weight gradient");
    }
}
