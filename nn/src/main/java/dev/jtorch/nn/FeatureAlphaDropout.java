package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Alpha dropout of whole channels, like {@code torch.nn.FeatureAlphaDropout}. Active in training mode only; the
 * identity in eval mode.
 *
 * <p>Args: {@code p} (probability of zeroing, default 0.5), {@code inplace} (default false).
 *
 * <p>Shape: input (N, C, *); output the same.
 *
 * <p>Example: {@code new FeatureAlphaDropout(0.2, false).call(x);}
 */
public class FeatureAlphaDropout extends DropoutBase {
    /** p = 0.5. */
    public FeatureAlphaDropout() {
        this(0.5, false);
    }

    /** Probability p, not in place. */
    public FeatureAlphaDropout(double p) {
        this(p, false);
    }

    /** With every argument. */
    public FeatureAlphaDropout(double p, boolean inplace) {
        super(p, inplace);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.featureAlphaDropout(input, p, isTraining(), inplace);
    }
}
