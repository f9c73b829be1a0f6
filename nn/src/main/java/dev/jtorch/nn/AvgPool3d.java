package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 3-d average pooling, like {@code torch.nn.AvgPool3d}.
 *
 * <p>Args: {@code kernelSize}; through {@link AvgPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0), {@code ceilMode} (false), {@code countIncludePad} (true), {@code divisorOverride} (none).
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); output (N, C, D_out, H_out, W_out), each size
 * {@code floor((in + 2 padding - kernel) / stride + 1)}.
 *
 * <p>Example: {@code new AvgPool3d(AvgPool3d.options(3).stride(2)).call(x)}
 */
public class AvgPool3d extends Module {
    /** Window size as given. */
    public final int[] kernelSize;
    /** Stride as given (the kernel size by default). */
    public final int[] stride;
    /** Padding as given. */
    public final int[] padding;
    /** Round output sizes up. */
    public final boolean ceilMode;
    /** Count padding in the divisor. */
    public final boolean countIncludePad;
    /** The divisor of every window, or null for the window sizes. */
    public final Integer divisorOverride;

    /** Stride = kernel size, no padding. */
    public AvgPool3d(int... kernelSize) {
        this(new AvgPoolOptions(kernelSize));
    }

    /** With every argument. */
    public AvgPool3d(AvgPoolOptions o) {
        this.kernelSize = given(o, "AvgPool3d").kernelSize.clone();
        this.stride = o.stride == null ? o.kernelSize.clone() : o.stride.clone();
        this.padding = o.padding.clone();
        this.ceilMode = o.ceilMode;
        this.countIncludePad = o.countIncludePad;
        this.divisorOverride = o.divisorOverride;
        for (int[] v : new int[][] {kernelSize, stride, padding}) {
            PoolArgs.expand("pooling argument", v, 3);
        }
    }

    /** The options builder: {@code AvgPool3d.options(3).stride(2)}. */
    public static AvgPoolOptions options(int... kernelSize) {
        return new AvgPoolOptions(kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool3d(input, PoolArgs.expand("kernel_size", kernelSize, 3), PoolArgs.expand("stride", stride, 3),
                PoolArgs.expand("padding", padding, 3), ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + PoolArgs.asGiven(kernelSize) + ", stride=" + PoolArgs.asGiven(stride) + ", padding="
                + PoolArgs.asGiven(padding);
    }
}
