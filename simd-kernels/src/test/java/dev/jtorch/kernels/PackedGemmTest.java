package dev.jtorch.kernels;

import static dev.jtorch.kernels.GemmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GEMM with a prepacked right operand ({@link Gemm#packB}): against the scalar twin on odd shapes (k across
 * several KC blocks, n off the panel width, m = 1 for the packed GEMV), bit-identical to the unpacked GEMM and
 * independent of m and of the thread count, and its argument checks.
 */
class PackedGemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 13}, {2, 1, 7}, {1, 1024, 256}, {1, 97, 600}, {3, 5, 7}, {6, 32, 5}, {13, 33, 17},
        {33, 17, 702}, {17, 207, 33}, {64, 64, 64}, {32, 1024, 256}, {5, 702, 3}, {150, 97, 261}, {1, 130, 513},
        {0, 5, 3}, {4, 0, 3}, {4, 5, 0},
    };
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {-0.5f, 2.5f}, {0f, 0.5f}};

    private static int size(int rows, int cols, int ld, int off) {
        return off + (rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols) + 3;
    }

    @Test
    void sgemmPackedMatchesScalarTwinAndUnpackedGemm() {
        SplittableRandom r = new SplittableRandom(11);
        int checked = 0;
        for (int[] s : SHAPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : ALPHA_BETA) {
                        int m = s[0], n = s[1], k = s[2];
                        int pad = r.nextInt(4);
                        int lda = Math.max(1, ta ? m : k) + pad, ldb = Math.max(1, tb ? k : n) + pad;
                        int ldc = Math.max(1, n) + pad;
                        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
                        float[] a = TestData.floats(r, size(ta ? k : m, ta ? m : k, lda, aOff), -1f, 1f);
                        float[] b = TestData.floats(r, size(tb ? n : k, tb ? k : n, ldb, bOff), -1f, 1f);
                        float[] c0 = TestData.floats(r, size(m, n, ldc, cOff), -1f, 1f);
                        float[] expected = c0.clone(), unpacked = c0.clone(), actual = c0.clone();
                        ScalarGemm.sgemm(ta, tb, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], expected, cOff, ldc);
                        Gemm.sgemm(ta, tb, m, n, k, ab[0], a, aOff, lda, b, bOff, ldb, ab[1], unpacked, cOff, ldc);
                        PackedB pb = Gemm.packB(tb, k, n, b, bOff, ldb);
                        Gemm.sgemm(ta, m, ab[0], a, aOff, lda, pb, ab[1], actual, cOff, ldc);
                        String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                                + " alpha=" + ab[0] + " beta=" + ab[1];
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double sum = 0;
                                for (int p = 0; p < k; p++) {
                                    float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                                    float bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                                    sum += Math.abs((double) av * bv);
                                }
                                int idx = cOff + i * ldc + j;
                                double bound = 4 * Math.ulp(1f) * (Math.abs(ab[0]) * sum * (2 + Math.sqrt(k))
                                        + Math.abs(ab[1] * c0[idx])) + 1e-30;
                                if (Math.abs(actual[idx] - expected[idx]) > bound) {
                                    fail(what + ": C[" + i + "," + j + "] = " + actual[idx] + " but the scalar twin gives "
                                            + expected[idx]);
                                }
                            }
                        }
                        if (m >= 2 && n >= 2) {
                            assertArrayEquals(unpacked, actual, what + ": packed differs from the unpacked GEMM");
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(SHAPES.length * 4 * ALPHA_BETA.length, checked);
    }

    @Test
    void dgemmPackedMatchesScalarTwin() {
        SplittableRandom r = new SplittableRandom(12);
        for (int[] s : SHAPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2];
                    int lda = Math.max(1, ta ? m : k) + 1, ldb = Math.max(1, tb ? k : n) + 2, ldc = Math.max(1, n) + 3;
                    double[] a = TestData.doubles(r, size(ta ? k : m, ta ? m : k, lda, 1), -1, 1);
                    double[] b = TestData.doubles(r, size(tb ? n : k, tb ? k : n, ldb, 2), -1, 1);
                    double[] c0 = TestData.doubles(r, size(m, n, ldc, 3), -1, 1);
                    double[] expected = c0.clone(), unpacked = c0.clone(), actual = c0.clone();
                    ScalarGemm.dgemm(ta, tb, m, n, k, -0.5, a, 1, lda, b, 2, ldb, 2.5, expected, 3, ldc);
                    Gemm.dgemm(ta, tb, m, n, k, -0.5, a, 1, lda, b, 2, ldb, 2.5, unpacked, 3, ldc);
                    Gemm.dgemm(ta, m, -0.5, a, 1, lda, Gemm.packB(tb, k, n, b, 2, ldb), 2.5, actual, 3, ldc);
                    String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb;
                    TestData.assertClose(expected, actual, 1e-13 * (1 + k), 1e-12, what);
                    if (m >= 2 && n >= 2) {
                        assertArrayEquals(unpacked, actual, what + ": packed differs from the unpacked GEMM");
                    }
                }
            }
        }
    }

    @Test
    void aRowDoesNotDependOnMOrThreadCount() {
        SplittableRandom r = new SplittableRandom(13);
        int saved = Kernels.threads();
        try {
            for (int[] s : new int[][] {{301, 157, 129}, {64, 2048, 512}, {5, 1030, 700}}) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = TestData.floats(r, m * k, -1, 1);
                float[] b = TestData.floats(r, n * k, -1, 1);
                PackedB pb = Gemm.packB(true, k, n, b, 0, k);
                float[][] results = new float[3][];
                for (int t = 1; t <= 3; t++) {
                    Kernels.setThreads(t);
                    results[t - 1] = new float[m * n];
                    Gemm.sgemm(false, m, 1f, a, 0, k, pb, 0f, results[t - 1], 0, n);
                }
                assertArrayEquals(results[0], results[1], "threads=2 differs for " + Arrays.toString(s));
                assertArrayEquals(results[0], results[2], "threads=3 differs for " + Arrays.toString(s));
                for (int i : new int[] {0, m / 2, m - 1}) {
                    float[] row = new float[n];
                    Gemm.sgemm(false, 1, 1f, a, i * k, k, pb, 0f, row, 0, n);
                    assertArrayEquals(Arrays.copyOfRange(results[0], i * n, (i + 1) * n), row,
                            "row " + i + " alone (GEMV) differs from the same row in the product " + Arrays.toString(s));
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void packedFormIsASnapshot() {
        SplittableRandom r = new SplittableRandom(14);
        float[] a = TestData.floats(r, 3 * 5, -1, 1);
        float[] b = TestData.floats(r, 5 * 4, -1, 1);
        PackedB pb = Gemm.packB(false, 5, 4, b, 0, 4);
        float[] before = new float[12];
        Gemm.sgemm(false, 3, 1f, a, 0, 5, pb, 0f, before, 0, 4);
        Arrays.fill(b, 100f);
        float[] after = new float[12];
        Gemm.sgemm(false, 3, 1f, a, 0, 5, pb, 0f, after, 0, 4);
        assertArrayEquals(before, after);
        assertEquals(5, pb.k());
        assertEquals(4, pb.n());
        assertEquals("PackedB(5 x 4, float32)", pb.toString());
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyWrite() {
        float[] b = new float[12];
        assertMessage("ldb must be >= 4 (the row length of b as stored, transB=true: n x k) but was 3",
                () -> Gemm.packB(true, 4, 3, b, 0, 3));
        assertMessage("b is too short", () -> Gemm.packB(false, 4, 4, b, 0, 4));
        assertMessage("k must be >= 0 but was -1", () -> Gemm.packB(false, -1, 4, b, 0, 4));
        PackedB pb = Gemm.packB(false, 4, 3, b, 0, 3);
        float[] c = new float[6];
        Arrays.fill(c, 7f);
        assertMessage("lda must be >= 4", () -> Gemm.sgemm(false, 2, 1f, new float[8], 0, 3, pb, 0f, c, 0, 3));
        assertMessage("c is too short", () -> Gemm.sgemm(false, 2, 1f, new float[8], 0, 4, pb, 0f, c, 1, 3));
        assertMessage("b was packed from float[] (PackedB(4 x 3, float32)); use sgemm",
                () -> Gemm.dgemm(false, 2, 1, new double[8], 0, 4, pb, 0, new double[6], 0, 3));
        assertMessage("b must not be null", () -> Gemm.sgemm(false, 2, 1f, new float[8], 0, 4, null, 0f, c, 0, 3));
        for (float v : c) {
            assertEquals(7f, v, "C was written before the arguments were checked");
        }
    }
}
