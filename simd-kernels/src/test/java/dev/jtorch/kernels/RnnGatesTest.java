package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The fused gate kernels against their scalar twins (float and double, odd batch and hidden sizes, offsets,
 * in-place act) and their backward passes against central finite differences in double.
 */
class RnnGatesTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {3, 13}, {2, 16}, {5, 33}, {1, 207}, {4, 65}};
    private static final double F32_ATOL = 1e-5, F32_RTOL = 1.3e-6; // torch.testing's float32 defaults

    @Test
    void lstmMatchesTwin() {
        SplittableRandom r = new SplittableRandom(21);
        int checked = 0;
        for (int[] s : SHAPES) {
            int b = s[0], hd = s[1], off = 3;
            float[] gates = TestData.floats(r, off + 4 * b * hd, -4, 4), cPrev = TestData.floats(r, off + b * hd, -2, 2);
            float[] c1 = new float[off + b * hd], h1 = c1.clone(), a1 = new float[off + 4 * b * hd];
            float[] c2 = c1.clone(), h2 = c1.clone(), a2 = gates.clone(); // act aliases gates in the kernel call
            ScalarRnnGates.lstmForward(b, hd, gates, off, cPrev, off, c1, off, h1, off, a1, off);
            RnnGates.lstmGatesForward(b, hd, a2, off, cPrev, off, c2, off, h2, off, a2, off);
            String w = "lstm B=" + b + " H=" + hd;
            TestData.assertClose(c1, c2, F32_ATOL, F32_RTOL, w + " c");
            TestData.assertClose(h1, h2, F32_ATOL, F32_RTOL, w + " h");
            for (int i = 0; i < off; i++) {
                a1[i] = a2[i]; // the aliased prefix holds gates, not activations
            }
            TestData.assertClose(a1, a2, F32_ATOL, F32_RTOL, w + " act");
            float[] dh = TestData.floats(r, off + b * hd, -1, 1), dc = TestData.floats(r, off + b * hd, -1, 1);
            for (float[] dcOrNull : new float[][] {dc, null}) {
                float[] g1 = new float[off + 4 * b * hd], g2 = g1.clone(), p1 = new float[off + b * hd], p2 = p1.clone();
                ScalarRnnGates.lstmBackward(b, hd, a1, off, cPrev, off, c1, off, dh, off, dcOrNull, off, g1, off, p1, off);
                RnnGates.lstmGatesBackward(b, hd, a1, off, cPrev, off, c1, off, dh, off, dcOrNull, off, g2, off, p2, off);
                TestData.assertClose(g1, g2, F32_ATOL, F32_RTOL, w + " dGates");
                TestData.assertClose(p1, p2, F32_ATOL, F32_RTOL, w + " dcPrev");
            }
            checked++;
        }
        assertEquals(SHAPES.length, checked);
    }

    @Test
    void gruAndRnnMatchTwins() {
        SplittableRandom r = new SplittableRandom(22);
        for (int[] s : SHAPES) {
            int b = s[0], hd = s[1], off = 2;
            float[] xg = TestData.floats(r, off + 3 * b * hd, -3, 3), hg = TestData.floats(r, off + 3 * b * hd, -3, 3);
            float[] hp = TestData.floats(r, off + b * hd, -1, 1);
            float[] h1 = new float[off + b * hd], h2 = h1.clone(), w1 = new float[off + 4 * b * hd], w2 = w1.clone();
            ScalarRnnGates.gruForward(b, hd, xg, off, hg, off, hp, off, h1, off, w1, off);
            RnnGates.gruGatesForward(b, hd, xg, off, hg, off, hp, off, h2, off, w2, off);
            String w = "gru B=" + b + " H=" + hd;
            TestData.assertClose(h1, h2, F32_ATOL, F32_RTOL, w + " h");
            TestData.assertClose(w1, w2, F32_ATOL, F32_RTOL, w + " ws");
            float[] dh = TestData.floats(r, off + b * hd, -1, 1);
            float[] dx1 = new float[off + 3 * b * hd], dx2 = dx1.clone(), dy1 = dx1.clone(), dy2 = dx1.clone();
            float[] dp1 = new float[off + b * hd], dp2 = dp1.clone();
            ScalarRnnGates.gruBackward(b, hd, w1, off, hp, off, dh, off, dx1, off, dy1, off, dp1, off);
            RnnGates.gruGatesBackward(b, hd, w1, off, hp, off, dh, off, dx2, off, dy2, off, dp2, off);
            TestData.assertClose(dx1, dx2, F32_ATOL, F32_RTOL, w + " dxGates");
            TestData.assertClose(dy1, dy2, F32_ATOL, F32_RTOL, w + " dhGates");
            TestData.assertClose(dp1, dp2, F32_ATOL, F32_RTOL, w + " dhPrev");
            for (RnnGates.Nonlinearity nl : RnnGates.Nonlinearity.values()) {
                float[] pre = TestData.floats(r, off + b * hd, -3, 3), o1 = new float[off + b * hd], o2 = o1.clone();
                boolean tanh = nl == RnnGates.Nonlinearity.TANH; // the twin: the scalar activation over the block
                if (tanh) {
                    ScalarActivations.tanh(pre, off, o1, off, b * hd);
                } else {
                    ScalarActivations.relu(pre, off, o1, off, b * hd);
                }
                RnnGates.rnnStepForward(b, hd, nl, pre, off, o2, off);
                TestData.assertClose(o1, o2, F32_ATOL, F32_RTOL, "rnn " + nl);
                float[] d1 = new float[off + b * hd], d2 = d1.clone();
                if (tanh) {
                    ScalarActivations.tanhBackward(o1, off, dh, off, d1, off, b * hd);
                } else {
                    ScalarActivations.reluBackward(o1, off, dh, off, d1, off, b * hd);
                }
                RnnGates.rnnStepBackward(b, hd, nl, o1, off, dh, off, d2, off);
                TestData.assertClose(d1, d2, F32_ATOL, F32_RTOL, "rnn backward " + nl);
            }
        }
    }

    @Test
    void doubleKernelsMatchTwins() {
        SplittableRandom r = new SplittableRandom(23);
        for (int[] s : SHAPES) {
            int b = s[0], hd = s[1];
            double[] gates = TestData.doubles(r, 4 * b * hd, -4, 4), cp = TestData.doubles(r, b * hd, -2, 2);
            double[] c1 = new double[b * hd], h1 = c1.clone(), a1 = new double[4 * b * hd];
            double[] c2 = c1.clone(), h2 = c1.clone(), a2 = a1.clone();
            ScalarRnnGates.lstmForward(b, hd, gates, 0, cp, 0, c1, 0, h1, 0, a1, 0);
            RnnGates.lstmGatesForward(b, hd, gates, 0, cp, 0, c2, 0, h2, 0, a2, 0);
            TestData.assertClose(h1, h2, 1e-15, 1e-13, "lstm double h");
            TestData.assertClose(c1, c2, 1e-15, 1e-13, "lstm double c");
            double[] xg = TestData.doubles(r, 3 * b * hd, -3, 3), hg = TestData.doubles(r, 3 * b * hd, -3, 3);
            double[] g1 = new double[b * hd], g2 = g1.clone(), w1 = new double[4 * b * hd], w2 = w1.clone();
            ScalarRnnGates.gruForward(b, hd, xg, 0, hg, 0, cp, 0, g1, 0, w1, 0);
            RnnGates.gruGatesForward(b, hd, xg, 0, hg, 0, cp, 0, g2, 0, w2, 0);
            TestData.assertClose(g1, g2, 1e-15, 1e-13, "gru double h");
        }
    }

    /** Central differences of a scalar loss in double: d loss / d x[i] for every i. */
    private static double[] numericGrad(double[] x, ToDoubleFunction<double[]> loss) {
        double eps = 1e-6;
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            x[i] = v + eps;
            double up = loss.applyAsDouble(x);
            x[i] = v - eps;
            double down = loss.applyAsDouble(x);
            x[i] = v;
            g[i] = (up - down) / (2 * eps);
        }
        return g;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void lstmBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(24);
        int b = 3, hd = 7;
        double[] gates = TestData.doubles(r, 4 * b * hd, -2, 2), cp = TestData.doubles(r, b * hd, -1, 1);
        double[] wh = TestData.doubles(r, b * hd, -1, 1), wc = TestData.doubles(r, b * hd, -1, 1);
        ToDoubleFunction<double[][]> loss = in -> {
            double[] c = new double[b * hd], h = new double[b * hd], act = new double[4 * b * hd];
            RnnGates.lstmGatesForward(b, hd, in[0], 0, in[1], 0, c, 0, h, 0, act, 0);
            return dot(wh, h) + dot(wc, c);
        };
        double[] c = new double[b * hd], h = new double[b * hd], act = new double[4 * b * hd];
        RnnGates.lstmGatesForward(b, hd, gates, 0, cp, 0, c, 0, h, 0, act, 0);
        double[] dGates = new double[4 * b * hd], dcPrev = new double[b * hd];
        RnnGates.lstmGatesBackward(b, hd, act, 0, cp, 0, c, 0, wh, 0, wc, 0, dGates, 0, dcPrev, 0);
        TestData.assertClose(numericGrad(gates, g -> loss.applyAsDouble(new double[][] {g, cp})), dGates, 1e-8, 1e-6,
                "LSTM d gates vs finite differences");
        TestData.assertClose(numericGrad(cp, p -> loss.applyAsDouble(new double[][] {gates, p})), dcPrev, 1e-8, 1e-6,
                "LSTM d cPrev vs finite differences");
    }

    @Test
    void gruBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(25);
        int b = 2, hd = 9;
        double[] xg = TestData.doubles(r, 3 * b * hd, -2, 2), hg = TestData.doubles(r, 3 * b * hd, -2, 2);
        double[] hp = TestData.doubles(r, b * hd, -1, 1), wh = TestData.doubles(r, b * hd, -1, 1);
        ToDoubleFunction<double[][]> loss = in -> {
            double[] h = new double[b * hd], ws = new double[4 * b * hd];
            RnnGates.gruGatesForward(b, hd, in[0], 0, in[1], 0, in[2], 0, h, 0, ws, 0);
            return dot(wh, h);
        };
        double[] h = new double[b * hd], ws = new double[4 * b * hd];
        RnnGates.gruGatesForward(b, hd, xg, 0, hg, 0, hp, 0, h, 0, ws, 0);
        double[] dx = new double[3 * b * hd], dhg = new double[3 * b * hd], dhp = new double[b * hd];
        RnnGates.gruGatesBackward(b, hd, ws, 0, hp, 0, wh, 0, dx, 0, dhg, 0, dhp, 0);
        TestData.assertClose(numericGrad(xg, v -> loss.applyAsDouble(new double[][] {v, hg, hp})), dx, 1e-8, 1e-6,
                "GRU d xGates vs finite differences");
        TestData.assertClose(numericGrad(hg, v -> loss.applyAsDouble(new double[][] {xg, v, hp})), dhg, 1e-8, 1e-6,
                "GRU d hGates vs finite differences");
        TestData.assertClose(numericGrad(hp, v -> loss.applyAsDouble(new double[][] {xg, hg, v})), dhp, 1e-8, 1e-6,
                "GRU d hPrev vs finite differences");
    }

    @Test
    void rnnBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(26);
        int b = 2, hd = 11;
        for (RnnGates.Nonlinearity nl : RnnGates.Nonlinearity.values()) {
            double[] pre = TestData.doubles(r, b * hd, -2, 2), w = TestData.doubles(r, b * hd, -1, 1);
            for (int i = 0; i < pre.length; i++) {
                if (Math.abs(pre[i]) < 1e-3) {
                    pre[i] = 0.5; // keep relu's kink away from the finite difference stencil
                }
            }
            double[] h = new double[b * hd], dPre = new double[b * hd];
            RnnGates.rnnStepForward(b, hd, nl, pre, 0, h, 0);
            RnnGates.rnnStepBackward(b, hd, nl, h, 0, w, 0, dPre, 0);
            TestData.assertClose(numericGrad(pre, p -> {
                double[] o = new double[b * hd];
                RnnGates.rnnStepForward(b, hd, nl, p, 0, o, 0);
                return dot(w, o);
            }), dPre, 1e-8, 1e-6, "RNN " + nl + " d pre vs finite differences");
        }
    }

    @Test
    void badArgumentsAreRejected() {
        float[] g = new float[8], c = new float[2];
        GemmTest.assertMessage("gates is too short",
                () -> RnnGates.lstmGatesForward(1, 3, g, 0, c, 0, c, 0, c, 0, g, 0));
        GemmTest.assertMessage("batch must be >= 0 but was -1",
                () -> RnnGates.lstmGatesForward(-1, 2, g, 0, c, 0, c, 0, c, 0, g, 0));
        GemmTest.assertMessage("hGates is too short",
                () -> RnnGates.gruGatesForward(1, 2, new float[6], 0, new float[5], 0, c, 0, c, 0, g, 0));
        GemmTest.assertMessage("nonlinearity must not be null",
                () -> RnnGates.rnnStepForward(1, 2, null, c, 0, c, 0));
    }
}
