package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Elementwise and row-wise kernels against their scalar twins on odd sizes and offsets, plus their edge cases. */
class ElementwiseAndReductionsTest {
    @Test
    void elementwiseMatchesTwins() {
        SplittableRandom r = new SplittableRandom(31);
        for (int n : TestData.SIZES) {
            float[] a = TestData.floats(r, n + 3, -2, 2), b = TestData.floats(r, n + 5, 0.5f, 2);
            for (String op : new String[] {"add", "sub", "mul", "div", "axpy", "scale"}) {
                float[] e = TestData.floats(r, n + 4, -1, 1), v = e.clone();
                switch (op) {
                    case "add" -> {
                        ScalarElementwise.add(a, 1, b, 3, e, 2, n);
                        Elementwise.add(a, 1, b, 3, v, 2, n);
                    }
                    case "sub" -> {
                        ScalarElementwise.sub(a, 1, b, 3, e, 2, n);
                        Elementwise.sub(a, 1, b, 3, v, 2, n);
                    }
                    case "mul" -> {
                        ScalarElementwise.mul(a, 1, b, 3, e, 2, n);
                        Elementwise.mul(a, 1, b, 3, v, 2, n);
                    }
                    case "div" -> {
                        ScalarElementwise.div(a, 1, b, 3, e, 2, n);
                        Elementwise.div(a, 1, b, 3, v, 2, n);
                    }
                    case "axpy" -> {
                        ScalarElementwise.axpy(n, -0.75f, a, 1, e, 2);
                        Elementwise.axpy(n, -0.75f, a, 1, v, 2);
                    }
                    default -> {
                        ScalarElementwise.scale(3.5f, a, 1, e, 2, n);
                        Elementwise.scale(3.5f, a, 1, v, 2, n);
                    }
                }
                assertArrayEquals(e, v, op + " n=" + n); // single roundings: bit-identical
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(a[1 + i] * b[3 + i]);
            }
            assertEquals(ScalarElementwise.dot(a, 1, b, 3, n), Elementwise.dot(a, 1, b, 3, n),
                    2 * n * Math.ulp(1f) * s + 1e-30, "dot n=" + n);
            double[] ad = TestData.doubles(r, n, -1, 1), bd = TestData.doubles(r, n, -1, 1);
            double[] ed = new double[n], vd = new double[n];
            ScalarElementwise.axpy(n, 0.3, ad, 0, ed, 0);
            Elementwise.axpy(n, 0.3, ad, 0, vd, 0);
            assertArrayEquals(ed, vd, 0, "double axpy n=" + n);
            ScalarElementwise.div(ad, 0, bd, 0, ed, 0, n);
            Elementwise.div(ad, 0, bd, 0, vd, 0, n);
            assertArrayEquals(ed, vd, 0, "double div n=" + n);
            assertEquals(ScalarElementwise.dot(ad, 0, bd, 0, n), Elementwise.dot(ad, 0, bd, 0, n), 1e-14 * (n + 1), "double dot");
        }
    }

    @Test
    void reductionsMatchTwins() {
        SplittableRandom r = new SplittableRandom(32);
        for (int cols : TestData.SIZES) {
            if (cols == 0) {
                continue;
            }
            int rows = 3, ld = cols + 2, off = 1;
            float[] x = TestData.floats(r, off + rows * ld, -30, 30);
            float[] e = new float[rows + 1], v = e.clone();
            ScalarReductions.rowSum(rows, cols, x, off, ld, e, 1);
            Reductions.rowSum(rows, cols, x, off, ld, v, 1);
            TestData.assertClose(e, v, 30 * cols * 1e-6, 1e-5, "rowSum cols=" + cols);
            ScalarReductions.rowMax(rows, cols, x, off, ld, e, 1);
            Reductions.rowMax(rows, cols, x, off, ld, v, 1);
            assertArrayEquals(e, v, "rowMax cols=" + cols);
            long[] ie = new long[rows], iv = new long[rows];
            ScalarReductions.rowArgmax(rows, cols, x, off, ld, ie, 0);
            Reductions.rowArgmax(rows, cols, x, off, ld, iv, 0);
            assertArrayEquals(ie, iv, "rowArgmax cols=" + cols);
            float[] se = new float[off + rows * ld], sv = se.clone();
            ScalarReductions.softmax(rows, cols, x, off, ld, se, off, ld);
            Reductions.softmax(rows, cols, x, off, ld, sv, off, ld);
            TestData.assertClose(se, sv, 1e-6, 1e-5, "softmax cols=" + cols);
            ScalarReductions.logSoftmax(rows, cols, x, off, ld, se, off, ld);
            Reductions.logSoftmax(rows, cols, x, off, ld, sv, off, ld);
            TestData.assertClose(se, sv, 1e-5, 1e-5, "logSoftmax cols=" + cols);
            double[] xd = TestData.doubles(r, rows * cols, -30, 30), de = new double[rows * cols], dv = de.clone();
            ScalarReductions.logSoftmax(rows, cols, xd, 0, cols, de, 0, cols);
            Reductions.logSoftmax(rows, cols, xd, 0, cols, dv, 0, cols);
            TestData.assertClose(de, dv, 1e-13, 1e-13, "double logSoftmax cols=" + cols);
            ScalarReductions.softmax(rows, cols, xd, 0, cols, de, 0, cols);
            Reductions.softmax(rows, cols, xd, 0, cols, dv, 0, cols);
            TestData.assertClose(de, dv, 1e-15, 1e-13, "double softmax cols=" + cols);
        }
    }

    @Test
    void softmaxIsStableAndArgmaxFollowsTorch() {
        float[] x = {1000f, 1001f, 999f, -1000f, 5f, 5f, 5f, Float.NaN, 2f, 7f, 7f, 1f};
        float[] y = new float[12];
        Reductions.softmax(3, 4, x, 0, 4, y, 0, 4);
        float s = y[0] + y[1] + y[2] + y[3];
        assertEquals(1f, s, 1e-6f, "softmax of large logits sums to 1 without overflow");
        assertTrue(Float.isNaN(y[4]) && Float.isNaN(y[7]), "a NaN makes its row NaN");
        long[] idx = new long[3];
        Reductions.rowArgmax(3, 4, x, 0, 4, idx, 0);
        assertArrayEquals(new long[] {1, 3, 1}, idx, "argmax: first NaN, then first of ties");
        float[] mx = new float[3];
        Reductions.rowMax(3, 4, x, 0, 4, mx, 0);
        assertTrue(Float.isNaN(mx[1]), "max propagates NaN");
        GemmTest.assertMessage("cannot reduce rows of 0 columns",
                () -> Reductions.rowMax(2, 0, x, 0, 1, mx, 0));
        GemmTest.assertMessage("ldx must be >= 4", () -> Reductions.softmax(3, 4, x, 0, 3, y, 0, 4));
        GemmTest.assertMessage("y is too short", () -> Elementwise.add(x, 0, x, 0, new float[3], 0, 4));
        GemmTest.assertMessage("n must be >= 0 but was -1", () -> Elementwise.dot(x, 0, x, 0, -1));
    }
}
