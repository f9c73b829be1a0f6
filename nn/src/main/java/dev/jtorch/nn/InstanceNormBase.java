package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Instance normalization (PyTorch's {@code _InstanceNorm}): each (sample, channel) plane normalised by its own
 * statistics; with running statistics, eval mode uses them; unbatched inputs are handled as a batch of one.
 */
public abstract class InstanceNormBase extends NormBase {
    private final int noBatchDim;

    InstanceNormBase(NormOptions o, int noBatchDim) {
        super(check(o));
        this.noBatchDim = noBatchDim;
    }

    private static NormOptions check(NormOptions o) {
        if (o.momentum == null) {
            throw new IllegalArgumentException("InstanceNorm: momentum must be a number (None is only supported by "
                    + "BatchNorm)");
        }
        return o;
    }

    @Override
    public Tensor forward(Tensor input) {
        checkDims(input, noBatchDim, noBatchDim + 1);
        int featureDim = input.dim() - noBatchDim;
        if (input.size(featureDim) != numFeatures && affine) {
            throw new IllegalArgumentException("expected input's size at dim=" + featureDim + " to match num_features ("
                    + numFeatures + "), but got: " + input.size(featureDim) + ".");
        }
        if (input.dim() == noBatchDim) {
            return apply(input.unsqueeze(0)).squeeze(0);
        }
        return apply(input);
    }

    private Tensor apply(Tensor input) {
        return F.instanceNorm(input, runningMean(), runningVar(), attr("weight"), attr("bias"), isTraining() || !trackRunningStats,
                momentum, eps);
    }
}
