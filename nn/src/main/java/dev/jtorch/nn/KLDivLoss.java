package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Kullback-Leibler divergence; the input holds log-probabilities. Like {@code torch.nn.KLDivLoss}.
 *
 * <p>Args:<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN),<br>
 * {@code logTarget} (the target holds log-probabilities too, default false).
 *
 * <p>Shape: input (*), target (*); output scalar, or (*) with NONE (BATCHMEAN divides the sum by the batch size).
 *
 * <p>Example: {@code Tensor loss = new KLDivLoss().call(input, target);}
 */
public class KLDivLoss extends Module {
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;
    /** The target holds log-probabilities too. */
    public final boolean logTarget;

    /** With PyTorch's defaults. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /** With every argument. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = reduction;
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.klDiv(a, b, reduction, logTarget);
    }
}
