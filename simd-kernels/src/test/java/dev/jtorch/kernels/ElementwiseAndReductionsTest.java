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

    /**
     * The online softmax over two key tiles equals its scalar twin (odd sizes, offsets), and the running (m, l) with
     * the accumulated, alpha-rescaled probabilities equal a softmax over the joined row; rows masked so far stay 0.
     */
    @Test
    void onlineSoftmaxMatchesItsTwinAndTheWholeRowSoftmax() {
        SplittableRandom r = new SplittableRandom(33);
        for (int cols : TestData.SIZES) {
            if (cols == 0) {
                continue;
            }
            int rows = 3, ld = cols + 3, off = 2;
            float[] t1 = TestData.floats(r, off + rows * ld, -20, 20);
            float[] t2 = TestData.floats(r, off + rows * ld, -20, 20);
            for (int c = 0; c < cols; c++) {
                t1[off + 2 * ld + c] = Float.NEGATIVE_INFINITY;   // row 2: the first tile is fully masked
            }
            float[] me = new float[rows + 1], le = new float[rows + 1], ae = new float[rows + 1];
            java.util.Arrays.fill(me, Float.NEGATIVE_INFINITY);
            float[] mv = me.clone(), lv = le.clone(), av = ae.clone();
            float[] se = t1.clone(), sv = t1.clone();
            ScalarReductions.onlineSoftmax(rows, cols, se, off, ld, me, le, ae, 1);
            Reductions.onlineSoftmax(rows, cols, sv, off, ld, mv, lv, av, 1);
            TestData.assertClose(se, sv, 1e-6, 1e-6, "tile 1 cols=" + cols);
            TestData.assertClose(le, lv, 1e-6, 1e-6, "l after tile 1 cols=" + cols);
            assertArrayEquals(me, mv, "m after tile 1 cols=" + cols);
            assertEquals(1f, av[3], "a fully masked row keeps alpha 1");
            assertEquals(0f, sv[off + 2 * ld], "a fully masked row is zeroed");
            float[] se2 = t2.clone(), sv2 = t2.clone();
            ScalarReductions.onlineSoftmax(rows, cols, se2, off, ld, me, le, ae, 1);
            Reductions.onlineSoftmax(rows, cols, sv2, off, ld, mv, lv, av, 1);
            TestData.assertClose(se2, sv2, 1e-6, 1e-6, "tile 2 cols=" + cols);
            TestData.assertClose(le, lv, 1e-6, 1e-6, "l after tile 2 cols=" + cols);
            // against a softmax of the joined rows (a scalar twin, in double)
            for (int row = 0; row < rows; row++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    mx = Math.max(mx, Math.max(t1[off + row * ld + c], t2[off + row * ld + c]));
                }
                double z = 0;
                for (int c = 0; c < cols; c++) {
                    z += Math.exp(t1[off + row * ld + c] - mx) + Math.exp(t2[off + row * ld + c] - mx);
                }
                assertEquals(mx, mv[1 + row], 0, "running max row " + row);
                assertEquals(z, lv[1 + row], 1e-5 * z, "running sum row " + row);
                for (int c = 0; c < cols; c++) {
                    double p1 = sv[off + row * ld + c] * av[1 + row] / lv[1 + row];
                    double p2 = sv2[off + row * ld + c] / lv[1 + row];
                    assertEquals(Math.exp(t1[off + row * ld + c] - mx) / z, p1, 1e-6, "p tile 1");
                    assertEquals(Math.exp(t2[off + row * ld + c] - mx) / z, p2, 1e-6, "p tile 2");
                }
            }
            double[] dt = TestData.doubles(r, rows * cols, -20, 20);
            double[] dme = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5}, dle = {0, 0, 2}, dae = new double[3];
            double[] dmv = dme.clone(), dlv = dle.clone(), dav = dae.clone(), de = dt.clone(), dv = dt.clone();
            ScalarReductions.onlineSoftmax(rows, cols, de, 0, cols, dme, dle, dae, 0);
            Reductions.onlineSoftmax(rows, cols, dv, 0, cols, dmv, dlv, dav, 0);
            TestData.assertClose(de, dv, 1e-14, 1e-14, "double tile cols=" + cols);
            TestData.assertClose(dle, dlv, 1e-14, 1e-14, "double l cols=" + cols);
            TestData.assertClose(dae, dav, 1e-14, 1e-14, "double alpha cols=" + cols);
        }
        GemmTest.assertMessage("alpha is too short", () -> Reductions.onlineSoftmax(2, 3, new float[6], 0, 3,
                new float[2], new float[2], new float[1], 0));
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
