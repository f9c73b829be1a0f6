package dev.jtorch.nn;

/**
 * 2-d max pooling, like {@code torch.nn.MaxPool2d}: the largest value of each window (NaN wins).
 *
 * <p>Args: {@code kernelSize}; through {@link MaxPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0, at most half the kernel), {@code dilation} (1), {@code returnIndices} (false), {@code ceilMode} (false).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output (N, C, H_out, W_out), each size
 * {@code floor((in + 2 padding - dilation (kernel - 1) - 1) / stride + 1)} (ceil with ceilMode, the last
 * window starting inside the input).
 *
 * <p>Example: {@code new MaxPool2d(MaxPool2d.options(3).stride(2)).call(x)}; {@code forwardWithIndices} also
 * gives the positions of the maxima for {@link MaxUnpool2d}.
 */
public class MaxPool2d extends MaxPoolNd {
    /** Stride = kernel size, no padding. */
    public MaxPool2d(int... kernelSize) {
        this(new MaxPoolOptions(kernelSize));
    }

    /** With every argument. */
    public MaxPool2d(MaxPoolOptions options) {
        super(2, given(options, "MaxPool2d"));
    }

    /** The options builder: {@code MaxPool2d.options(3).stride(2).padding(1)}. */
    public static MaxPoolOptions options(int... kernelSize) {
        return new MaxPoolOptions(kernelSize);
    }
}
