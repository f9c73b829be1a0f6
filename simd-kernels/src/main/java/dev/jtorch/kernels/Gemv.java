package dev.jtorch.kernels;

/**
 * Matrix-vector products {@code y += x op(B)} on a matrix packed once ({@link PackedGemv}), in float32 or with
 * bfloat16 elements and float32 accumulation: the per-step product of a recurrent layer at batch 1, which
 * streams the whole weight every step and so is bound by the bytes read, not by the multiply-adds.
 *
 * <p>Args: {@code x[xOff .. xOff+k)}, {@code y[yOff .. yOff+n)} for a k x n packed matrix; y may not overlap
 * x. Each y element is computed in the same order whatever the panel it falls in, so a product split by
 * columns across threads (each thread packing its own columns) gives the same bits as one product.
 *
 * <p>Example:
 * <pre>{@code
 * PackedGemv w = Gemv.pack(true, hidden, 4 * hidden, wHh, 0, hidden);   // W_hh^T, float32
 * Gemv.gemv(h, 0, w, gates, 0);                                        // gates += h W_hh^T
 * }</pre>
 *
 * <p>The methods throw {@link IllegalArgumentException} for negative sizes or offsets, or arrays too short,
 * before any write.
 */
public final class Gemv {
    private Gemv() {
    }

    /** The panel width of the kernel in use (a layout chosen once), for float32 or bfloat16 elements. */
    private static int panelWidth(boolean bf16) {
        return !Kernels.VECTOR ? ScalarGemv.NP : bf16 ? VectorGemv.NP : VectorGemv.NPF;
    }

    private static int packedLength(long panels, long rows, int np, String what) {
        long len = panels * rows * np;
        if (len >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": the packed matrix needs " + len
                    + " elements, more than one Java array holds");
        }
        return (int) len;
    }

    private static void checkPack(String what, boolean transB, int k, int n, int length, int bOff, int ldb) {
        Checks.nonNegative("k", k);
        Checks.nonNegative("n", n);
        Checks.matrix("b", "ldb", length, bOff, transB ? n : k, transB ? k : n, ldb,
                transB ? "transB=true: n x k" : "transB=false: k x n");
    }

    /**
     * Packs {@code op(B)} (k x n; B stored n x k row-major when {@code transB}) in float32.
     *
     * @throws IllegalArgumentException for negative sizes or offsets, a short array or leading dimension
     */
    public static PackedGemv pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        Checks.notNull("b", b);
        checkPack("Gemv.pack", transB, k, n, b.length, bOff, ldb);
        int np = panelWidth(false);
        int panels = (n + np - 1) / np;
        float[] dst = new float[packedLength(panels, k, np, "Gemv.pack")];
        for (int p = 0; p < panels; p++) {
            for (int kk = 0; kk < k; kk++) {
                int d = (p * k + kk) * np;
                for (int c = 0; c < np && p * np + c < n; c++) {
                    int j = p * np + c;
                    dst[d + c] = transB ? b[bOff + j * ldb + kk] : b[bOff + kk * ldb + j];
                }
            }
        }
        return new PackedGemv(k, n, np, dst, null);
    }

    /**
     * Packs {@code op(B)} with bfloat16 elements given as their bits (what a bfloat16 tensor stores).
     *
     * @throws IllegalArgumentException as {@link #pack(boolean, int, int, float[], int, int)}
     */
    public static PackedGemv packBf16(boolean transB, int k, int n, short[] bBits, int bOff, int ldb) {
        Checks.notNull("b", bBits);
        checkPack("Gemv.packBf16", transB, k, n, bBits.length, bOff, ldb);
        int np = panelWidth(true);
        int panels = (n + np - 1) / np;
        int pairs = (k + 1) / 2;
        int[] dst = new int[packedLength(panels, pairs, np, "Gemv.packBf16")];
        for (int p = 0; p < panels; p++) {
            for (int q = 0; q < pairs; q++) {
                int d = (p * pairs + q) * np;
                for (int c = 0; c < np && p * np + c < n; c++) {
                    int j = p * np + c;
                    int lo = transB ? bBits[bOff + j * ldb + 2 * q] : bBits[bOff + 2 * q * ldb + j];
                    int hi = 2 * q + 1 >= k ? 0
                            : transB ? bBits[bOff + j * ldb + 2 * q + 1] : bBits[bOff + (2 * q + 1) * ldb + j];
                    dst[d + c] = (lo & 0xFFFF) | (hi << 16);
                }
            }
        }
        return new PackedGemv(k, n, np, null, dst);
    }

    /**
     * {@code y[yOff .. yOff+n) += x[xOff .. xOff+k) op(B)}, float32 accumulation.
     *
     * @throws IllegalArgumentException for a negative offset or arrays too short for w's k and n
     */
    public static void gemv(float[] x, int xOff, PackedGemv w, float[] y, int yOff) {
        Checks.notNull("w", w);
        Checks.range("x", x, xOff, w.k);
        Checks.range("y", y, yOff, w.n);
        Kernels.PROVIDER.gemv(x, xOff, w, y, yOff);
    }

    /** {@link #gemv} on the scalar path whatever the JVM supports: the twin the tests compare with. */
    static void gemvScalar(float[] x, int xOff, PackedGemv w, float[] y, int yOff) {
        Checks.notNull("w", w);
        Checks.range("x", x, xOff, w.k);
        Checks.range("y", y, yOff, w.n);
        ScalarGemv.gemv(x, xOff, w, y, yOff);
    }
}
