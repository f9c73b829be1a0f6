package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Zeroes whole channels with probability p during training, like {@code torch.nn.Dropout2d}. Active in training mode
 * only; the identity in eval mode.
 *
 * <p>Args: {@code p} (probability of zeroing, default 0.5), {@code inplace} (default false).
 *
 * <p>Shape: input (N, C, H, W) or (C, H, W); output the same.
 *
 * <p>Example: {@code new Dropout2d(0.2, false).call(x);}
 */
public class Dropout2d extends DropoutBase {
    /** p = 0.5. */
    public Dropout2d() {
        this(0.5, false);
    }

    /** Probability p, not in place. */
    public Dropout2d(double p) {
        this(p, false);
    }

    /** With every argument. */
    public Dropout2d(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout2d(input, p, isTraining(), inplace);
    }
}
