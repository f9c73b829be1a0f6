package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Mean squared error (x - y)^2. Like {@code torch.nn.MSELoss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*), target (*) the same shape; output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new MSELoss().call(input, target);}
 */
public class MSELoss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With every argument. */
    public MSELoss(Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.mseLoss(a, b, reduction);
    }
}
