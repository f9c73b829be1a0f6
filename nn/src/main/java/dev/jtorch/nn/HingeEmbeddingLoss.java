package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * x where y = 1, max(0, margin - x) where y = -1. Like {@code torch.nn.HingeEmbeddingLoss}.
 *
 * <p>Args:<br>
 * {@code margin} (the margin, default 1.0),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*), target (*) of 1 and -1; output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new HingeEmbeddingLoss().call(input, target);}
 */
public class HingeEmbeddingLoss extends Module {
    /** The margin. */
    public final double margin;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public HingeEmbeddingLoss() {
        this(1.0, Reduction.MEAN);
    }

    /** With every argument. */
    public HingeEmbeddingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.hingeEmbeddingLoss(a, b, margin, reduction);
    }
}
