package dev.jtorch.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pooling against the definition written out here (every tap of every window with a bounds check, PyTorch's
 * tie and NaN rules), on regular windows with padding, strides and dilations, adaptive windows and per-plane
 * windows, in 1, 2 and 3 dimensions, at offsets.
 */
class PoolTest {
    record Case(PoolWindows w, String name) {
    }

    static Case[] cases() {
        return new Case[] {
            new Case(PoolWindows.regular(3, new int[] {9}, new int[] {4}, new int[] {3}, new int[] {2},
                    new int[] {1}, new int[] {1}), "1d k3 s2 p1"),
            new Case(PoolWindows.regular(2, new int[] {7, 9}, new int[] {4, 4}, new int[] {3, 3}, new int[] {2, 2},
                    new int[] {1, 1}, new int[] {1, 1}), "2d ceil"),
            new Case(PoolWindows.regular(2, new int[] {11, 13}, new int[] {3, 4}, new int[] {3, 2}, new int[] {3, 3},
                    new int[] {1, 1}, new int[] {2, 3}), "2d dilated"),
            new Case(PoolWindows.regular(2, new int[] {5, 6, 7}, new int[] {3, 3, 3}, new int[] {2, 2, 3},
                    new int[] {2, 2, 2}, new int[] {1, 0, 1}, new int[] {1, 1, 1}), "3d"),
            new Case(PoolWindows.adaptive(3, new int[] {7, 10}, new int[] {3, 4}), "adaptive 2d"),
            new Case(PoolWindows.adaptive(2, new int[] {5, 4, 9}, new int[] {2, 3, 5}), "adaptive 3d"),
            new Case(PoolWindows.perPlane(2, new int[] {9, 8}, new int[] {3, 3}, new int[] {2, 3},
                    new int[][] {{0, 3, 7, 1, 4, 7}, {0, 2, 5, 0, 3, 5}}), "fractional"),
        };
    }

