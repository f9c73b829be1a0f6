package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 2-d fractional max pooling (Graham, 2014), like {@code torch.nn.FractionalMaxPool2d}: windows of
 * kernelSize at pseudo-random increasing starts that reach exactly the output size, drawn per (sample,
 * channel) from PyTorch's sequence of {@code _random_samples}.
 *
 * <p>Args: {@code kernelSize}; through {@link FractionalMaxPoolOptions}: {@code outputSize} or
 * {@code outputRatio}, {@code returnIndices}, {@code randomSamples}.
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output (N, C, H_out, W_out).
 *
 * <p>Example: {@code new FractionalMaxPool2d(FractionalMaxPool2d.options(3).outputSize(13, 13)).call(x)}
 */
public class FractionalMaxPool2d extends Module {
    /** Window size per dim. */
    public final int[] kernelSize;
    /** Output size per dim, or null. */
    public final int[] outputSize;
    /** Output ratio per dim, or null. */
    public final double[] outputRatio;
    /** Whether PyTorch would return (output, indices). */
    public final boolean returnIndices;

    /** With every argument. */
    public FractionalMaxPool2d(FractionalMaxPoolOptions o) {
        String name = getClass().getSimpleName();
        if (given(o, "FractionalMaxPool2d").outputSize == null && o.outputRatio == null) {
            throw new IllegalArgumentException(name + " requires specifying either an output size, or a pooling "
                    + "ratio");
        }
        if (o.outputSize != null && o.outputRatio != null) {
            throw new IllegalArgumentException("only one of output_size and output_ratio may be specified");
        }
        this.kernelSize = PoolArgs.expand("kernel_size", o.kernelSize, 2);
        this.outputSize = o.outputSize == null ? null : PoolArgs.expand("output_size", o.outputSize, 2);
        this.outputRatio = o.outputRatio == null ? null : ratio(o.outputRatio);
        this.returnIndices = o.returnIndices;
        registerBuffer("_random_samples", o.randomSamples);
    }

    private static double[] ratio(double[] r) {
        double[] v = r.length == 1 ? new double[] {r[0], r[0]} : r.clone();
        for (double x : v) {
            if (!(x > 0 && x < 1)) {
                throw new IllegalArgumentException("output_ratio must be between 0 and 1 (got "
                        + (r.length == 1 ? Repr.num(r[0]) : java.util.Arrays.toString(r)) + ")");
            }
        }
        return v;
    }

    /** The options builder: {@code FractionalMaxPool2d.options(3).outputRatio(0.5)}. */
    public static FractionalMaxPoolOptions options(int... kernelSize) {
        return new FractionalMaxPoolOptions(kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.fractionalMaxPool2d(input, kernelSize, outputSize, outputRatio, attr("_random_samples"));
    }

    /** The pooled values and the position of each maximum in its input plane. */
    public Pooled forwardWithIndices(Tensor input) {
        Tensor[] r = F.fractionalMaxPool2dWithIndices(input, kernelSize, outputSize, outputRatio,
                attr("_random_samples"));
        return new Pooled(r[0], r[1]);
    }
}
