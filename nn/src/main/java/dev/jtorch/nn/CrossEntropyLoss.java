package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Cross entropy between logits and class indices or class probabilities, with class weights, an ignored index and label smoothing. Like {@code torch.nn.CrossEntropyLoss}.
 *
 * <p>Args:<br>
 * {@code weight} (a manual rescaling weight, registered as the buffer 'weight', default null),<br>
 * {@code ignoreIndex} (a target value that is ignored, default -100),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN),<br>
 * {@code labelSmoothing} (amount of smoothing in [0, 1], default 0.0).
 *
 * <p>Shape: input (C), (N, C) or (N, C, d1, ...); target int64 () / (N) / (N, d1, ...) of class indices, or float of the input's shape; output scalar, or the target's shape with NONE.
 *
 * <p>Example: {@code Tensor loss = new CrossEntropyLoss().call(input, target);}
 */
public class CrossEntropyLoss extends Module {
    /** A manual rescaling weight, registered as the buffer 'weight', or null. */
    public final Tensor weight;
    /** A target value that is ignored. */
    public final long ignoreIndex;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;
    /** Amount of smoothing in [0, 1]. */
    public final double labelSmoothing;

    /** With PyTorch's defaults. */
    public CrossEntropyLoss() {
        this(null, -100L, Reduction.MEAN, 0.0);
    }

    /** The options builder: {@code CrossEntropyLoss.options().ignoreIndex(...)}. */
    public static CrossEntropyOptions options() {
        return new CrossEntropyOptions();
    }

    /** From options ({@link #options}). */
    public CrossEntropyLoss(CrossEntropyOptions o) {
        this(CrossEntropyOptions.of(o).weight, o.ignoreIndex, o.reduction, o.labelSmoothing);
    }

    /** With every argument. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.crossEntropy(a, b, attr("weight"), ignoreIndex, reduction, labelSmoothing);
    }
}
