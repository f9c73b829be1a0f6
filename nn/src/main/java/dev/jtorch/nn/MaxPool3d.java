package dev.jtorch.nn;

/**
 * 3-d max pooling, like {@code torch.nn.MaxPool3d}: the largest value of each window (NaN wins).
 *
 * <p>Args: {@code kernelSize}; through {@link MaxPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0, at most half the kernel), {@code dilation} (1), {@code returnIndices} (false), {@code ceilMode} (false).
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); output (N, C, D_out, H_out, W_out), each size
 * {@code floor((in + 2 padding - dilation (kernel - 1) - 1) / stride + 1)} (ceil with ceilMode, the last
 * window starting inside the input).
 *
 * <p>Example: {@code new MaxPool3d(MaxPool3d.options(3).stride(2)).call(x)}; {@code forwardWithIndices} also
 * gives the positions of the maxima for {@link MaxUnpool3d}.
 */
public class MaxPool3d extends MaxPoolNd {
    /** Stride = kernel size, no padding. */
    public MaxPool3d(int... kernelSize) {
        this(new MaxPoolOptions(kernelSize));
    }

    /** With every argument. */
    public MaxPool3d(MaxPoolOptions options) {
        super(3, given(options, "MaxPool3d"));
    }

    /** The options builder: {@code MaxPool3d.options(3).stride(2).padding(1)}. */
    public static MaxPoolOptions options(int... kernelSize) {
        return new MaxPoolOptions(kernelSize);
    }
}
