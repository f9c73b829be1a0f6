package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Dropout that keeps the zero mean and unit variance SELU networks rely on, like {@code torch.nn.AlphaDropout}. Active
 * in training mode only; the identity in eval mode.
 *
 * <p>Args: {@code p} (probability of zeroing, default 0.5), {@code inplace} (default false).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new AlphaDropout(0.2, false).call(x);}
 */
public class AlphaDropout extends DropoutBase {
    /** p = 0.5. */
    public AlphaDropout() {
        this(0.5, false);
    }

    /** Probability p, not in place. */
    public AlphaDropout(double p) {
        this(p, false);
    }

    /** With every argument. */
    public AlphaDropout(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.alphaDropout(input, p, isTraining(), inplace);
    }
}
