package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Batch normalization over dim 1 (PyTorch's {@code _BatchNorm}): in training, each channel is normalised by
 * the batch's mean and (biased) variance and the running statistics move by momentum (or to the cumulative
 * average when momentum is null) using the unbiased variance, with num_batches_tracked counting batches; in
 * eval mode the running statistics normalise (the batch's when not tracked).
 */
public abstract class BatchNormBase extends NormBase {
    BatchNormBase(NormOptions o) {
        super(o);
    }

    abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            Tensor n = numBatchesTracked();
            n.add_(1L);
            factor = momentum == null ? 1.0 / n.itemLong() : momentum;
        }
        boolean bnTraining = isTraining() || runningMean() == null;
        boolean useRunning = !isTraining() || trackRunningStats;
        return F.batchNorm(input, useRunning ? runningMean() : null, useRunning ? runningVar() : null, attr("weight"), attr("bias"),
                bnTraining, factor, eps);
    }
}
