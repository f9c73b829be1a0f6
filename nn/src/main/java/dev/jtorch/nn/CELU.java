package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * max(0, x) + min(0, alpha (e^(x / alpha) - 1)). Like {@code torch.nn.CELU}.
 *
 * <p>Args:<br>
 * {@code alpha} (the negative saturation value, default 1.0),<br>
 * {@code inplace} (write the result into the input, default false).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new CELU().call(Torch.randn(2, 3));}
 */
public class CELU extends Module {
    /** The negative saturation value. */
    public final double alpha;
    /** Write the result into the input. */
    public final boolean inplace;

    /** With the defaults. */
    public CELU() {
        this(1.0, false);
    }

    /** With every argument. */
    public CELU(double alpha, boolean inplace) {
        this.alpha = alpha;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.celu(input, alpha, inplace);
    }

    @Override
    public String extraRepr() {
        return "alpha=" + Repr.num(alpha) + (inplace ? ", inplace=True" : "");
    }
}
