package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Negative log likelihood of class indices given log-probabilities. Like {@code torch.nn.NLLLoss}.
 *
 * <p>Args:<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code ignoreIndex} (a target value that is ignored, default -100),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (C), (N, C) or (N, C, d1, ...) of log-probabilities; target int64 (), (N) or (N, d1, ...); output scalar, or the target's shape with NONE.
 *
 * <p>Example: {@code Tensor loss = new NLLLoss().call(input, target);}
 */
public class NLLLoss extends Module {
    /** A manual rescaling weight, registered as the buffer 'weight', or null. */
    public final Tensor weight;
    /** A target value that is ignored. */
    public final long ignoreIndex;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public NLLLoss() {
        this(null, -100L, Reduction.MEAN);
    }

    /** With every argument. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.nllLoss(a, b, attr("weight"), ignoreIndex, reduction);
    }
}
