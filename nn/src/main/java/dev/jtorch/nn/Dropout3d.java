package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Zeroes whole channels with probability p during training, like {@code torch.nn.Dropout3d}. Active in training mode
 * only; the identity in eval mode.
 *
 * <p>Args: {@code p} (probability of zeroing, default 0.5), {@code inplace} (default false).
 *
 * <p>Shape: input (N, C, D, H, W) or (C, D, H, W); output the same.
 *
 * <p>Example: {@code new Dropout3d(0.2, false).call(x);}
 */
public class Dropout3d extends DropoutBase {
    /** p = 0.5. */
    public Dropout3d() {
        this(0.5, false);
    }

    /** Probability p, not in place. */
    public Dropout3d(double p) {
        this(p, false);
    }

    /** With every argument. */
    public Dropout3d(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout3d(input, p, isTraining(), inplace);
    }
}
