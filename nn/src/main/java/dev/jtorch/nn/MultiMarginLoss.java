package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Multi-class hinge loss. Like {@code torch.nn.MultiMarginLoss}.
 *
 * <p>Args:<br>
 * {@code p} (1 or 2, default 1),<br>
 * {@code margin} (the margin, default 1.0),<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (C) or (N, C), target int64 () or (N); output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new MultiMarginLoss().call(input, target);}
 */
public class MultiMarginLoss extends Module {
    /** 1 or 2. */
    public final int p;
    /** The margin. */
    public final double margin;
    /** A manual rescaling weight, registered as the buffer 'weight', or null. */
    public final Tensor weight;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public MultiMarginLoss() {
        this(1, 1.0, null, Reduction.MEAN);
    }

    /** The options builder: {@code MultiMarginLoss.options().margin(...)}. */
    public static MultiMarginOptions options() {
        return new MultiMarginOptions();
    }

    /** From options ({@link #options}). */
    public MultiMarginLoss(MultiMarginOptions o) {
        this(MultiMarginOptions.of(o).p, o.margin, o.weight, o.reduction);
    }

    /** With every argument. */
    public MultiMarginLoss(int p, double margin, Tensor weight, Reduction reduction) {
        this.p = p;
        this.margin = margin;
        this.weight = registerBuffer("weight", weight);
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.multiMarginLoss(a, b, p, margin, attr("weight"), reduction);
    }
}
