package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x where |x| > lambd, else 0. Like {@code torch.nn.Hardshrink}.
 *
 * <p>Args:<br>
 * {@code lambd} (the threshold, default 0.5).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Hardshrink().call(Torch.randn(2, 3));}
 */
public class Hardshrink extends Module {
    /** The threshold. */
    public final double lambd;

    /** With the defaults. */
    public Hardshrink() {
        this(0.5);
    }

    /** With every argument. */
    public Hardshrink(double lambd) {
        this.lambd = lambd;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardshrink(input, lambd);
    }

    @Override
    public String extraRepr() {
        return Repr.num(lambd);
    }
}
