package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Binary cross entropy of probabilities. Like {@code torch.nn.BCELoss}.
 *
 * <p>Args:<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*) in [0, 1], target (*); output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new BCELoss().call(input, target);}
 */
public class BCELoss extends Module {
    /** A manual rescaling weight, registered as the buffer 'weight', or null. */
    public final Tensor weight;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** With every argument. */
    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = registerBuffer("weight", weight);
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.binaryCrossEntropy(a, b, attr("weight"), reduction);
    }
}
