package dev.jtorch.kernels;

/**
 * The scalar twin of the GEMM kernels and their specification: for each element of C, a plain dot product
 * of a row of op(A) and a column of op(B), then {@code c = alpha * dot + beta * c} ({@code c = alpha * dot}
 * when beta is 0, without reading C). Arguments are assumed valid ({@link Gemm} checks them).
 */
final class ScalarGemm {
    private ScalarGemm() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                if (alpha != 0f) {
                    int ai = aOff + i * aRow, bj = bOff + j * bCol;
                    for (int p = 0; p < k; p++) {
                        s += a[ai + p * aCol] * b[bj + p * bRow];
                    }
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double beta, double[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                if (alpha != 0) {
                    int ai = aOff + i * aRow, bj = bOff + j * bCol;
                    for (int p = 0; p < k; p++) {
                        s += a[ai + p * aCol] * b[bj + p * bRow];
                    }
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }
}
