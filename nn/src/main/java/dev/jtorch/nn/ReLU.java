package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * max(x, 0) elementwise. Like {@code torch.nn.ReLU}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new ReLU().call(Torch.randn(2, 3));}
 */
public class ReLU extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public ReLU() {
        this(false);
    }

    /** With every argument. */
    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input, inplace);
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
