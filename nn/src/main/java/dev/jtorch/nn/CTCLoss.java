package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Connectionist temporal classification loss, like {@code torch.nn.CTCLoss}.
 *
 * <p>Args:<br>
 * {@code blank} (the blank label, default 0),<br>
 * {@code reduction} (NONE, MEAN: each loss divided by its target length, then averaged; or SUM),<br>
 * {@code zeroInfinity} (infinite losses, from inputs too short for their targets, become 0 with 0 gradient).
 *
 * <p>Shape: logProbs (T, N, C) or (T, C) from log_softmax; targets (N, S) padded or the concatenation of
 * all targets; inputLengths (N); targetLengths (N); output scalar, or (N) with NONE.
 *
 * <p>Example: {@code new CTCLoss().call(logits.logSoftmax(2), targets, inputLengths, targetLengths);}
 */
public class CTCLoss extends Module {
    /** The blank label. */
    public final int blank;
    /** How to reduce. */
    public final Reduction reduction;
    /** Whether infinite losses are zeroed. */
    public final boolean zeroInfinity;

    /** blank 0, MEAN, no zeroing. */
    public CTCLoss() {
        this(0, Reduction.MEAN, false);
    }

    /** With every argument. */
    public CTCLoss(int blank, Reduction reduction, boolean zeroInfinity) {
        this.blank = blank;
        this.reduction = reduction;
        this.zeroInfinity = zeroInfinity;
    }

    @Override
    public Tensor forward(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) {
        return Losses.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }
}
