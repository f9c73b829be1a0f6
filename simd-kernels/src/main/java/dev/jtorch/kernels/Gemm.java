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
 * element of C is summed in the same order whatever the thread count. When many products share their right
 * operand (the recurrent weight of every RNN step), {@link #packB} packs it once into a {@link PackedB} and the
 * overloads that take one skip the per-product packing.
 *
 * <p>Example:
 * <pre>{@code
 * // C[2x2] = A[2x3] * B[3x2]
 * Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
 * }</pre>
 *
 * <p>The kernels throw {@link IllegalArgumentException} for negative sizes or offsets, a leading dimension
 * smaller than the row length, or arrays too short; nothing is written then.
 */
public final class Gemm {
    private Gemm() {
    }

    /** Single precision GEMM; see the class documentation. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        Kernels.PROVIDER.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Double precision GEMM; see the class documentation. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        Kernels.PROVIDER.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Packs {@code op(B)} (k x n; B stored n x k when {@code transB}) once, for the {@code sgemm} overload that
     * takes a {@link PackedB}: products with the same right operand then skip the per-product packing.
     *
     * @throws IllegalArgumentException for negative sizes or offsets, a short array or leading dimension, or
     *         a packed form of 2^31 elements or more; nothing is made then.
     */
    public static PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        checkPackB(transB, k, n, b, bOff, ldb);
        return Kernels.PROVIDER.packB(transB, k, n, b, bOff, ldb);
    }

    /** Double precision {@link #packB(boolean, int, int, float[], int, int)}. */
    public static PackedB packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        checkPackB(transB, k, n, b, bOff, ldb);
        return Kernels.PROVIDER.packB(transB, k, n, b, bOff, ldb);
    }

    private static void checkPackB(boolean transB, int k, int n, Object b, int bOff, int ldb) {
        Checks.nonNegative("k", k);
        Checks.nonNegative("n", n);
        Checks.matrix("b", "ldb", Checks.length("b", b), bOff, transB ? n : k, transB ? k : n, ldb,
                transB ? "transB=true: n x k" : "transB=false: k x n");
    }

    /**
     * {@code C = alpha * op(A) * B + beta * C} with B prepacked by {@link #packB(boolean, int, int, float[], int, int)}:
     * C is m x b.n(), op(A) is m x b.k(). Each element of C is bit-identical to what
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}
     * gives for m, n &gt;= 2 on the same operands, and a row of C does not depend on m (one row is computed as a
     * GEMV with the same per-element arithmetic).
     *
     * @throws IllegalArgumentException as {@code sgemm} does, or when {@code b} was packed from double[].
     */
    public static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b,
                             float beta, float[] c, int cOff, int ldc) {
        checkPacked("sgemm", transA, m, a, aOff, lda, b, false, c, cOff, ldc);
        Kernels.PROVIDER.gemm(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
    }

    /** Double precision {@link #sgemm(boolean, int, float, float[], int, int, PackedB, float, float[], int, int)}. */
    public static void dgemm(boolean transA, int m, double alpha, double[] a, int aOff, int lda, PackedB b,
                             double beta, double[] c, int cOff, int ldc) {
        checkPacked("dgemm", transA, m, a, aOff, lda, b, true, c, cOff, ldc);
        Kernels.PROVIDER.gemm(transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
    }

    private static int size(Object array) {
        return array == null ? 0 : Checks.length("array", array);
    }

    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aOff, int lda,
                                  Object b, int bOff, int ldb, Object c, int cOff, int ldc) {
        Checks.gemm(transA, transB, m, n, k, a, size(a), aOff, lda, b, size(b), bOff, ldb, c, size(c), cOff, ldc);
    }

    private static void checkPacked(String op, boolean transA, int m, Object a, int aOff, int lda, PackedB b,
                                    boolean doubles, Object c, int cOff, int ldc) {
        Checks.notNull("b", b);
        if (b.isDouble() != doubles) {
            throw new IllegalArgumentException(op + ": b was packed from " + (doubles ? "float[]" : "double[]") + " ("
                    + b + "); use " + (doubles ? "sgemm" : "dgemm"));
        }
        Checks.gemm(transA, false, m, b.n, b.k, a, size(a), aOff, lda,
                b, (long) b.k * b.n > Integer.MAX_VALUE ? Integer.MAX_VALUE : b.k * b.n, 0, Math.max(1, b.n),
                c, size(c), cOff, ldc);
    }
}
