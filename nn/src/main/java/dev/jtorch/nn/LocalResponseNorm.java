package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Local response normalization across channels, like {@code torch.nn.LocalResponseNorm}:
 * {@code y = x / (k + alpha / size * sum of x^2 over size neighbouring channels)^beta}.
 *
 * <p>Args: {@code size} (channels in the window), {@code alpha} (1e-4), {@code beta} (0.75), {@code k} (1).
 *
 * <p>Shape: input (N, C, *) with at least 3 dims; output the same.
 *
 * <p>Example: {@code new LocalResponseNorm(2).call(Torch.randn(32, 5, 24, 24))}
 */
public class LocalResponseNorm extends Module {
    /** Channels in the window. */
    public final int size;
    /** Multiplicative factor. */
    public final double alpha;
    /** Exponent. */
    public final double beta;
    /** Additive factor. */
    public final double k;

    /** alpha 1e-4, beta 0.75, k 1. */
    public LocalResponseNorm(int size) {
        this(size, 1e-4, 0.75, 1.0);
    }

    /** With every argument. */
    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.localResponseNorm(input, size, alpha, beta, k);
    }

    @Override
    public String extraRepr() {
        return size + ", alpha=" + Repr.num(alpha) + ", beta=" + Repr.num(beta) + ", k=" + Repr.num(k);
    }
}
