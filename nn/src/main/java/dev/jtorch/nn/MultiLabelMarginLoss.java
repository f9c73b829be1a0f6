package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Multi-class multi-label hinge loss; the target lists class indices, ended by -1. Like {@code torch.nn.MultiLabelMarginLoss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (C) or (N, C); target int64 of the same shape; output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new MultiLabelMarginLoss().call(input, target);}
 */
public class MultiLabelMarginLoss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public MultiLabelMarginLoss() {
        this(Reduction.MEAN);
    }

    /** With every argument. */
    public MultiLabelMarginLoss(Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.multilabelMarginLoss(a, b, reduction);
    }
}
