package dev.jtorch.kernels;

/**
 * The right operand of a GEMM, {@code op(B)} (k x n), packed once for many products: a recurrent layer
 * multiplies every time step's state by the same weight, so packing it per product (what {@link Gemm#sgemm}
 * does) would repeat the same copy at every step. Made by {@link Gemm#packB(boolean, int, int, float[], int, int)}
 * (or its double form) and used by the {@code sgemm}/{@code dgemm} overloads that take it.
 *
 * <p>On the vector path the layout is the micro-panels the GEMM's register tile reads (see
 * {@code VectorSgemm}); on the scalar path it is {@code op(B)} copied row-major. Either way the packed form is
 * a snapshot: later writes to B are not seen. Immutable once made, so threads may share one.
 *
 * <p>Attributes:
 * <ul>
 *   <li>{@link #k()}, {@link #n()}: op(B) is k x n.</li>
 *   <li>{@link #isDouble()}: whether it was packed from a double[] (for {@code dgemm}) or a float[].</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * PackedB w = Gemm.packB(true, hidden, 4 * hidden, wHh, 0, hidden);   // W_hh^T, packed once
 * for (int t = 0; t < steps; t++) {
 *     Gemm.sgemm(false, batch, 1f, h, 0, hidden, w, 1f, gates, t * batch * 4 * hidden, 4 * hidden);
 * }
 * }</pre>
 */
public final class PackedB {
    final int k;
    final int n;
    /** Whether the layout is the vector path's micro-panels (false: op(B) row-major, for the scalar twin). */
    final boolean panels;
    final float[] floats;
    final double[] doubles;

    PackedB(int k, int n, boolean panels, float[] floats) {
        this(k, n, panels, floats, null);
    }

    PackedB(int k, int n, boolean panels, double[] doubles) {
        this(k, n, panels, null, doubles);
    }

    private PackedB(int k, int n, boolean panels, float[] floats, double[] doubles) {
        this.k = k;
        this.n = n;
        this.panels = panels;
        this.floats = floats;
        this.doubles = doubles;
    }

    /** The length of the array a packed form of {@code len} elements needs; refused past one Java array. */
    static int length(long len) {
        if (len >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("packB: the packed operand needs " + len
                    + " elements, more than one Java array holds");
        }
        return (int) len;
    }

    /** Rows of op(B): the inner dimension of the products. */
    public int k() {
        return k;
    }

    /** Columns of op(B): the columns of C. */
    public int n() {
        return n;
    }

    /** Whether B was packed from double[] (use dgemm) rather than float[] (sgemm). */
    public boolean isDouble() {
        return doubles != null;
    }

    @Override
    public String toString() {
        return "PackedB(" + k + " x " + n + ", " + (isDouble() ? "float64" : "float32") + ")";
    }
}
