package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Extracts sliding local blocks of a batched image as columns (im2col), like {@code torch.nn.Unfold}.
 *
 * <p>Args: {@code kernelSize}, {@code dilation} (1), {@code padding} (0), {@code stride} (1); each one value or
 * one per spatial dim (2-d only, as in PyTorch).
 *
 * <p>Shape: input (N, C, H, W) or (C, H, W); output (N, C * prod(kernelSize), L), L the number of blocks.
 *
 * <p>Example: {@code new Unfold(new int[] {2, 3}).call(Torch.randn(2, 5, 3, 4))  // (2, 30, 4)}
 */
public class Unfold extends Module {
    /** Block size as given. */
    public final int[] kernelSize;
    /** Dilation as given. */
    public final int[] dilation;
    /** Padding as given. */
    public final int[] padding;
    /** Stride as given. */
    public final int[] stride;

    /** Dilation 1, no padding, stride 1. */
    public Unfold(int... kernelSize) {
        this(kernelSize, new int[] {1}, new int[] {0}, new int[] {1});
    }

    /** With every argument. */
    public Unfold(int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.unfold(input, kernelSize, dilation, padding, stride);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + PoolArgs.asGiven(kernelSize) + ", dilation=" + PoolArgs.asGiven(dilation)
                + ", padding=" + PoolArgs.asGiven(padding) + ", stride=" + PoolArgs.asGiven(stride);
    }
}
