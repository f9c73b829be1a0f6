package dev.jtorch.kernels;

/**
 * Scalar twin of {@link VectorGemv}: the same packed layout and, per column, the same operations in the same
 * order (float32: one chain of fused multiply-adds from y over the rows; bfloat16: two chains over the even and
 * odd rows, the y value starting the even chain, added at the end), so both paths give bit-identical results.
 */
final class ScalarGemv {
    /** The panel width of matrices packed on the scalar path (any width works here). */
    static final int NP = 16;

    private ScalarGemv() {
    }

    static void gemv(float[] x, int xOff, PackedGemv w, float[] y, int yOff) {
        int k = w.k;
        int n = w.n;
        int np = w.np;
        int pairs = (k + 1) / 2;
        for (int c = 0; c < n; c++) {
            int p = c / np;
            int col = c - p * np;
            float s0 = y[yOff + c];
            float s1 = 0f;
            if (w.bf16 != null) {
                int base = p * pairs * np + col;
                for (int q = 0; q < pairs; q++) {
                    int v = w.bf16[base + q * np];
                    float lo = Float.intBitsToFloat(v << 16);
                    float hi = Float.intBitsToFloat(v & 0xFFFF0000);
                    float xb = 2 * q + 1 < k ? x[xOff + 2 * q + 1] : 0f;
                    s0 = Math.fma(lo, x[xOff + 2 * q], s0);
                    s1 = Math.fma(hi, xb, s1);
                }
                y[yOff + c] = s0 + s1;
            } else {
                int base = p * k * np + col;
                for (int kk = 0; kk < k; kk++) {
                    s0 = Math.fma(w.floats[base + kk * np], x[xOff + kk], s0);
                }
                y[yOff + c] = s0;
            }
        }
    }
}
