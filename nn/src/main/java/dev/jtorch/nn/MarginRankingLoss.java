package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * max(0, -y (x1 - x2) + margin). Like {@code torch.nn.MarginRankingLoss}.
 *
 * <p>Args:<br>
 * {@code margin} (the margin, default 0.0),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input1 (N) or (), input2 the same, target the same of 1 and -1; output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new MarginRankingLoss().call(x1, x2, y);}
 */
public class MarginRankingLoss extends Module {
    /** The margin. */
    public final double margin;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public MarginRankingLoss() {
        this(0.0, Reduction.MEAN);
    }

    /** With every argument. */
    public MarginRankingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b, Tensor c) {
        return Losses.marginRankingLoss(a, b, c, margin, reduction);
    }
}
