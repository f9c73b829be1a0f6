package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * log(1 + e^(beta x)) / beta, linear where beta x &gt; threshold, like {@code torch.nn.Softplus}.
 *
 * <p>Args: {@code beta} (default 1), {@code threshold} (default 20).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new Softplus(2, 20).call(Torch.randn(2));}
 */
public class Softplus extends Module {
    /** The beta. */
    public final double beta;
    /** Above beta x &gt; threshold the function is linear. */
    public final double threshold;

    /** beta 1, threshold 20. */
    public Softplus() {
        this(1, 20);
    }

    /** With every argument. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softplus(input, beta, threshold);
    }

    @Override
    public String extraRepr() {
        return "beta=" + Repr.intOrNum(beta) + ", threshold=" + Repr.intOrNum(threshold);
    }
}
