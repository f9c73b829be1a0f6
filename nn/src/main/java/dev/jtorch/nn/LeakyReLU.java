package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x for x > 0, negativeSlope * x otherwise. Like {@code torch.nn.LeakyReLU}.
 *
 * <p>Args:<br>
 * {@code negativeSlope} (slope for negative inputs, default 0.01),<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new LeakyReLU().call(Torch.randn(2, 3));}
 */
public class LeakyReLU extends Module {
    /** Slope for negative inputs. */
    public final double negativeSlope;
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public LeakyReLU() {
        this(0.01, false);
    }

    /** With every argument. */
    public LeakyReLU(double negativeSlope, boolean inplace) {
        this.negativeSlope = negativeSlope;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope, inplace);
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + Repr.num(negativeSlope) + (inplace ? ", inplace=True" : "");
    }
}
