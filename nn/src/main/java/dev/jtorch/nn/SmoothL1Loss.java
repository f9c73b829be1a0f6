package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * 0.5 d^2 / beta where |d| &lt; beta, |d| - beta / 2 elsewhere. Like {@code torch.nn.SmoothL1Loss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN),<br>
 * {@code beta} (where the loss turns linear, default 1.0).
 *
 * <p>Shape: input (*), target (*); output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new SmoothL1Loss().call(input, target);}
 */
public class SmoothL1Loss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;
    /** Where the loss turns linear. */
    public final double beta;

    /** With PyTorch's defaults. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    /** With every argument. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.smoothL1Loss(a, b, reduction, beta);
    }
}
