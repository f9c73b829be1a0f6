package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Combines sliding local blocks back into an image, summing overlaps (col2im), like {@code torch.nn.Fold}.
 *
 * <p>Args: {@code outputSize}, {@code kernelSize}, {@code dilation} (1), {@code padding} (0), {@code stride}
 * (1); each one value or two.
 *
 * <p>Shape: input (N, C * prod(kernelSize), L) or unbatched; output (N, C, outputSize).
 *
 * <p>Example: {@code new Fold(new int[] {4, 5}, new int[] {2, 2}).call(Torch.randn(1, 12, 12))  // (1, 3, 4, 5)}
 */
public class Fold extends Module {
    /** Output size as given. */
    public final int[] outputSize;
    /** Block size as given. */
    public final int[] kernelSize;
    /** Dilation as given. */
    public final int[] dilation;
    /** Padding as given. */
    public final int[] padding;
    /** Stride as given. */
    public final int[] stride;

    /** Dilation 1, no padding, stride 1. */
    public Fold(int[] outputSize, int... kernelSize) {
        this(outputSize, kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
    }

    /** With every argument. */
    public Fold(int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.outputSize = outputSize.clone();
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.fold(input, outputSize, kernelSize, dilation, padding, stride);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + PoolArgs.asGiven(outputSize) + ", kernel_size=" + PoolArgs.asGiven(kernelSize)
                + ", dilation=" + PoolArgs.asGiven(dilation) + ", padding=" + PoolArgs.asGiven(padding) + ", stride="
                + PoolArgs.asGiven(stride);
    }
}
