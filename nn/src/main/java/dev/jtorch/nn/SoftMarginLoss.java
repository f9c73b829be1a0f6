package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Two-class logistic loss log(1 + e^(-y x)). Like {@code torch.nn.SoftMarginLoss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*), target (*) of 1 and -1; output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new SoftMarginLoss().call(input, target);}
 */
public class SoftMarginLoss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public SoftMarginLoss() {
        this(Reduction.MEAN);
    }

    /** With every argument. */
    public SoftMarginLoss(Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.softMarginLoss(a, b, reduction);
    }
}
