package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;

/**
 * ||x1 - x2 + eps||_p along the last dim, like {@code torch.nn.PairwiseDistance}.
 *
 * <p>Args: {@code p} (the norm degree, default 2), {@code eps} (default 1e-6), {@code keepdim} (default false).
 *
 * <p>Shape: x1 (N, D) or (D), x2 the same; output (N) or () (with keepdim, (N, 1) or (1)).
 *
 * <p>Example: {@code new PairwiseDistance().call(Torch.randn(100, 128), Torch.randn(100, 128));}
 */
public class PairwiseDistance extends Module {
    /** The norm degree. */
    public final double norm;
    /** Added to the difference. */
    public final double eps;
    /** Keep the reduced dim. */
    public final boolean keepdim;

    /** p 2, eps 1e-6. */
    public PairwiseDistance() {
        this(2, 1e-6, false);
    }

    /** With every argument. */
    public PairwiseDistance(double p, double eps, boolean keepdim) {
        this.norm = p;
        this.eps = eps;
        this.keepdim = keepdim;
    }

    @Override
    public Tensor forward(Tensor x1, Tensor x2) {
        Tensor d = Losses.pairwiseDistance(x1, x2, norm, eps);
        return keepdim ? d.unsqueeze(-1) : d;
    }
}
