package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * 0.5 d^2 where |d| &lt; delta, delta (|d| - delta / 2) elsewhere. Like {@code torch.nn.HuberLoss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN),<br>
 * {@code delta} (where the loss turns linear, default 1.0).
 *
 * <p>Shape: input (*), target (*); output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new HuberLoss().call(input, target);}
 */
public class HuberLoss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;
    /** Where the loss turns linear. */
    public final double delta;

    /** With PyTorch's defaults. */
    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    /** With every argument. */
    public HuberLoss(Reduction reduction, double delta) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.huberLoss(a, b, reduction, delta);
    }
}
