package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.init.Init;

/**
 * What batch and instance normalization share (PyTorch's {@code _NormBase}): the per-channel weight (ones) and
 * bias (zeros) when affine, and the running_mean (zeros), running_var (ones) and int64 num_batches_tracked
 * buffers when tracking running statistics; the repr.
 */
public abstract class NormBase extends Module {
    /** Channels (C of (N, C, *)). */
    public final int numFeatures;
    /** Added to the variance. */
    public final double eps;
    /** Running-statistics momentum, or null for the cumulative average. */
    public final Double momentum;
    /** Learnable scale and shift. */
    public final boolean affine;
    /** Running statistics kept. */
    public final boolean trackRunningStats;
    /** The scale (numFeatures), or null. */
    public final Parameter weight;
    /** The shift (numFeatures), or null. */
    public final Parameter bias;

    NormBase(NormOptions o) {
        this.numFeatures = o.numFeatures;
        this.eps = o.eps;
        this.momentum = o.momentum;
        this.affine = o.affine;
        this.trackRunningStats = o.trackRunningStats;
        this.weight = registerParameter("weight", affine ? new Parameter(Torch.empty(o.dtype, numFeatures)) : null);
        this.bias = registerParameter("bias", affine ? new Parameter(Torch.empty(o.dtype, numFeatures)) : null);
        if (trackRunningStats) {
            registerBuffer("running_mean", Torch.zeros(o.dtype, numFeatures));
            registerBuffer("running_var", Torch.ones(o.dtype, numFeatures));
            registerBuffer("num_batches_tracked", Torch.zeros(DType.INT64));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
        resetParameters();
    }

    /** Zeros the running mean and count, ones the running variance. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            try (var _ = Autograd.noGrad()) {
                buffer("running_mean").zero_();
                buffer("running_var").fill_(1);
                buffer("num_batches_tracked").zero_();
            }
        }
    }

    /** Resets the running statistics, then weight to ones and bias to zeros. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    /** The running mean buffer (null when not tracked). */
    public Tensor runningMean() {
        return attr("running_mean");
    }

    /** The running variance buffer (null when not tracked). */
    public Tensor runningVar() {
        return attr("running_var");
    }

    /** The number of training batches seen (int64 scalar; null when not tracked). */
    public Tensor numBatchesTracked() {
        return attr("num_batches_tracked");
    }

    void checkDims(Tensor input, int a, int b) {
        int d = input.dim();
        if (d != a && d != b) {
            throw new IllegalArgumentException("expected " + (a == b ? a + "D" : a + "D or " + b + "D")
                    + " input (got " + d + "D input)");
        }
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + Repr.num(eps) + ", momentum=" + (momentum == null ? "None"
                : Repr.num(momentum)) + ", affine=" + (affine ? "True" : "False") + ", track_running_stats="
                + (trackRunningStats ? "True" : "False");
    }
}
