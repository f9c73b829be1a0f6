package dev.jtorch.kernels;

/**
 * General matrix multiply in BLAS conventions on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
 *
 * <p>Args, for both {@link #sgemm} and {@link #dgemm}:
 * <ul>
 *   <li>{@code transA}, {@code transB}: whether A (stored k x m) and B (stored n x k) are transposed.</li>
 *   <li>{@code m}, {@code n}, {@code k}: op(A) is m x k, op(B) is k x n, C is m x n; each >= 0.</li>
 *   <li>{@code a, aOff, lda}: A's elements start at {@code aOff}; row r of A as stored starts at
 *       {@code aOff + r * lda}; {@code lda} is at least the row length as stored (k, or m when transposed).</li>
 *   <li>{@code b, bOff, ldb}, {@code c, cOff, ldc}: likewise. A and B are read; C is written.</li>
 *   <li>{@code beta}: when 0, C is overwritten without being read (NaN in C does not leak).</li>
 * </ul>
 *
 * <p>The vector path packs A and B into panels, runs a register-blocked FMA micro-kernel
 * ({@code MR x NR} tiles, see {@code VectorSgemm}), blocks for the caches, takes a GEMV path when
 * {@code m == 1} or {@code n == 1}, and splits large products over {@link Kernels#threads()} threads. Each
 * element of C is summed in the same order whatever the thread count.
 *
 * <p>Example:
 * <pre>{@code
 * // C[2x2] = A[2x3] * B[3x2]
 * Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
 * }</pre>
 *
 * @throws IllegalArgumentException for negative sizes or offsets, a leading dimension smaller than the row
 *         length, or arrays too short; nothing is written then.
 */
public final class Gemm {
    private Gemm() {
    }

    /** Single precision GEMM; see the class documentation. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda,
                b, b == null ? 0 : b.length, bOff, ldb, c, c == null ? 0 : c.length, cOff, ldc);
        if (Kernels.VECTOR) {
            VectorSgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Double precision GEMM; see the class documentation. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        Checks.gemm(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda,
                b, b == null ? 0 : b.length, bOff, ldb, c, c == null ? 0 : c.length, cOff, ldc);
        if (Kernels.VECTOR) {
            VectorDgemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            ScalarGemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }
}
