package dev.jtorch.kernels;

/**
 * Windowed max and average pooling over one to three spatial dimensions, and their gradients, on contiguous
 * planes: input {@code [planes, inD, inH, inW]}, output {@code [planes, outD, outH, outW]}, windows as
 * {@link PoolWindows} describes (regular with padding, dilation and ceil mode, adaptive, or per-plane
 * fractional).
 *
 * <p>Max pooling returns, per output, the largest tap and, when {@code idx} is not null, its position in the
 * flattened input plane (int64, as PyTorch's indices); NaN wins over any number, the first of equal maxima
 * wins, as in PyTorch. {@link #maxBackward} sends each output gradient to that position (accumulating where
 * windows overlap); it is also max-unpooling. Average pooling divides the sum of the taps inside the input
 * by the windows' divisors.
 *
 * <p>Plain loops, the windows clipped to the input first so that the inner loops carry no bounds checks; max
 * pooling without indices over shared undilated windows takes a separable vector path ({@code VectorPoolF}:
 * the window's rows reduced lanewise, then its columns), whose twin is the plain loop.
 *
 * <p>Example: {@code Pool.max(w, x, 0, y, 0, indices, 0)}.
 *
 * <p>The kernels throw {@link IllegalArgumentException} for a null or too short array or a negative offset,
 * before any write.
 */
public final class Pool {
    private Pool() {
    }

    private static void check(PoolWindows w, String a, int aLen, int aOff, String b, int bLen, int bOff) {
        Checks.notNull("windows", w);
        Checks.range(a, aLen, aOff, w.inputSize());
        Checks.range(b, bLen, bOff, w.outputSize());
    }

    /** y = the max of each window; idx (may be null) = its position in the input plane. */
    public static void max(PoolWindows w, float[] x, int xOff, float[] y, int yOff, long[] idx, int iOff) {
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        check(w, "x", x.length, xOff, "y", y.length, yOff);
        if (idx != null) {
            Checks.range("idx", idx.length, iOff, w.outputSize());
        }
        if (idx == null && Kernels.VECTOR && VectorPoolF.separable(w)) {
            VectorPoolF.max(w, x, xOff, y, yOff);
        } else {
            PoolF.max(w, x, xOff, y, yOff, idx, iOff);
        }
    }

    /**
     * dx = 0, then dx[plane][idx[o]] += dy[o] for every output o (the gradient of {@link #max}, and max
     * unpooling). Every index must be in [0, inD * inH * inW).
     */
    public static void maxBackward(PoolWindows w, float[] dy, int dyOff, long[] idx, int iOff, float[] dx, int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("dx", dx);
        Checks.notNull("idx", idx);
        check(w, "dx", dx.length, dxOff, "dy", dy.length, dyOff);
        Checks.range("idx", idx.length, iOff, w.outputSize());
        checkIndices(w, idx, iOff);
        PoolF.maxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
    }

    /** y = the sum of each window's taps inside the input, divided by its divisor. */
    public static void avg(PoolWindows w, float[] x, int xOff, float[] y, int yOff) {
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        check(w, "x", x.length, xOff, "y", y.length, yOff);
        checkDivisors(w);
        PoolF.avg(w, x, xOff, y, yOff);
    }

    /** dx = the gradient of {@link #avg} given dy (dx is overwritten). */
    public static void avgBackward(PoolWindows w, float[] dy, int dyOff, float[] dx, int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("dx", dx);
        check(w, "dx", dx.length, dxOff, "dy", dy.length, dyOff);
        checkDivisors(w);
        PoolF.avgBackward(w, dy, dyOff, dx, dxOff);
    }

    /** y = the max of each window; idx (may be null) = its position in the input plane. */
    public static void max(PoolWindows w, double[] x, int xOff, double[] y, int yOff, long[] idx, int iOff) {
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        check(w, "x", x.length, xOff, "y", y.length, yOff);
        if (idx != null) {
            Checks.range("idx", idx.length, iOff, w.outputSize());
        }
        if (idx == null && Kernels.VECTOR && VectorPoolD.separable(w)) {
            VectorPoolD.max(w, x, xOff, y, yOff);
        } else {
            PoolD.max(w, x, xOff, y, yOff, idx, iOff);
        }
    }

    /**
     * dx = 0, then dx[plane][idx[o]] += dy[o] for every output o (the gradient of {@link #max}, and max
     * unpooling). Every index must be in [0, inD * inH * inW).
     */
    public static void maxBackward(PoolWindows w, double[] dy, int dyOff, long[] idx, int iOff, double[] dx,
                                   int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("dx", dx);
        Checks.notNull("idx", idx);
        check(w, "dx", dx.length, dxOff, "dy", dy.length, dyOff);
        Checks.range("idx", idx.length, iOff, w.outputSize());
        checkIndices(w, idx, iOff);
        PoolD.maxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
    }

    /** y = the sum of each window's taps inside the input, divided by its divisor. */
    public static void avg(PoolWindows w, double[] x, int xOff, double[] y, int yOff) {
        Checks.notNull("x", x);
        Checks.notNull("y", y);
        check(w, "x", x.length, xOff, "y", y.length, yOff);
        checkDivisors(w);
        PoolD.avg(w, x, xOff, y, yOff);
    }

    /** dx = the gradient of {@link #avg} given dy (dx is overwritten). */
    public static void avgBackward(PoolWindows w, double[] dy, int dyOff, double[] dx, int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("dx", dx);
        check(w, "dx", dx.length, dxOff, "dy", dy.length, dyOff);
        checkDivisors(w);
        PoolD.avgBackward(w, dy, dyOff, dx, dxOff);
    }

    private static void checkDivisors(PoolWindows w) {
        if (w.divisor == null && w.divisorOverride == 0) {
            throw new IllegalArgumentException(
                    "average pooling needs divisors: use withDivisors or withDivisorOverride");
        }
    }

    private static void checkIndices(PoolWindows w, long[] idx, int iOff) {
        long n = w.inSpatial();
        for (int i = 0; i < w.outputSize(); i++) {
            long v = idx[iOff + i];
            if (v < 0 || v >= n) {
                throw new IllegalArgumentException("index " + v + " at output " + i + " is outside the input plane of "
                        + n + " elements");
            }
        }
    }
}
