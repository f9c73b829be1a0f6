package dev.jtorch.nn;

import dev.jtorch.DType;

/**
 * The arguments of the batch and instance normalization layers with PyTorch's names: {@code eps} (1e-5),
 * {@code momentum} (0.1; null for the cumulative average, BatchNorm only), {@code affine} and
 * {@code trackRunningStats} (true for BatchNorm, false for InstanceNorm), {@code dtype} (float32).
 *
 * <p>Example: {@code new BatchNorm2d(BatchNorm2d.options(64).momentum(null))}.
 */
public final class NormOptions {
    final int numFeatures;
    double eps = 1e-5;
    Double momentum = 0.1;
    boolean affine;
    boolean trackRunningStats;
    DType dtype = DType.FLOAT32;

    NormOptions(int numFeatures, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
    }

    /** Added to the variance (default 1e-5). */
    public NormOptions eps(double v) {
        eps = v;
        return this;
    }

    /** Weight of the new batch in the running statistics (default 0.1); null for the cumulative average. */
    public NormOptions momentum(Double v) {
        momentum = v;
        return this;
    }

    /** Learn a per-channel scale and shift. */
    public NormOptions affine(boolean v) {
        affine = v;
        return this;
    }

    /** Keep running statistics (used in eval mode). */
    public NormOptions trackRunningStats(boolean v) {
        trackRunningStats = v;
        return this;
    }

    /** The parameters' and statistics' dtype (default float32). */
    public NormOptions dtype(DType v) {
        dtype = v;
        return this;
    }
}
