package dev.jtorch.kernels;

/**
 * Convolution over one to three spatial dimensions with groups, strides, dilations and zero padding, and
 * its two gradients, on contiguous row-major arrays laid out as {@link ConvGeometry} describes.
 *
 * <p>Args: the geometry, then each array with the offset of its first element: {@code x} (input), {@code w}
 * (weight), {@code bias} (per output channel, may be null), {@code y} / {@code dy} (output and its gradient),
 * {@code dx}, {@code dw} (gradients, overwritten). Transposed convolution is the adjoint pair: its forward is
 * {@link #backwardInput}, its input gradient {@link #forward} and its weight gradient {@link #backwardWeight}
 * with the roles of x and dy swapped.
 *
 * <p>The vector path multiplies column matrices with the packed GEMM (a 1x1 kernel with stride 1 multiplies
 * the input directly) and runs depthwise convolutions with a direct kernel (see {@code ConvF}); the scalar
 * twin ({@code ScalarConv}) is the direct definition. {@link #im2col} and {@link #col2im} are the
 * column matrix and its adjoint ({@code nn.Unfold} and {@code nn.Fold}).
 *
 * <p>Example: {@code Conv.forward(g, x, 0, w, 0, b, 0, y, 0)} with {@code g = ConvGeometry.of(...)}.
 *
 * <p>The kernels throw {@link IllegalArgumentException} for a null or too short array or a negative offset,
 * before any write.
 */
public final class Conv {
    private Conv() {
    }

    /**
     * The arrays (their argument names xn, wn, yn) are not null and hold the geometry's input x, weight w and output
     * y from their offsets.
     */
    private static void check(ConvGeometry g, String xn, Object x, int xOff, String wn, Object w, int wOff, String yn,
                              Object y, int yOff) {
        Checks.notNull(xn, x);
        Checks.notNull(wn, w);
        Checks.notNull(yn, y);
        Checks.notNull("geometry", g);
        Checks.range("x", Checks.length(xn, x), xOff, g.inputSize());
        Checks.range("w", Checks.length(wn, w), wOff, g.weightSize());
        Checks.range("y", Checks.length(yn, y), yOff, g.outputSize());
    }

    /**
     * Whether a batched forward (or input gradient) is split by batch item over the kernel threads: each item is
     * computed exactly as in the whole-batch call (the algorithm does not depend on the batch size), so the
     * result does not depend on the thread count.
     */
    private static boolean split(ConvGeometry g) {
        return g.batch() > 1 && Kernels.threads() > 1 && g.macs() >= (1L << 22) && !Parallel.inside();
    }

    private static void checkForward(ConvGeometry g, Object x, int xOff, Object w, int wOff, Object bias, int bOff,
                                     Object y, int yOff) {
        check(g, "x", x, xOff, "w", w, wOff, "y", y, yOff);
        if (bias != null) {
            Checks.range("bias", bias, bOff, g.outChannels());
        }
    }

