package dev.jtorch.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The normalization kernels against their scalar twin on odd sizes and offsets, in both layouts (inner size
 * 1, and inner sizes across the lane count), and the moments against their two-pass definition in double.
 */
class NormTest {
    static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 1}, {7, 33, 1}, {2, 3, 17}, {1, 4, 33}, {3, 2, 64}, {2, 3, 207},
        {5, 1, 702}, {1, 7, 3}};

    @Test
    void floatKernelsMatchTheTwin() {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : SHAPES) {
            int outer = s[0], ch = s[1], inner = s[2], n = outer * ch * inner, off = 3;
            String what = outer + "x" + ch + "x" + inner;
            float[] x = TestData.floats(r, off + n, 2, 5);     // mean far from 0: the shifted sums matter
            float[] dy = TestData.floats(r, off + n, -1, 1);
            float[] a = TestData.floats(r, off + ch, -1, 1);
            float[] b = TestData.floats(r, off + ch, -1, 1);
            float[] c = TestData.floats(r, off + ch, -1, 1);
            for (boolean center : new boolean[] {true, false}) {
                float[] m = new float[off + ch], v = new float[off + ch], m2 = m.clone(), v2 = v.clone();
                Norm.moments(x, off, outer, ch, inner, center, m, off, v, off);
                ScalarNorm.moments(x, off, outer, ch, inner, center, m2, off, v2, off);
                TestData.assertClose(m2, m, 1e-5, 1e-5, what + " mean");
                TestData.assertClose(v2, v, 1e-5, 1e-4, what + " var");
            }
            float[] y = new float[off + n], y2 = y.clone();
            Norm.scaleShift(x, off, outer, ch, inner, a, off, b, off, y, off);
            ScalarNorm.scaleShift(x, off, outer, ch, inner, a, off, b, off, y2, off);
            TestData.assertClose(y2, y, 0, 0, what + " scaleShift");
            Norm.scaleShift(x, off, outer, ch, inner, a, off, null, 0, y, off);
            ScalarNorm.scaleShift(x, off, outer, ch, inner, a, off, null, 0, y2, off);
            TestData.assertClose(y2, y, 0, 0, what + " scale");
            Norm.scaleShift2(dy, off, x, off, outer, ch, inner, a, off, b, off, c, off, y, off);
            ScalarNorm.scaleShift2(dy, off, x, off, outer, ch, inner, a, off, b, off, c, off, y2, off);
            TestData.assertClose(y2, y, 0, 0, what + " scaleShift2");
            float[] s1 = new float[off + ch], s2 = s1.clone(), t1 = s1.clone(), t2 = s1.clone();
            Norm.channelSums(dy, off, x, off, outer, ch, inner, s1, off, s2, off);
            ScalarNorm.channelSums(dy, off, x, off, outer, ch, inner, t1, off, t2, off);
            TestData.assertClose(t1, s1, 1e-5, 1e-4, what + " sum dy");
            TestData.assertClose(t2, s2, 1e-4, 1e-4, what + " sum dy x");
            // rows: outer * ch rows of inner
            int rows = outer * ch;
            float[] mean = TestData.floats(r, off + rows, 2, 5), rstd = TestData.floats(r, off + rows, 0.5f, 2);
            float[] w = TestData.floats(r, off + inner, -1, 1), bb = TestData.floats(r, off + inner, -1, 1);
            for (int variant = 0; variant < 4; variant++) {
                float[] wv = variant % 2 == 0 ? w : null, bv = variant < 2 ? bb : null;
                Norm.rowAffine(x, off, rows, inner, mean, off, rstd, off, wv, off, bv, off, y, off);
                ScalarNorm.rowAffine(x, off, rows, inner, mean, off, rstd, off, wv, off, bv, off, y2, off);
                TestData.assertClose(y2, y, 1e-6, 1e-6, what + " rowAffine " + variant);
                for (boolean center : new boolean[] {true, false}) {
                    float[] dx = new float[off + n], dx2 = dx.clone();
                    float[] dw = new float[off + inner], dw2 = dw.clone(), db = dw.clone(), db2 = dw.clone();
                    Norm.rowAffineBackward(x, off, dy, off, rows, inner, mean, off, rstd, off, wv, off, center, dx, off,
                            dw, off, db, off);
                    ScalarNorm.rowAffineBackward(x, off, dy, off, rows, inner, mean, off, rstd, off, wv, off, center,
                            dx2, off, dw2, off, db2, off);
                    TestData.assertClose(dx2, dx, 1e-4, 1e-4, what + " rowAffineBackward dx");
                    TestData.assertClose(dw2, dw, 1e-4, 1e-4, what + " rowAffineBackward dw");
                    TestData.assertClose(db2, db, 1e-5, 1e-5, what + " rowAffineBackward db");
                }
            }
        }
    }

    @Test
    void doubleKernelsMatchTheTwinAndTheDefinition() {
        SplittableRandom r = new SplittableRandom(12);
        for (int[] s : SHAPES) {
            int outer = s[0], ch = s[1], inner = s[2], n = outer * ch * inner, off = 1;
            String what = outer + "x" + ch + "x" + inner;
            double[] x = TestData.doubles(r, off + n, 1000, 1001);
            double[] dy = TestData.doubles(r, off + n, -1, 1);
            double[] m = new double[ch], v = new double[ch];
            Norm.moments(x, off, outer, ch, inner, true, m, 0, v, 0);
            for (int c = 0; c < ch; c++) {
                double sum = 0;
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        sum += x[off + (o * ch + c) * inner + i];
                    }
                }
                double mean = sum / (outer * inner), sq = 0;
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        double d = x[off + (o * ch + c) * inner + i] - mean;
                        sq += d * d;
                    }
                }
                assertEquals(mean, m[c], 1e-12 * mean, what + " mean");
                assertEquals(sq / (outer * inner), v[c], 1e-9, what + " var");
            }
            double[] s1 = new double[ch], s2 = new double[ch], t1 = new double[ch], t2 = new double[ch];
            Norm.channelSums(dy, off, x, off, outer, ch, inner, s1, 0, s2, 0);
            ScalarNorm.channelSums(dy, off, x, off, outer, ch, inner, t1, 0, t2, 0);
            TestData.assertClose(t1, s1, 1e-12, 1e-12, what + " sum dy");
            TestData.assertClose(t2, s2, 1e-9, 1e-12, what + " sum dy x");
            double[] a = TestData.doubles(r, ch, -1, 1), b = TestData.doubles(r, ch, -1, 1);
            double[] y = new double[n], y2 = new double[n];
            Norm.scaleShift2(dy, off, x, off, outer, ch, inner, a, 0, b, 0, a, 0, y, 0);
            ScalarNorm.scaleShift2(dy, off, x, off, outer, ch, inner, a, 0, b, 0, a, 0, y2, 0);
            TestData.assertClose(y2, y, 0, 0, what + " scaleShift2");
            int rows = outer * ch;
            double[] mean = TestData.doubles(r, rows, 1000, 1001), rstd = TestData.doubles(r, rows, 0.5, 2);
            double[] w = TestData.doubles(r, inner, -1, 1);
            double[] dx = new double[n], dx2 = new double[n], dw = new double[inner], dw2 = new double[inner];
            Norm.rowAffineBackward(x, off, dy, off, rows, inner, mean, 0, rstd, 0, w, 0, true, dx, 0, dw, 0, null, 0);
            ScalarNorm.rowAffineBackward(x, off, dy, off, rows, inner, mean, 0, rstd, 0, w, 0, true, dx2, 0, dw2, 0,
                    null, 0);
            TestData.assertClose(dx2, dx, 1e-9, 1e-9, what + " rowAffineBackward dx");
            TestData.assertClose(dw2, dw, 1e-9, 1e-9, what + " rowAffineBackward dw");
        }
    }

    @Test
    void badArgumentsFailBeforeWriting() {
        float[] y = {7, 7};
        assertThrows(IllegalArgumentException.class,
                () -> Norm.scaleShift(new float[2], 0, 1, 2, 1, new float[1], 0, null, 0, y, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Norm.moments(new float[2], 0, -1, 2, 1, true, new float[2], 0, new float[2], 0));
        assertEquals(7f, y[0]);
    }
}
