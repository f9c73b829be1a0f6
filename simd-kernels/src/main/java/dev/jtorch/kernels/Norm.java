package dev.jtorch.kernels;

/**
 * Normalization statistics and the affine transforms around them, the kernels under BatchNorm, InstanceNorm,
 * GroupNorm, LayerNorm and RMSNorm and their gradients.
 *
 * <p>Layout: {@code x} is contiguous {@code [outer, channels, inner]}; a per-channel kernel reduces or scales
 * over the {@code outer * inner} elements of each channel (BatchNorm: outer = N, inner = spatial; LayerNorm
 * rows, GroupNorm groups and InstanceNorm planes: outer = 1, one "channel" per row). The row kernels
 * ({@code rowAffine} and its backward) normalise contiguous rows of {@code n} with an affine transform per
 * column (LayerNorm, RMSNorm).
 *
 * <p>Statistics take one pass: sums of {@code x - k} and {@code (x - k)^2} with {@code k} the channel's first
 * element (the shifted-data algorithm, which keeps the variance exact when the mean is large against the
 * spread). The transforms are one FMA per element.
 *
 * <p>Example (BatchNorm in training, per channel): {@code moments} gives mean and var; with
 * {@code a = w / sqrt(var + eps)} and {@code b = bias - mean * a}, {@code scaleShift} writes
 * {@code y = a * x + b}.
 *
 * <p>The kernels throw {@link IllegalArgumentException} for a null or too short array or a negative size or
 * offset, before any write.
 */
public final class Norm {
    private Norm() {
    }

    private static void sizes(int outer, int channels, int inner) {
        Checks.nonNegative("outer", outer);
        Checks.nonNegative("channels", channels);
        Checks.nonNegative("inner", inner);
        if ((long) outer * channels * inner > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("outer * channels * inner exceeds the int range: " + outer + " * "
                    + channels + " * " + inner);
        }
    }

    /**
     * Per channel c: {@code mean[c]} and the biased {@code var[c]} over its outer * inner elements; with
     * {@code center} false, mean[c] = 0 and var[c] is the mean of squares (RMSNorm). NaN for no elements.
     */
    public static void moments(float[] x, int xOff, int outer, int channels, int inner, boolean center, float[] mean,
                               int meanOff, float[] var, int varOff) {
        checkMoments(x, xOff, outer, channels, inner, mean, meanOff, var, varOff);
        Kernels.PROVIDER.moments(x, xOff, outer, channels, inner, center, mean, meanOff, var, varOff);
    }

    /** {@code y = x * a[c] + b[c]} per channel (b may be null: no shift); y may be x. */
    public static void scaleShift(float[] x, int xOff, int outer, int channels, int inner, float[] a, int aOff, float[] b,
                                  int bOff, float[] y, int yOff) {
        checkScaleShift(x, xOff, outer, channels, inner, a, aOff, b, bOff, y, yOff);
        Kernels.PROVIDER.scaleShift(x, xOff, outer, channels, inner, a, aOff, b, bOff, y, yOff);
    }

    /** {@code y = a[c] * dy + b[c] * x + c0[c]} per channel (the input gradient of the batch statistics). */
    public static void scaleShift2(float[] dy, int dyOff, float[] x, int xOff, int outer, int channels, int inner,
                                   float[] a, int aOff, float[] b, int bOff, float[] c0, int cOff, float[] y, int yOff) {
        checkScaleShift2(dy, dyOff, x, xOff, outer, channels, inner, a, aOff, b, bOff, c0, cOff, y, yOff);
        Kernels.PROVIDER.scaleShift2(dy, dyOff, x, xOff, outer, channels, inner, a, aOff, b, bOff, c0, cOff, y, yOff);
    }

    /** Per channel: {@code sdy[c] = sum dy} and, when x is not null, {@code sdyx[c] = sum dy * x}. */
    public static void channelSums(float[] dy, int dyOff, float[] x, int xOff, int outer, int channels, int inner,
                                   float[] sdy, int sdyOff, float[] sdyx, int sdyxOff) {
        checkChannelSums(dy, dyOff, x, xOff, outer, channels, inner, sdy, sdyOff, sdyx, sdyxOff);
        Kernels.PROVIDER.channelSums(dy, dyOff, x, xOff, outer, channels, inner, sdy, sdyOff, sdyx, sdyxOff);
    }

