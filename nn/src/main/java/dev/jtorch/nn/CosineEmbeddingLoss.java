package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1. Like {@code torch.nn.CosineEmbeddingLoss}.
 *
 * <p>Args:<br>
 * {@code margin} (the margin, in [-1, 1], default 0.0),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input1 (N, D) or (D), input2 the same, target (N) or (); output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new CosineEmbeddingLoss().call(x1, x2, y);}
 */
public class CosineEmbeddingLoss extends Module {
    /** The margin, in [-1, 1]. */
    public final double margin;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public CosineEmbeddingLoss() {
        this(0.0, Reduction.MEAN);
    }

    /** With every argument. */
    public CosineEmbeddingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b, Tensor c) {
        return Losses.cosineEmbeddingLoss(a, b, c, margin, reduction);
    }
}
