package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 2-d power-average pooling, like {@code torch.nn.LPPool2d}: {@code (sum of x^p over the window)^(1/p)}
 * (p = infinity is max pooling, p = 1 sum pooling).
 *
 * <p>Args: {@code normType} (p), {@code kernelSize}, {@code stride} (null: kernelSize), {@code ceilMode}
 * (false).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output (N, C, H_out, W_out).
 *
 * <p>Example: {@code new LPPool2d(2, new int[] {3}, new int[] {2}, false).call(x)}
 */
public class LPPool2d extends Module {
    /** p. */
    public final double normType;
    /** Window size as given. */
    public final int[] kernelSize;
    /** Stride as given, or null for the kernel size. */
    public final int[] stride;
    /** Round output sizes up. */
    public final boolean ceilMode;

    /** Stride = kernel size. */
    public LPPool2d(double normType, int... kernelSize) {
        this(normType, kernelSize, null, false);
    }

    /** With every argument. */
    public LPPool2d(double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
        this.normType = normType;
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? null : stride.clone();
        this.ceilMode = ceilMode;
        PoolArgs.expand("kernel_size", kernelSize, 2);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.lpPool2d(input, normType, kernelSize, stride, ceilMode);
    }

    @Override
    public String extraRepr() {
        return "norm_type=" + Repr.num(normType) + ", kernel_size=" + PoolArgs.asGiven(kernelSize) + ", stride="
                + (stride == null ? "None" : PoolArgs.asGiven(stride)) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
