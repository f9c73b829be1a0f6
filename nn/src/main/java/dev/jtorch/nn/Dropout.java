package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Zeroes each element with probability p during training and scales the rest by 1/(1-p), like {@code torch.nn.Dropout}.
 * Active in training mode only; the identity in eval mode.
 *
 * <p>Args: {@code p} (probability of zeroing, default 0.5), {@code inplace} (default false).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new Dropout(0.2, false).call(x);}
 */
public class Dropout extends DropoutBase {
    /** p = 0.5. */
    public Dropout() {
        this(0.5, false);
    }

    /** Probability p, not in place. */
    public Dropout(double p) {
        this(p, false);
    }

    /** With every argument. */
    public Dropout(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), inplace);
    }
}
