package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 2-d average pooling, like {@code torch.nn.AvgPool2d}.
 *
 * <p>Args: {@code kernelSize}; through {@link AvgPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0), {@code ceilMode} (false), {@code countIncludePad} (true), {@code divisorOverride} (none).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output (N, C, H_out, W_out), each size {@code floor((in + 2
 * padding - kernel) / stride + 1)}.
 *
 * <p>Example: {@code new AvgPool2d(AvgPool2d.options(3).stride(2)).call(x)}
 */
public class AvgPool2d extends Module {
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
    public AvgPool2d(int... kernelSize) {
        this(new AvgPoolOptions(kernelSize));
    }

    /** With every argument. */
    public AvgPool2d(AvgPoolOptions o) {
        this.kernelSize = given(o, "AvgPool2d").kernelSize.clone();
        this.stride = o.stride == null ? o.kernelSize.clone() : o.stride.clone();
        this.padding = o.padding.clone();
        this.ceilMode = o.ceilMode;
        this.countIncludePad = o.countIncludePad;
        this.divisorOverride = o.divisorOverride;
        for (int[] v : new int[][] {kernelSize, stride, padding}) {
            PoolArgs.expand("pooling argument", v, 2);
        }
    }

    /** The options builder: {@code AvgPool2d.options(3).stride(2)}. */
    public static AvgPoolOptions options(int... kernelSize) {
        return new AvgPoolOptions(kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, PoolArgs.expand("kernel_size", kernelSize, 2), PoolArgs.expand("stride", stride, 2),
                PoolArgs.expand("padding", padding, 2), ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + PoolArgs.asGiven(kernelSize) + ", stride=" + PoolArgs.asGiven(stride) + ", padding="
                + PoolArgs.asGiven(padding);
    }
}
