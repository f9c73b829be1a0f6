package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * min(max(x, 0), 6) elementwise. Like {@code torch.nn.ReLU6}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new ReLU6().call(Torch.randn(2, 3));}
 */
public class ReLU6 extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public ReLU6() {
        this(false);
    }

    /** With every argument. */
    public ReLU6(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu6(input, inplace);
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
