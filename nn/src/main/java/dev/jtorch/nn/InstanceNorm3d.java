package dev.jtorch.nn;

/**
 * Instance normalization of a (N, C, D, H, W) or (C, D, H, W) input, like {@code torch.nn.InstanceNorm3d}: every
 * (sample,
 * channel) plane normalised by its own mean and variance.
 *
 * <p>Args: {@code numFeatures} (C); through {@link NormOptions}: {@code eps} (1e-5), {@code momentum} (0.1),
 * {@code affine} (false), {@code trackRunningStats} (false), {@code dtype}.
 *
 * <p>Shape: input (N, C, D, H, W) or (C, D, H, W); output the same.
 *
 * <p>Attributes: with affine, {@code weight} (C) ones and {@code bias} (C) zeros; with trackRunningStats, the
 * running_mean, running_var and num_batches_tracked buffers (used in eval mode, as in PyTorch).
 *
 * <p>Example: {@code new InstanceNorm3d(InstanceNorm3d.options(100).affine(true)).call(x)}
 */
public class InstanceNorm3d extends InstanceNormBase {
    /** eps 1e-5, momentum 0.1, no affine, no running statistics. */
    public InstanceNorm3d(int numFeatures) {
        this(options(numFeatures));
    }

    /** With every argument. */
    public InstanceNorm3d(NormOptions options) {
        super(given(options, "InstanceNorm3d"), 4);
    }

    /** The options builder with InstanceNorm's defaults. */
    public static NormOptions options(int numFeatures) {
        return new NormOptions(numFeatures, false, false);
    }
}
