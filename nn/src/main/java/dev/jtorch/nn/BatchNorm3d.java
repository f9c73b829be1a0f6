package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * Batch normalization of a (N, C, D, H, W) input, like {@code torch.nn.BatchNorm3d}:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias} per channel, on the engine's one-pass statistics
 * and fused affine kernels.
 *
 * <p>Args: {@code numFeatures} (C); through {@link NormOptions}: {@code eps} (1e-5), {@code momentum} (0.1, or
 * null for the cumulative average), {@code affine} (true), {@code trackRunningStats} (true), {@code dtype}.
 *
 * <p>Shape: input (N, C, D, H, W); output the same.
 *
 * <p>Attributes: {@code weight} (C) ones, {@code bias} (C) zeros; buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and the int64 {@code num_batches_tracked}, as in PyTorch's state dict. Training
 * mode uses the batch's statistics and updates the running ones; eval mode uses the running ones.
 *
 * <p>Example: {@code new BatchNorm3d(100).call(Torch.randn(20, 100, 35, 45, 10))}
 */
public class BatchNorm3d extends BatchNormBase {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm3d(int numFeatures) {
        this(options(numFeatures));
    }

    /** With every argument. */
    public BatchNorm3d(NormOptions options) {
        super(given(options, "BatchNorm3d"));
    }

    /** The options builder with BatchNorm's defaults. */
    public static NormOptions options(int numFeatures) {
        return new NormOptions(numFeatures, true, true);
    }

    @Override
    void checkInputDim(Tensor input) {
        checkDims(input, 5, 5);
    }
}
