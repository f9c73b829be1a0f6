package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x * hardsigmoid(x). Like {@code torch.nn.Hardswish}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Hardswish().call(Torch.randn(2, 3));}
 */
public class Hardswish extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public Hardswish() {
        this(false);
    }

    /** With every argument. */
    public Hardswish(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardswish(input, inplace);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
