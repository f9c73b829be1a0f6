package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 1-d average pooling, like {@code torch.nn.AvgPool1d}.
 *
 * <p>Args: {@code kernelSize}; through {@link AvgPoolOptions}: {@code stride} (kernelSize), {@code padding}
 * (0), {@code ceilMode} (false), {@code countIncludePad} (true).
 *
 * <p>Shape: input (N, C, L_in) or (C, L_in); output (N, C, L_out), each size {@code floor((in + 2 padding - kernel) /
 * stride + 1)}.
 *
 * <p>Example: {@code new AvgPool1d(AvgPool1d.options(3).stride(2)).call(x)}
 */
public class AvgPool1d extends Module {
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

    /** Stride = kernel size, no padding. */
    public AvgPool1d(int... kernelSize) {
        this(new AvgPoolOptions(kernelSize));
    }

    /** With every argument. */
    public AvgPool1d(AvgPoolOptions o) {
        if (given(o, "AvgPool1d").divisorOverride != null) {
            throw new IllegalArgumentException("AvgPool1d takes no divisor_override");
        }
        this.kernelSize = o.kernelSize.clone();
        this.stride = o.stride == null ? o.kernelSize.clone() : o.stride.clone();
        this.padding = o.padding.clone();
        this.ceilMode = o.ceilMode;
        this.countIncludePad = o.countIncludePad;
        for (int[] v : new int[][] {kernelSize, stride, padding}) {
            PoolArgs.expand("pooling argument", v, 1);
        }
    }

    /** The options builder: {@code AvgPool1d.options(3).stride(2)}. */
    public static AvgPoolOptions options(int... kernelSize) {
        return new AvgPoolOptions(kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool1d(input, PoolArgs.expand("kernel_size", kernelSize, 1), PoolArgs.expand("stride", stride, 1),
                PoolArgs.expand("padding", padding, 1), ceilMode, countIncludePad);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Repr.tuple(PoolArgs.expand("k", kernelSize, 1))
                + ", stride=" + Repr.tuple(PoolArgs.expand("s", stride, 1))
                + ", padding=" + Repr.tuple(PoolArgs.expand("p", padding, 1));
    }
}
