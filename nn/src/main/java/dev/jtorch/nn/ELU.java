package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x for x > 0, alpha (e^x - 1) otherwise. Like {@code torch.nn.ELU}.
 *
 * <p>Args:<br>
 * {@code alpha} (the negative saturation value, default 1.0),<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new ELU().call(Torch.randn(2, 3));}
 */
public class ELU extends Module {
    /** The negative saturation value. */
    public final double alpha;
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public ELU() {
        this(1.0, false);
    }

    /** With every argument. */
    public ELU(double alpha, boolean inplace) {
        this.alpha = alpha;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.elu(input, alpha, inplace);
    }

    @Override
    public String extraRepr() {
        return "alpha=" + Repr.num(alpha) + (inplace ? ", inplace=True" : "");
    }
}