    /**
     * {@code y[r][i] = (x[r][i] - mean[r]) * rstd[r] * w[i] + b[i]} over rows of n (w and b may be null);
     * y may be x.
     */
    public static void rowAffine(float[] x, int xOff, int rows, int n, float[] mean, int meanOff, float[] rstd,
                                 int rstdOff, float[] w, int wOff, float[] b, int bOff, float[] y, int yOff) {
        checkRowAffine(x, xOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
        Kernels.PROVIDER.rowAffine(x, xOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
    }

    /**
     * The gradients of {@code rowAffine} with statistics of the rows themselves (LayerNorm; RMSNorm with
     * {@code center} false and mean 0): dx is written; {@code dw[i] += sum_r dy * xhat} and
     * {@code db[i] += sum_r dy} accumulate (either may be null).
     */
    public static void rowAffineBackward(float[] x, int xOff, float[] dy, int dyOff, int rows, int n, float[] mean,
                                         int meanOff, float[] rstd, int rstdOff, float[] w, int wOff, boolean center,
                                         float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff) {
        checkRowAffineBackward(x, xOff, dy, dyOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, dx, dxOff, dw, dwOff,
                               db, dbOff);
        Kernels.PROVIDER.rowAffineBackward(x, xOff, dy, dyOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, center,
                                           dx, dxOff, dw, dwOff, db, dbOff);
    }

    /**
     * Per channel c: {@code mean[c]} and the biased {@code var[c]} over its outer * inner elements; with
     * {@code center} false, mean[c] = 0 and var[c] is the mean of squares (RMSNorm). NaN for no elements.
     */
    public static void moments(double[] x, int xOff, int outer, int channels, int inner, boolean center, double[] mean,
                               int meanOff, double[] var, int varOff) {
        checkMoments(x, xOff, outer, channels, inner, mean, meanOff, var, varOff);
        Kernels.PROVIDER.moments(x, xOff, outer, channels, inner, center, mean, meanOff, var, varOff);
    }

    /** {@code y = x * a[c] + b[c]} per channel (b may be null: no shift); y may be x. */
    public static void scaleShift(double[] x, int xOff, int outer, int channels, int inner, double[] a, int aOff, double[] b,
                                  int bOff, double[] y, int yOff) {
        checkScaleShift(x, xOff, outer, channels, inner, a, aOff, b, bOff, y, yOff);
        Kernels.PROVIDER.scaleShift(x, xOff, outer, channels, inner, a, aOff, b, bOff, y, yOff);
    }

    /** {@code y = a[c] * dy + b[c] * x + c0[c]} per channel (the input gradient of the batch statistics). */
    public static void scaleShift2(double[] dy, int dyOff, double[] x, int xOff, int outer, int channels, int inner,
                                   double[] a, int aOff, double[] b, int bOff, double[] c0, int cOff, double[] y, int yOff) {
        checkScaleShift2(dy, dyOff, x, xOff, outer, channels, inner, a, aOff, b, bOff, c0, cOff, y, yOff);
        Kernels.PROVIDER.scaleShift2(dy, dyOff, x, xOff, outer, channels, inner, a, aOff, b, bOff, c0, cOff, y, yOff);
    }

    /** Per channel: {@code sdy[c] = sum dy} and, when x is not null, {@code sdyx[c] = sum dy * x}. */
    public static void channelSums(double[] dy, int dyOff, double[] x, int xOff, int outer, int channels, int inner,
                                   double[] sdy, int sdyOff, double[] sdyx, int sdyxOff) {
        checkChannelSums(dy, dyOff, x, xOff, outer, channels, inner, sdy, sdyOff, sdyx, sdyxOff);
        Kernels.PROVIDER.channelSums(dy, dyOff, x, xOff, outer, channels, inner, sdy, sdyOff, sdyx, sdyxOff);
    }

    /**
     * {@code y[r][i] = (x[r][i] - mean[r]) * rstd[r] * w[i] + b[i]} over rows of n (w and b may be null);
     * y may be x.
     */
    public static void rowAffine(double[] x, int xOff, int rows, int n, double[] mean, int meanOff, double[] rstd,
                                 int rstdOff, double[] w, int wOff, double[] b, int bOff, double[] y, int yOff) {
        checkRowAffine(x, xOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
        Kernels.PROVIDER.rowAffine(x, xOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
    }

    /**
     * The gradients of {@code rowAffine} with statistics of the rows themselves (LayerNorm; RMSNorm with
     * {@code center} false and mean 0): dx is written; {@code dw[i] += sum_r dy * xhat} and
     * {@code db[i] += sum_r dy} accumulate (either may be null).
     */
    public static void rowAffineBackward(double[] x, int xOff, double[] dy, int dyOff, int rows, int n, double[] mean,
                                         int meanOff, double[] rstd, int rstdOff, double[] w, int wOff, boolean center,
                                         double[] dx, int dxOff, double[] dw, int dwOff, double[] db, int dbOff) {
        checkRowAffineBackward(x, xOff, dy, dyOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, dx, dxOff, dw, dwOff,
                               db, dbOff);
        Kernels.PROVIDER.rowAffineBackward(x, xOff, dy, dyOff, rows, n, mean, meanOff, rstd, rstdOff, w, wOff, center,
                                           dx, dxOff, dw, dwOff, db, dbOff);
    }

    private static void checkMoments(Object x, int xOff, int outer, int channels, int inner, Object mean, int meanOff,
                                     Object var, int varOff) {
        sizes(outer, channels, inner);
        Checks.range("x", x, xOff, (long) outer * channels * inner);
        Checks.range("mean", mean, meanOff, channels);
        Checks.range("var", var, varOff, channels);
    }

    private static void checkScaleShift(Object x, int xOff, int outer, int channels, int inner, Object a, int aOff,
                                        Object b, int bOff, Object y, int yOff) {
        sizes(outer, channels, inner);
        long n = (long) outer * channels * inner;
        Checks.range("x", x, xOff, n);
        Checks.range("y", y, yOff, n);
        Checks.range("a", a, aOff, channels);
        if (b != null) {
            Checks.range("b", b, bOff, channels);
        }
    }

    private static void checkScaleShift2(Object dy, int dyOff, Object x, int xOff, int outer, int channels, int inner,
                                         Object a, int aOff, Object b, int bOff, Object c0, int cOff, Object y,
                                         int yOff) {
        sizes(outer, channels, inner);
        long n = (long) outer * channels * inner;
        Checks.range("dy", dy, dyOff, n);
        Checks.range("x", x, xOff, n);
        Checks.range("y", y, yOff, n);
        Checks.range("a", a, aOff, channels);
        Checks.range("b", b, bOff, channels);
        Checks.range("c0", c0, cOff, channels);
    }

    private static void checkChannelSums(Object dy, int dyOff, Object x, int xOff, int outer, int channels, int inner,
                                         Object sdy, int sdyOff, Object sdyx, int sdyxOff) {
        sizes(outer, channels, inner);
        long n = (long) outer * channels * inner;
        Checks.range("dy", dy, dyOff, n);
        Checks.range("sdy", sdy, sdyOff, channels);
        if (x != null) {
            Checks.range("x", x, xOff, n);
            Checks.range("sdyx", sdyx, sdyxOff, channels);
        }
    }

    private static void checkRowAffine(Object x, int xOff, int rows, int n, Object mean, int meanOff, Object rstd,
                                       int rstdOff, Object w, int wOff, Object b, int bOff, Object y, int yOff) {
        sizes(rows, 1, n);
        Checks.range("x", x, xOff, (long) rows * n);
        Checks.range("y", y, yOff, (long) rows * n);
        Checks.range("mean", mean, meanOff, rows);
        Checks.range("rstd", rstd, rstdOff, rows);
        if (w != null) {
            Checks.range("w", w, wOff, n);
        }
        if (b != null) {
            Checks.range("b", b, bOff, n);
        }
    }

    private static void checkRowAffineBackward(Object x, int xOff, Object dy, int dyOff, int rows, int n, Object mean,
                                               int meanOff, Object rstd, int rstdOff, Object w, int wOff, Object dx,
                                               int dxOff, Object dw, int dwOff, Object db, int dbOff) {
        sizes(rows, 1, n);
        Checks.range("x", x, xOff, (long) rows * n);
        Checks.range("dy", dy, dyOff, (long) rows * n);
        Checks.range("dx", dx, dxOff, (long) rows * n);
        Checks.range("mean", mean, meanOff, rows);
        Checks.range("rstd", rstd, rstdOff, rows);
        if (w != null) {
            Checks.range("w", w, wOff, n);
        }
        if (dw != null) {
            Checks.range("dw", dw, dwOff, n);
        }
        if (db != null) {
            Checks.range("db", db, dbOff, n);
        }
    }
}
