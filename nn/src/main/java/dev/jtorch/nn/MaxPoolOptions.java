package dev.jtorch.nn;

/**
 * The arguments of {@link MaxPool1d}, {@link MaxPool2d} and {@link MaxPool3d} with PyTorch's names and
 * defaults: {@code stride} (the kernel size), {@code padding} 0, {@code dilation} 1, {@code returnIndices}
 * false, {@code ceilMode} false.
 *
 * <p>Example: {@code new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1))}.
 */
public final class MaxPoolOptions {
    final int[] kernelSize;
    int[] stride;
    int[] padding = {0};
    int[] dilation = {1};
    boolean returnIndices;
    boolean ceilMode;

    /** The window size (one value or one per dim). */
    public MaxPoolOptions(int... kernelSize) {
        this.kernelSize = kernelSize.clone();
    }

    /** The window stride (default: the kernel size). */
    public MaxPoolOptions stride(int... v) {
        stride = v.clone();
        return this;
    }

    /** Implicit -inf padding on both sides (at most half the kernel; default 0). */
    public MaxPoolOptions padding(int... v) {
        padding = v.clone();
        return this;
    }

    /** Spacing of the window's taps (default 1). */
    public MaxPoolOptions dilation(int... v) {
        dilation = v.clone();
        return this;
    }

    /** Also return the positions of the maxima (default false); see {@link MaxPoolNd#forwardWithIndices}. */
    public MaxPoolOptions returnIndices(boolean v) {
        returnIndices = v;
        return this;
    }

    /** Round the output size up instead of down (default false). */
    public MaxPoolOptions ceilMode(boolean v) {
        ceilMode = v;
        return this;
    }
}
