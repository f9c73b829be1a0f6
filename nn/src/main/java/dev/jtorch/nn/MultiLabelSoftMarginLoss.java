package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Multi-label one-versus-all loss based on max-entropy. Like {@code torch.nn.MultiLabelSoftMarginLoss}.
 *
 * <p>Args:<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (N, C), target (N, C) of 0 and 1; output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new MultiLabelSoftMarginLoss().call(input, target);}
 */
public class MultiLabelSoftMarginLoss extends Module {
    /** A manual rescaling weight, registered as the buffer 'weight', or null. */
    public final Tensor weight;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public MultiLabelSoftMarginLoss() {
        this(null, Reduction.MEAN);
    }

    /** With every argument. */
    public MultiLabelSoftMarginLoss(Tensor weight, Reduction reduction) {
        this.weight = registerBuffer("weight", weight);
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.multilabelSoftMarginLoss(a, b, attr("weight"), reduction);
    }
}
