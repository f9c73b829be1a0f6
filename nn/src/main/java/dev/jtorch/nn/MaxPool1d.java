package dev.jtorch.nn;

/**
 * 1-d max pooling, like {@code torch.nn.MaxPool1d}: the largest value of each window (NaN wins).
 *
 * <p>Args: {@code kernelSize}; through {@link MaxPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0, at most half the kernel), {@code dilation} (1), {@code returnIndices} (false), {@code ceilMode} (false).
 *
 * <p>Shape: input (N, C, L_in) or (C, L_in); output (N, C, L_out), each size
 * {@code floor((in + 2 padding - dilation (kernel - 1) - 1) / stride + 1)} (ceil with ceilMode, the last
 * window starting inside the input).
 *
 * <p>Example: {@code new MaxPool1d(MaxPool1d.options(3).stride(2)).call(x)}; {@code forwardWithIndices} also
 * gives the positions of the maxima for {@link MaxUnpool1d}.
 */
public class MaxPool1d extends MaxPoolNd {
    /** Stride = kernel size, no padding. */
    public MaxPool1d(int... kernelSize) {
        this(new MaxPoolOptions(kernelSize));
    }

    /** With every argument. */
    public MaxPool1d(MaxPoolOptions options) {
        super(1, given(options, "MaxPool1d"));
    }

    /** The options builder: {@code MaxPool1d.options(3).stride(2).padding(1)}. */
    public static MaxPoolOptions options(int... kernelSize) {
        return new MaxPoolOptions(kernelSize);
    }
}