    /** The taps of output (p, od, oh, ow) inside the input, as plane positions, in loop order. */
    static int[] taps(PoolWindows w, int p, int od, int oh, int ow) {
        int[] r = new int[w.count[0][od] * w.count[1][oh] * w.count[2][ow]];
        int n = 0;
        for (int jd = 0; jd < w.count[0][od]; jd++) {
            int id = w.start(0, p, od) + jd * w.dilation[0];
            for (int jh = 0; jh < w.count[1][oh]; jh++) {
                int ih = w.start(1, p, oh) + jh * w.dilation[1];
                for (int jw = 0; jw < w.count[2][ow]; jw++) {
                    int iw = w.start(2, p, ow) + jw * w.dilation[2];
                    if (id >= 0 && id < w.in[0] && ih >= 0 && ih < w.in[1] && iw >= 0 && iw < w.in[2]) {
                        r[n++] = (id * w.in[1] + ih) * w.in[2] + iw;
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(r, n);
    }

    @Test
    void maxAndAvgMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(7);
        for (Case c : cases()) {
            PoolWindows w = c.w();
            int off = 2;
            double[] x = TestData.doubles(r, off + w.inputSize(), -1, 1);
            x[off + 5] = Double.NaN;
            x[off + 6] = x[off + 7];                       // a tie: the first wins
            double[] y = new double[off + w.outputSize()];
            long[] idx = new long[1 + w.outputSize()];
            Pool.max(w, x, off, y, off, idx, 1);
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
            }
            float[] yf = new float[y.length];
            long[] idxf = new long[w.outputSize()];
            Pool.max(w, xf, off, yf, off, idxf, 0);
            // without indices: the separable vector path where the windows allow it, else the same loop
            double[] yn = new double[off + w.outputSize()];
            Pool.max(w, x, off, yn, off, null, 0);
            float[] yfn = new float[off + w.outputSize()];
            Pool.max(w, xf, off, yfn, off, null, 0);
            TestData.assertClose(y, yn, 0, 0, c.name() + " max without indices");
            TestData.assertClose(yf, yfn, 0, 0, c.name() + " float max without indices");
            PoolWindows avgW = w.withDivisors(true, new int[] {1});
            double[] ya = new double[w.outputSize()];
            Pool.avg(avgW, x, off, ya, 0);
            int o = 0;
            for (int p = 0; p < w.planes; p++) {
                for (int od = 0; od < w.out[0]; od++) {
                    for (int oh = 0; oh < w.out[1]; oh++) {
                        for (int ow = 0; ow < w.out[2]; ow++, o++) {
                            int[] t = taps(w, p, od, oh, ow);
                            double m = Double.NEGATIVE_INFINITY;
                            int arg = t[0];
                            double sum = 0;
                            for (int at : t) {
                                double v = x[off + p * w.inSpatial() + at];
                                sum += v;
                                if (v > m || Double.isNaN(v)) {
                                    m = v;
                                    arg = at;
                                }
                            }
                            assertEquals(m, y[off + o], c.name() + " max " + o);
                            assertEquals(arg, idx[1 + o], c.name() + " argmax " + o);
                            assertEquals((float) m, yf[off + o], c.name() + " float max " + o);
                            assertEquals(arg, idxf[o], c.name() + " float argmax " + o);
                            assertEquals(sum / avgW.divisor(od, oh, ow), ya[o], 1e-12, c.name() + " avg " + o);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsAreTheAdjoints() {
        SplittableRandom r = new SplittableRandom(8);
        for (Case c : cases()) {
            PoolWindows w = c.w().withDivisors(false, new int[] {1});
            double[] x = TestData.doubles(r, w.inputSize(), -1, 1);
            double[] dy = TestData.doubles(r, w.outputSize(), -1, 1);
            double[] y = new double[w.outputSize()];
            long[] idx = new long[w.outputSize()];
            double[] dx = TestData.doubles(r, w.inputSize(), 4, 5);
            Pool.max(w, x, 0, y, 0, idx, 0);
            Pool.maxBackward(w, dy, 0, idx, 0, dx, 0);
            // <max(x), dy> = <x, maxBackward(dy)> (max is linear in x with the argmax fixed)
            assertEquals(ConvTest.dot(y, dy), ConvTest.dot(x, dx), 1e-12, c.name() + " max adjoint");
            Pool.avg(w, x, 0, y, 0);
            Pool.avgBackward(w, dy, 0, dx, 0);
            assertEquals(ConvTest.dot(y, dy), ConvTest.dot(x, dx), 1e-12, c.name() + " avg adjoint");
            float[] dyf = new float[dy.length];
            for (int i = 0; i < dy.length; i++) {
                dyf[i] = (float) dy[i];
            }
            float[] dxf = new float[dx.length];
            Pool.avgBackward(w, dyf, 0, dxf, 0);
            for (int i = 0; i < dx.length; i++) {
                assertEquals(dx[i], dxf[i], 1e-5, c.name() + " float avg backward");
            }
        }
    }

    @Test
    void badArgumentsFailBeforeWriting() {
        PoolWindows w = PoolWindows.regular(1, new int[] {4}, new int[] {2}, new int[] {2}, new int[] {2},
                new int[] {0}, new int[] {1});
        double[] dx = {9, 9, 9, 9};
        assertThrows(IllegalArgumentException.class,
                () -> Pool.maxBackward(w, new double[2], 0, new long[] {0, 4}, 0, dx, 0));
        assertArrayEquals(new double[] {9, 9, 9, 9}, dx);
        assertThrows(IllegalArgumentException.class, () -> Pool.avg(w, new double[4], 0, new double[2], 0));
        assertThrows(IllegalArgumentException.class, () -> Pool.max(w, new double[3], 0, new double[2], 0, null, 0));
        assertThrows(IllegalArgumentException.class, () -> PoolWindows.perPlane(1, new int[] {4}, new int[] {1},
                new int[] {2}, new int[][] {{3}}));
    }
}
