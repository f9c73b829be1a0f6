package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Randomized leaky ReLU, like {@code torch.nn.RReLU}: in training each non-positive element gets a slope from
 * U(lower, upper); in eval the slope is (lower + upper) / 2.
 *
 * <p>Args: {@code lower} (default 1/8), {@code upper} (default 1/3), {@code inplace} (default false).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new RReLU(0.1, 0.3, false).call(Torch.randn(2));}
 */
public class RReLU extends Module {
    /** Lower bound of the slope. */
    public final double lower;
    /** Upper bound of the slope. */
    public final double upper;
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults 1/8 and 1/3. */
    public RReLU() {
        this(1.0 / 8, 1.0 / 3, false);
    }

    /** With every argument. */
    public RReLU(double lower, double upper, boolean inplace) {
        this.lower = lower;
        this.upper = upper;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.rrelu(input, lower, upper, isTraining(), inplace, null);
    }

    @Override
    public String extraRepr() {
        return "lower=" + Repr.num(lower) + ", upper=" + Repr.num(upper) + (inplace ? ", inplace=True" : "");
    }
}
