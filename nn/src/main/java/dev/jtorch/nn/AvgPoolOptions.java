package dev.jtorch.nn;

/**
 * The arguments of {@link AvgPool1d}, {@link AvgPool2d} and {@link AvgPool3d} with PyTorch's names and
 * defaults: {@code stride} (the kernel size), {@code padding} 0, {@code ceilMode} false,
 * {@code countIncludePad} true, {@code divisorOverride} none (2-d and 3-d only).
 *
 * <p>Example: {@code new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1).countIncludePad(false))}.
 */
public final class AvgPoolOptions {
    final int[] kernelSize;
    int[] stride;
    int[] padding = {0};
    boolean ceilMode;
    boolean countIncludePad = true;
    Integer divisorOverride;

    /** The window size (one value or one per dim). */
    public AvgPoolOptions(int... kernelSize) {
        this.kernelSize = kernelSize.clone();
    }

    /** The window stride (default: the kernel size). */
    public AvgPoolOptions stride(int... v) {
        stride = v.clone();
        return this;
    }

    /** Implicit zero padding on both sides (at most half the kernel; default 0). */
    public AvgPoolOptions padding(int... v) {
        padding = v.clone();
        return this;
    }

    /** Round the output size up instead of down (default false). */
    public AvgPoolOptions ceilMode(boolean v) {
        ceilMode = v;
        return this;
    }

    /** Count the zero padding in the divisor (default true). */
    public AvgPoolOptions countIncludePad(boolean v) {
        countIncludePad = v;
        return this;
    }

    /** Divide every window by this instead of its size (default: none). */
    public AvgPoolOptions divisorOverride(Integer v) {
        divisorOverride = v;
        return this;
    }
}
