package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 0 below -3, 1 above 3, x / 6 + 1/2 between. Like {@code torch.nn.Hardsigmoid}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Hardsigmoid().call(Torch.randn(2, 3));}
 */
public class Hardsigmoid extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public Hardsigmoid() {
        this(false);
    }

    /** With every argument. */
    public Hardsigmoid(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardsigmoid(input, inplace);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
