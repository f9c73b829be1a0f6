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

    /** a (named an) holds an input plane set from aOff, b (named bn) an output one from bOff. */
    private static void check(PoolWindows w, String an, Object a, int aOff, String bn, Object b, int bOff) {
        Checks.notNull(an, a);
        Checks.notNull(bn, b);
        Checks.notNull("windows", w);
        Checks.range(an, a, aOff, w.inputSize());
        Checks.range(bn, b, bOff, w.outputSize());
    }

    private static void checkMax(PoolWindows w, Object x, int xOff, Object y, int yOff, long[] idx, int iOff) {
        check(w, "x", x, xOff, "y", y, yOff);
        if (idx != null) {
            Checks.range("idx", idx.length, iOff, w.outputSize());
        }
    }

    private static void checkMaxBackward(PoolWindows w, Object dy, int dyOff, long[] idx, int iOff, Object dx,
                                         int dxOff) {
        Checks.notNull("idx", idx);
        check(w, "dx", dx, dxOff, "dy", dy, dyOff);
        Checks.range("idx", idx.length, iOff, w.outputSize());
        checkIndices(w, idx, iOff);
    }

    /** y = the max of each window; idx (may be null) = its position in the input plane. */
    public static void max(PoolWindows w, float[] x, int xOff, float[] y, int yOff, long[] idx, int iOff) {
        checkMax(w, x, xOff, y, yOff, idx, iOff);
        Kernels.PROVIDER.maxPool(w, x, xOff, y, yOff, idx, iOff);
    }

    /**
     * dx = 0, then dx[plane][idx[o]] += dy[o] for every output o (the gradient of {@link #max}, and max
     * unpooling). Every index must be in [0, inD * inH * inW).
     */
    public static void maxBackward(PoolWindows w, float[] dy, int dyOff, long[] idx, int iOff, float[] dx, int dxOff) {
        checkMaxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
        PoolF.maxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
    }

    /** y = the sum of each window's taps inside the input, divided by its divisor. */
    public static void avg(PoolWindows w, float[] x, int xOff, float[] y, int yOff) {
        check(w, "x", x, xOff, "y", y, yOff);
        checkDivisors(w);
        PoolF.avg(w, x, xOff, y, yOff);
    }

    /** dx = the gradient of {@link #avg} given dy (dx is overwritten). */
    public static void avgBackward(PoolWindows w, float[] dy, int dyOff, float[] dx, int dxOff) {
        check(w, "dx", dx, dxOff, "dy", dy, dyOff);
        checkDivisors(w);
        PoolF.avgBackward(w, dy, dyOff, dx, dxOff);
    }

    /** y = the max of each window; idx (may be null) = its position in the input plane. */
    public static void max(PoolWindows w, double[] x, int xOff, double[] y, int yOff, long[] idx, int iOff) {
        checkMax(w, x, xOff, y, yOff, idx, iOff);
        Kernels.PROVIDER.maxPool(w, x, xOff, y, yOff, idx, iOff);
    }

    /**
     * dx = 0, then dx[plane][idx[o]] += dy[o] for every output o (the gradient of {@link #max}, and max
     * unpooling). Every index must be in [0, inD * inH * inW).
     */
    public static void maxBackward(PoolWindows w, double[] dy, int dyOff, long[] idx, int iOff, double[] dx,
                                   int dxOff) {
        checkMaxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
        PoolD.maxBackward(w, dy, dyOff, idx, iOff, dx, dxOff);
    }

    /** y = the sum of each window's taps inside the input, divided by its divisor. */
    public static void avg(PoolWindows w, double[] x, int xOff, double[] y, int yOff) {
        check(w, "x", x, xOff, "y", y, yOff);
        checkDivisors(w);
        PoolD.avg(w, x, xOff, y, yOff);
    }

    /** dx = the gradient of {@link #avg} given dy (dx is overwritten). */
    public static void avgBackward(PoolWindows w, double[] dy, int dyOff, double[] dx, int dxOff) {
        check(w, "dx", dx, dxOff, "dy", dy, dyOff);
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
