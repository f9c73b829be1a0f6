package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * The arguments of {@link FractionalMaxPool2d} and {@link FractionalMaxPool3d} with PyTorch's names: exactly
 * one of {@code outputSize} and {@code outputRatio} (in (0, 1)), {@code returnIndices} (false), and
 * {@code randomSamples} (PyTorch's {@code _random_samples}, (N, C, dims) in [0, 1); by default drawn on each
 * call from the default generator, as PyTorch does).
 *
 * <p>Example: {@code new FractionalMaxPool2d(FractionalMaxPool2d.options(3).outputRatio(0.5))}.
 */
public final class FractionalMaxPoolOptions {
    final int[] kernelSize;
    int[] outputSize;
    double[] outputRatio;
    boolean returnIndices;
    Tensor randomSamples;

    /** The window size (one value or one per dim). */
    public FractionalMaxPoolOptions(int... kernelSize) {
        this.kernelSize = kernelSize.clone();
    }

    /** The output size (one value or one per dim). */
    public FractionalMaxPoolOptions outputSize(int... v) {
        outputSize = v.clone();
        return this;
    }

    /** The output size as a fraction of the input's (one value or one per dim, each in (0, 1)). */
    public FractionalMaxPoolOptions outputRatio(double... v) {
        outputRatio = v.clone();
        return this;
    }

    /** Whether PyTorch would return (output, indices) (default false). */
    public FractionalMaxPoolOptions returnIndices(boolean v) {
        returnIndices = v;
        return this;
    }

    /** Fixed samples (N, C, dims) in [0, 1) instead of fresh draws (registered as the buffer _random_samples). */
    public FractionalMaxPoolOptions randomSamples(Tensor v) {
        randomSamples = v;
        return this;
    }
}
