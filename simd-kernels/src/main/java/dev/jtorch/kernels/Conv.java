package dev.jtorch.kernels;

import java.util.Arrays;

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

    private static void check(ConvGeometry g, int xLen, int xOff, int wLen, int wOff, int yLen, int yOff) {
        Checks.notNull("geometry", g);
        Checks.range("x", xLen, xOff, g.inputSize());
        Checks.range("w", wLen, wOff, g.weightSize());
        Checks.range("y", yLen, yOff, g.outputSize());
    }

    /** y = conv(x, w) + bias; bias may be null. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                               float[] y, int yOff) {
        Checks.notNull("x", x);
        Checks.notNull("w", w);
        Checks.notNull("y", y);
        check(g, x.length, xOff, w.length, wOff, y.length, yOff);
        if (bias != null) {
            Checks.range("bias", bias.length, bOff, g.outChannels());
        }
        if (Kernels.VECTOR) {
            ConvF.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        } else {
            ScalarConv.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        }
    }

    /** dx = d conv(x, w) / dx applied to dy (dx is overwritten). */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                                     int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("w", w);
        Checks.notNull("dx", dx);
        check(g, dx.length, dxOff, w.length, wOff, dy.length, dyOff);
        if (Kernels.VECTOR) {
            ConvF.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        } else {
            ScalarConv.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        }
    }

    /** dw = d conv(x, w) / dw applied to dy, summed over the batch (dw is overwritten). */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                                      int dwOff) {
        Checks.notNull("x", x);
        Checks.notNull("dy", dy);
        Checks.notNull("dw", dw);
        check(g, x.length, xOff, dw.length, dwOff, dy.length, dyOff);
        if (Kernels.VECTOR) {
            ConvF.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        } else {
            ScalarConv.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        }
    }

    /** y = conv(x, w) + bias; bias may be null. */
    public static void forward(ConvGeometry g, double[] x, int xOff, double[] w, int wOff, double[] bias, int bOff,
                               double[] y, int yOff) {
        Checks.notNull("x", x);
        Checks.notNull("w", w);
        Checks.notNull("y", y);
        check(g, x.length, xOff, w.length, wOff, y.length, yOff);
        if (bias != null) {
            Checks.range("bias", bias.length, bOff, g.outChannels());
        }
        if (Kernels.VECTOR) {
            ConvD.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        } else {
            ScalarConv.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
        }
    }

    /** dx = d conv(x, w) / dx applied to dy (dx is overwritten). */
    public static void backwardInput(ConvGeometry g, double[] dy, int dyOff, double[] w, int wOff, double[] dx,
                                     int dxOff) {
        Checks.notNull("dy", dy);
        Checks.notNull("w", w);
        Checks.notNull("dx", dx);
        check(g, dx.length, dxOff, w.length, wOff, dy.length, dyOff);
        if (Kernels.VECTOR) {
            ConvD.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        } else {
            ScalarConv.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
        }
    }

    /** dw = d conv(x, w) / dw applied to dy, summed over the batch (dw is overwritten). */
    public static void backwardWeight(ConvGeometry g, double[] x, int xOff, double[] dy, int dyOff, double[] dw,
                                      int dwOff) {
        Checks.notNull("x", x);
        Checks.notNull("dy", dy);
        Checks.notNull("dw", dw);
        check(g, x.length, xOff, dw.length, dwOff, dy.length, dyOff);
        if (Kernels.VECTOR) {
            ConvD.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        } else {
            ScalarConv.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
        }
    }

    /** Elements of the column matrices of the whole batch: batch x (inChannels * kernelVolume) x outSpatial. */
    public static long columnSize(ConvGeometry g) {
        return (long) g.batch() * g.inChannels() * g.kernelVolume() * g.outSpatial();
    }

    private static void checkCols(ConvGeometry g, int xLen, int xOff, int colLen, int colOff) {
        Checks.notNull("geometry", g);
        Checks.range("x", xLen, xOff, g.inputSize());
        Checks.range("col", colLen, colOff, columnSize(g));
    }

    /**
     * The column matrices of every image ({@code nn.Unfold}): {@code col[n][c * K + tap][p]} is the input under
     * tap {@code tap} of the kernel at output position {@code p} (0 in the padding). Groups are ignored.
     */
    public static void im2col(ConvGeometry g, float[] x, int xOff, float[] col, int colOff) {
        Checks.notNull("x", x);
        Checks.notNull("col", col);
        checkCols(g, x.length, xOff, col.length, colOff);
        int per = g.inChannels() * g.kernelVolume() * g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            Im2colF.im2col(g, g.inChannels(), x, xOff + n * g.inChannels() * g.inSpatial(), col, colOff + n * per, 0,
                    g.outD() * g.outH());
        }
    }

    /** The adjoint of {@link #im2col} ({@code nn.Fold}): x is overwritten with the sum of the columns' entries. */
    public static void col2im(ConvGeometry g, float[] col, int colOff, float[] x, int xOff) {
        Checks.notNull("x", x);
        Checks.notNull("col", col);
        checkCols(g, x.length, xOff, col.length, colOff);
        Arrays.fill(x, xOff, xOff + g.inputSize(), 0f);
        int per = g.inChannels() * g.kernelVolume() * g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            Im2colF.col2imAdd(g, g.inChannels(), col, colOff + n * per, x, xOff + n * g.inChannels() * g.inSpatial(),
                    0, g.outD() * g.outH());
        }
    }

    /** Double {@link #im2col(ConvGeometry, float[], int, float[], int)}. */
    public static void im2col(ConvGeometry g, double[] x, int xOff, double[] col, int colOff) {
        Checks.notNull("x", x);
        Checks.notNull("col", col);
        checkCols(g, x.length, xOff, col.length, colOff);
        int per = g.inChannels() * g.kernelVolume() * g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            Im2colD.im2col(g, g.inChannels(), x, xOff + n * g.inChannels() * g.inSpatial(), col, colOff + n * per, 0,
                    g.outD() * g.outH());
        }
    }

    /** Double {@link #col2im(ConvGeometry, float[], int, float[], int)}. */
    public static void col2im(ConvGeometry g, double[] col, int colOff, double[] x, int xOff) {
        Checks.notNull("x", x);
        Checks.notNull("col", col);
        checkCols(g, x.length, xOff, col.length, colOff);
        Arrays.fill(x, xOff, xOff + g.inputSize(), 0);
        int per = g.inChannels() * g.kernelVolume() * g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            Im2colD.col2imAdd(g, g.inChannels(), col, colOff + n * per, x, xOff + n * g.inChannels() * g.inSpatial(),
                    0, g.outD() * g.outH());
        }
    }
}
