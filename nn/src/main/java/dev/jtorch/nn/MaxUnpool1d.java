package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * The partial inverse of {@link MaxPool1d}, like {@code torch.nn.MaxUnpool1d}: each value is written at
 * its index of a zero output, the rest stay zero.
 *
 * <p>Args: {@code kernelSize}, {@code stride} (kernelSize), {@code padding} (0), as given to the pooling.
 *
 * <p>Shape: input and indices (N, C, L_in) or (C, L_in); output with each size
 * {@code (in - 1) stride - 2 padding + kernel}, or the outputSize given to {@link #forward(Tensor, Tensor, int[])}.
 *
 * <p>Example: {@code Pooled p = pool.forwardWithIndices(x); Tensor y = unpool.call(p.output(), p.indices());}
 */
public class MaxUnpool1d extends Module {
    /** Window size per dim. */
    public final int[] kernelSize;
    /** Stride per dim. */
    public final int[] stride;
    /** Padding per dim. */
    public final int[] padding;

    /** Stride = kernel size, no padding. */
    public MaxUnpool1d(int... kernelSize) {
        this(kernelSize, kernelSize, new int[] {0});
    }

    /** With every argument (one value or one per dim each). */
    public MaxUnpool1d(int[] kernelSize, int[] stride, int[] padding) {
        this.kernelSize = PoolArgs.expand("kernel_size", kernelSize, 1);
        this.stride = PoolArgs.expand("stride", stride == null ? kernelSize : stride, 1);
        this.padding = PoolArgs.expand("padding", padding, 1);
    }

    @Override
    public Tensor forward(Tensor input, Tensor indices) {
        return forward(input, indices, (int[]) null);
    }

    /** {@code unpool(input, indices, output_size)}: the output's spatial size (or full shape). */
    public Tensor forward(Tensor input, Tensor indices, int[] outputSize) {
        return F.maxUnpool1d(input, indices, kernelSize, stride, padding, outputSize);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Repr.tuple(kernelSize) + ", stride=" + Repr.tuple(stride) + ", padding="
                + Repr.tuple(padding);
    }
}
