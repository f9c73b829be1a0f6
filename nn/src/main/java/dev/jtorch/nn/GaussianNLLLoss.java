package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * Gaussian negative log likelihood with predicted variances. Like {@code torch.nn.GaussianNLLLoss}.
 *
 * <p>Args:<br>
 * {@code full} (add the constant 0.5 log(2 pi), default false),<br>
 * {@code eps} (lower clamp of the variance, default 1e-6),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: input (N, *), target (N, *), var (N, *) or one dim fewer or with last dim 1; output scalar, or (N, *) with NONE.
 *
 * <p>Example: {@code Tensor loss = new GaussianNLLLoss().call(x1, x2, y);}
 */
public class GaussianNLLLoss extends Module {
    /** Add the constant 0.5 log(2 pi). */
    public final boolean full;
    /** Lower clamp of the variance. */
    public final double eps;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public GaussianNLLLoss() {
        this(false, 1e-6, Reduction.MEAN);
    }

    /** With every argument. */
    public GaussianNLLLoss(boolean full, double eps, Reduction reduction) {
        this.full = full;
        this.eps = eps;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b, Tensor c) {
        return Losses.gaussianNllLoss(a, b, c, full, eps, reduction);
    }
}
