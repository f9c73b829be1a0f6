package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x * tanh(softplus(x)). Like {@code torch.nn.Mish}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Mish().call(Torch.randn(2, 3));}
 */
public class Mish extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public Mish() {
        this(false);
    }

    /** With every argument. */
    public Mish(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.mish(input, inplace);
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
