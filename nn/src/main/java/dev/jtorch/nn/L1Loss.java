package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Mean absolute error |x - y|. Like {@code torch.nn.L1Loss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*), target (*) the same shape; output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new L1Loss().call(input, target);}
 */
public class L1Loss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With every argument. */
    public L1Loss(Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.l1Loss(a, b, reduction);
    }
}
