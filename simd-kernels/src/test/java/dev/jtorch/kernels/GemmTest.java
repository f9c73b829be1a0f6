package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gemm against its scalar twin: odd shapes, both transposes, alpha/beta cases, offsets and padded leading
 * dimensions; the error bound of each element is derived from the sum of |a||b| computed in double.
 */
class GemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 13}, {13, 1, 7}, {1, 1, 33}, {3, 5, 7}, {7, 3, 1}, {6, 32, 5}, {13, 33, 17},
        {33, 17, 702}, {17, 207, 33}, {64, 64, 64}, {207, 13, 300}, {5, 702, 3}, {150, 97, 261}, {0, 5, 3},
        {4, 0, 3}, {4, 5, 0},
    };
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {-0.5f, 2.5f}, {2f, 0f}, {0f, 0.5f}, {0f, 0f}};

    private record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                        int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {
        @Override
        public String toString() {
            return "transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
        }
    }

    private static Case randomCase(SplittableRandom r, int[] s, boolean ta, boolean tb, float[] ab, boolean padded) {
        int m = s[0], n = s[1], k = s[2];
        int pad = padded ? 1 + r.nextInt(5) : 0;
        int lda = Math.max(1, ta ? m : k) + pad, ldb = Math.max(1, tb ? k : n) + pad, ldc = Math.max(1, n) + pad;
        int off = padded ? 1 + r.nextInt(7) : 0;
        return new Case(ta, tb, m, n, k, ab[0], ab[1], off, lda, off + 2, ldb, off + 1, ldc);
    }

    private static int size(int rows, int cols, int ld, int off) {
        return off + (rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols) + 3;
    }

    @Test
    void sgemmMatchesScalarTwin() {
        SplittableRandom r = new SplittableRandom(1);
        int checked = 0;
        for (int[] s : SHAPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : ALPHA_BETA) {
                        for (boolean padded : new boolean[] {false, true}) {
                            checkFloat(r, randomCase(r, s, ta, tb, ab, padded));
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(SHAPES.length * 4 * ALPHA_BETA.length * 2, checked);
    }

    @Test
    void dgemmMatchesScalarTwin() {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] s : SHAPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : ALPHA_BETA) {
                        checkDouble(r, randomCase(r, s, ta, tb, ab, true));
                    }
                }
            }
        }
    }

    private static void checkFloat(SplittableRandom r, Case c) {
        int aRows = c.ta ? c.k : c.m, aCols = c.ta ? c.m : c.k, bRows = c.tb ? c.n : c.k, bCols = c.tb ? c.k : c.n;
        float[] a = TestData.floats(r, size(aRows, aCols, c.lda, c.aOff), -1f, 1f);
        float[] b = TestData.floats(r, size(bRows, bCols, c.ldb, c.bOff), -1f, 1f);
        float[] c0 = TestData.floats(r, size(c.m, c.n, c.ldc, c.cOff), -1f, 1f);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        ScalarGemm.sgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb, c.beta, expected, c.cOff, c.ldc);
        Gemm.sgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb, c.beta, actual, c.cOff, c.ldc);
        // error bound per element: a few ulps of sum |alpha a b| + |beta c|
        double[] bound = new double[c0.length];
        for (int i = 0; i < c.m; i++) {
            for (int j = 0; j < c.n; j++) {
                double s = 0;
                for (int p = 0; p < c.k; p++) {
                    float av = c.ta ? a[c.aOff + p * c.lda + i] : a[c.aOff + i * c.lda + p];
                    float bv = c.tb ? b[c.bOff + j * c.ldb + p] : b[c.bOff + p * c.ldb + j];
                    s += Math.abs((double) av * bv);
                }
                int idx = c.cOff + i * c.ldc + j;
                bound[idx] = 4 * Math.ulp(1f) * (Math.abs(c.alpha) * s * (2 + Math.sqrt(c.k)) + Math.abs(c.beta * c0[idx])) + 1e-30;
            }
        }
        for (int i = 0; i < c0.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > bound[i]) {
                fail(c + ": C[" + i + "] = " + actual[i] + " but the scalar twin gives " + expected[i]);
            }
        }
    }

    private static void checkDouble(SplittableRandom r, Case c) {
        int aRows = c.ta ? c.k : c.m, aCols = c.ta ? c.m : c.k, bRows = c.tb ? c.n : c.k, bCols = c.tb ? c.k : c.n;
        double[] a = TestData.doubles(r, size(aRows, aCols, c.lda, c.aOff), -1, 1);
        double[] b = TestData.doubles(r, size(bRows, bCols, c.ldb, c.bOff), -1, 1);
        double[] c0 = TestData.doubles(r, size(c.m, c.n, c.ldc, c.cOff), -1, 1);
        double[] expected = c0.clone();
        double[] actual = c0.clone();
        ScalarGemm.dgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb, c.beta, expected, c.cOff, c.ldc);
        Gemm.dgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb, c.beta, actual, c.cOff, c.ldc);
        TestData.assertClose(expected, actual, 1e-13 * (1 + c.k), 1e-12, c.toString());
    }

    @Test
    void betaZeroDoesNotReadC() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] s : new int[][] {{1, 9, 5}, {9, 1, 5}, {13, 37, 11}, {7, 7, 0}}) {
            float[] a = TestData.floats(r, s[0] * s[2], -1, 1);
            float[] b = TestData.floats(r, s[2] * s[1], -1, 1);
            float[] c = new float[s[0] * s[1]];
            Arrays.fill(c, Float.NaN);
            Gemm.sgemm(false, false, s[0], s[1], s[2], 1f, a, 0, Math.max(1, s[2]), b, 0, s[1], 0f, c, 0, s[1]);
            for (float v : c) {
                assertFalse(Float.isNaN(v), "NaN leaked from C with beta = 0 for shape " + Arrays.toString(s));
            }
            double[] cd = new double[s[0] * s[1]];
            Arrays.fill(cd, Double.NaN);
            double[] ad = new double[a.length], bd = new double[b.length];
            Gemm.dgemm(false, false, s[0], s[1], s[2], 1, ad, 0, Math.max(1, s[2]), bd, 0, s[1], 0, cd, 0, s[1]);
            for (double v : cd) {
                assertFalse(Double.isNaN(v), "NaN leaked from C with beta = 0 (double) for shape " + Arrays.toString(s));
            }
        }
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        SplittableRandom r = new SplittableRandom(4);
        int saved = Kernels.threads();
        try {
            for (int[] s : new int[][] {{301, 157, 129}, {97, 411, 200}, {1, 3000, 500}, {2000, 1, 700}}) {
                for (boolean ta : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = TestData.floats(r, m * k, -1, 1);
                    float[] b = TestData.floats(r, k * n, -1, 1);
                    float[][] results = new float[4][];
                    int[] threads = {1, 2, 3, 4};
                    for (int t = 0; t < threads.length; t++) {
                        Kernels.setThreads(threads[t]);
                        results[t] = new float[m * n];
                        Gemm.sgemm(ta, false, m, n, k, 1f, a, 0, ta ? m : k, b, 0, n, 0f, results[t], 0, n);
                    }
                    for (int t = 1; t < threads.length; t++) {
                        assertArrayEquals(results[0], results[t], "threads=" + threads[t] + " differs from threads=1 for "
                                + Arrays.toString(s));
                    }
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyWrite() {
        float[] a = new float[12], b = new float[12], c = new float[12];
        Arrays.fill(c, 7f);
        assertMessage("m must be >= 0 but was -1",
                () -> Gemm.sgemm(false, false, -1, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
        assertMessage("lda must be >= 4",
                () -> Gemm.sgemm(false, false, 3, 3, 4, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 3));
        assertMessage("ldb must be >= 4 (the row length of b as stored, transB=true: n x k) but was 3",
                () -> Gemm.sgemm(false, true, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
        assertMessage("c is too short",
                () -> Gemm.sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 4, 3));
        assertMessage("a is too short",
                () -> Gemm.sgemm(false, false, 3, 3, 4, 1f, a, 1, 4, b, 0, 3, 0f, c, 0, 3));
        assertMessage("b offset must be >= 0 but was -2",
                () -> Gemm.sgemm(false, false, 3, 3, 4, 1f, a, 0, 4, b, -2, 3, 0f, c, 0, 3));
        assertMessage("a must not be null",
                () -> Gemm.sgemm(false, false, 3, 3, 4, 1f, null, 0, 4, b, 0, 3, 0f, c, 0, 3));
        assertMessage("ldc must be >= 3",
                () -> Gemm.dgemm(false, false, 3, 3, 4, 1, new double[12], 0, 4, new double[12], 0, 3, 0, new double[12], 0, 2));
        for (float v : c) {
            assertEquals(7f, v, "C was written before the arguments were checked");
        }
    }

    static void assertMessage(String expectedPart, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expectedPart), "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
