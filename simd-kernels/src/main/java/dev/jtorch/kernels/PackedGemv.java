package dev.jtorch.kernels;

/**
 * The matrix of a GEMV, {@code op(B)} (k x n), packed once for many products {@code y += x op(B)}: a recurrent
 * layer at batch 1 multiplies every step's state by the same weight. Made by {@link Gemv#pack} (float32
 * elements) or {@link Gemv#packBf16} (bfloat16 elements: half the bytes a step streams, each widened to
 * float32 exactly before its multiply-add), used by {@link Gemv#gemv}.
 *
 * <p>Layout: panels of {@link #panelWidth()} consecutive columns (the last one zero-padded), each stored
 * row after row (on the vector path eight vectors wide in float32, four in bfloat16; 16 columns on the scalar
 * path). In the bfloat16 form one int holds rows 2q (low half) and 2q+1 (high half) of a column, so
 * one vector load gives two rows of the panel widened by a shift and a mask. Immutable once made; threads may
 * share one.
 *
 * <p>Attributes:
 * <ul>
 *   <li>{@link #k()}, {@link #n()}: op(B) is k x n.</li>
 *   <li>{@link #isBf16()}: whether the elements are bfloat16 (else float32).</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * PackedGemv w = Gemv.packBf16(true, hidden, 4 * hidden, wHh, 0, hidden);  // W_hh^T, bfloat16
 * Gemv.gemv(h, 0, w, gates, 0);                                           // gates += h W_hh^T
 * }</pre>
 */
public final class PackedGemv {
    final int k;
    final int n;
    final int np;
    final float[] floats;
    final int[] bf16;

    PackedGemv(int k, int n, int np, float[] floats, int[] bf16) {
        this.k = k;
        this.n = n;
        this.np = np;
        this.floats = floats;
        this.bf16 = bf16;
    }

    /** Rows of op(B): the length of x. */
    public int k() {
        return k;
    }

    /** Columns of op(B): the length of y. */
    public int n() {
        return n;
    }

    /** Columns per panel. */
    public int panelWidth() {
        return np;
    }

    /** Whether the elements are stored as bfloat16. */
    public boolean isBf16() {
        return bf16 != null;
    }

    /** Bytes the packed elements take (what one product streams). */
    public long bytes() {
        return bf16 != null ? 4L * bf16.length : 4L * floats.length;
    }

    @Override
    public String toString() {
        return "PackedGemv(" + k + " x " + n + ", " + (isBf16() ? "bfloat16" : "float32") + ")";
    }
}
