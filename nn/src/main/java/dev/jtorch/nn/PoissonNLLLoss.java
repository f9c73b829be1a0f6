package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Negative log likelihood of a Poisson target. Like {@code torch.nn.PoissonNLLLoss}.
 *
 * <p>Args:<br>
 * {@code logInput} (the input is the log of the rate, default true),<br>
 * {@code full} (add the Stirling term, default false),<br>
 * {@code eps} (avoids log(0) when logInput is false, default 1e-8),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (*), target (*); output scalar, or (*) with NONE.
 *
 * <p>Example: {@code Tensor loss = new PoissonNLLLoss().call(input, target);}
 */
public class PoissonNLLLoss extends Module {
    /** The input is the log of the rate. */
    public final boolean logInput;
    /** Add the Stirling term. */
    public final boolean full;
    /** Avoids log(0) when logInput is false. */
    public final double eps;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public PoissonNLLLoss() {
        this(true, false, 1e-8, Reduction.MEAN);
    }

    /** The options builder: {@code PoissonNLLLoss.options().full(...)}. */
    public static PoissonNllOptions options() {
        return new PoissonNllOptions();
    }

    /** From options ({@link #options}). */
    public PoissonNLLLoss(PoissonNllOptions o) {
        this(PoissonNllOptions.of(o).logInput, o.full, o.eps, o.reduction);
    }

    /** With every argument. */
    public PoissonNLLLoss(boolean logInput, boolean full, double eps, Reduction reduction) {
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b) {
        return Losses.poissonNllLoss(a, b, logInput, full, eps, reduction);
    }
}
