package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x * sigmoid(x) (swish). Like {@code torch.nn.SiLU}.
 *
 * <p>Args:<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new SiLU().call(Torch.randn(2, 3));}
 */
public class SiLU extends Module {
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public SiLU() {
        this(false);
    }

    /** With every argument. */
    public SiLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input, inplace);
    }

    @Override
    public String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