    /** y = conv(x, w) + bias; bias may be null. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                               float[] y, int yOff) {
        checkForward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        if (split(g)) {
            ConvGeometry one = g.withBatch(1);
            Kernels.parallelFor(g.batch(), g.macs() / g.batch(), n -> Kernels.PROVIDER.convForward(one, x,
                    xOff + n * one.inputSize(), w, wOff, bias, bOff, y, yOff + n * one.outputSize()));
            return;
        }
        Kernels.PROVIDER.convForward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    /** dx = d conv(x, w) / dx applied to dy (dx is overwritten). */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                                     int dxOff) {
        check(g, "dx", dx, dxOff, "w", w, wOff, "dy", dy, dyOff);
        if (split(g)) {
            ConvGeometry one = g.withBatch(1);
            Kernels.parallelFor(g.batch(), g.macs() / g.batch(), n -> Kernels.PROVIDER.convBackwardInput(one, dy,
                    dyOff + n * one.outputSize(), w, wOff, dx, dxOff + n * one.inputSize()));
            return;
        }
        Kernels.PROVIDER.convBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
    }

    /** dw = d conv(x, w) / dw applied to dy, summed over the batch (dw is overwritten). */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                                      int dwOff) {
        check(g, "x", x, xOff, "dw", dw, dwOff, "dy", dy, dyOff);
        Kernels.PROVIDER.convBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
    }

    /** y = conv(x, w) + bias; bias may be null. */
    public static void forward(ConvGeometry g, double[] x, int xOff, double[] w, int wOff, double[] bias, int bOff,
                               double[] y, int yOff) {
        checkForward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        if (split(g)) {
            ConvGeometry one = g.withBatch(1);
            Kernels.parallelFor(g.batch(), g.macs() / g.batch(), n -> Kernels.PROVIDER.convForward(one, x,
                    xOff + n * one.inputSize(), w, wOff, bias, bOff, y, yOff + n * one.outputSize()));
            return;
        }
        Kernels.PROVIDER.convForward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    /** dx = d conv(x, w) / dx applied to dy (dx is overwritten). */
    public static void backwardInput(ConvGeometry g, double[] dy, int dyOff, double[] w, int wOff, double[] dx,
                                     int dxOff) {
        check(g, "dx", dx, dxOff, "w", w, wOff, "dy", dy, dyOff);
        if (split(g)) {
            ConvGeometry one = g.withBatch(1);
            Kernels.parallelFor(g.batch(), g.macs() / g.batch(), n -> Kernels.PROVIDER.convBackwardInput(one, dy,
                    dyOff + n * one.outputSize(), w, wOff, dx, dxOff + n * one.inputSize()));
            return;
        }
        Kernels.PROVIDER.convBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
    }

    /** dw = d conv(x, w) / dw applied to dy, summed over the batch (dw is overwritten). */
    public static void backwardWeight(ConvGeometry g, double[] x, int xOff, double[] dy, int dyOff, double[] dw,
                                      int dwOff) {
        check(g, "x", x, xOff, "dw", dw, dwOff, "dy", dy, dyOff);
        Kernels.PROVIDER.convBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
    }

    /** Elements of the column matrices of the whole batch: batch x (inChannels * kernelVolume) x outSpatial. */
    public static long columnSize(ConvGeometry g) {
        return (long) g.batch() * g.inChannels() * g.kernelVolume() * g.outSpatial();
    }

    private static void checkCols(ConvGeometry g, Object x, int xOff, Object col, int colOff) {
        Checks.notNull("x", x);
        Checks.notNull("col", col);
        Checks.notNull("geometry", g);
        Checks.range("x", x, xOff, g.inputSize());
        Checks.range("col", col, colOff, columnSize(g));
    }

    /**
     * The column matrices of every image ({@code nn.Unfold}): {@code col[n][c * K + tap][p]} is the input under
     * tap {@code tap} of the kernel at output position {@code p} (0 in the padding). Groups are ignored.
     */
    public static void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff) {
        checkCols(g, x, xOff, col, colOff);
        Im2colF.im2colBatch(g, x, xOff, col, colOff);
    }

    /** The adjoint of {@link #im2col} ({@code nn.Fold}): x is overwritten with the sum of the columns' entries. */
    public static void col2im(ConvGeometry g, float[] col, int colOff, float[] x, int xOff) {
        checkCols(g, x, xOff, col, colOff);
        Im2colF.col2imBatch(g, col, colOff, x, xOff);
    }

    /** Double {@link #im2col(ConvGeometry, float[], int, float[], int)}. */
    public static void im2col(ConvGeometry g, double[] x, int xOff, double[] col, int colOff) {
        checkCols(g, x, xOff, col, colOff);
        Im2colD.im2colBatch(g, x, xOff, col, colOff);
    }

    /** Double {@link #col2im(ConvGeometry, float[], int, float[], int)}. */
    public static void col2im(ConvGeometry g, double[] col, int colOff, double[] x, int xOff) {
        checkCols(g, x, xOff, col, colOff);
        Im2colD.col2imBatch(g, col, colOff, x, xOff);
    }
}
