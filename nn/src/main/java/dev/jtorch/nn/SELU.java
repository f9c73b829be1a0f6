package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * scale * elu(x, alpha) with alpha = 1.6732632423543772 and scale = 1.0507009873554805. Like {@code torch.nn.SELU}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new SELU().call(Torch.randn(2, 3));}
 */
public class SELU extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public SELU() {
        this(false);
    }

    /** With every argument. */
    public SELU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.selu(input, inplace);
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
