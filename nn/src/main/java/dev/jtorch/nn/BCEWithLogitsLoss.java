package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Sigmoid followed by binary cross entropy, in one numerically stable expression, like
 * {@code torch.nn.BCEWithLogitsLoss}.
 *
 * <p>Args:<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code reduction} (NONE, MEAN or SUM, default MEAN),<br>
 * {@code posWeight} (a weight of positive examples per class, registered as the buffer 'pos_weight', default
 * null).
 *
 * <p>Shape: input (*), target (*) the same shape; output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new BCEWithLogitsLoss().call(logits, target);}
 */
public class BCEWithLogitsLoss extends Module {
    /** Rescaling weight, or null. */
    public final Tensor weight;
    /** How to reduce. */
    public final Reduction reduction;
    /** Positive-example weight, or null. */
    public final Tensor posWeight;

    /** With PyTorch's defaults. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /** With every argument. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        this.weight = registerBuffer("weight", weight);
        this.reduction = reduction;
        this.posWeight = registerBuffer("pos_weight", posWeight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, attr("weight"), attr("pos_weight"), reduction);
    }
}
