package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x - lambd above lambd, x + lambd below -lambd, else 0. Like {@code torch.nn.Softshrink}.
 *
 * <p>Args:<br>
 * {@code lambd} (the threshold (at least 0), default 0.5).
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Softshrink().call(Torch.randn(2, 3));}
 */
public class Softshrink extends Module {
    /** The threshold (at least 0). */
    public final double lambd;

    /** With the defaults. */
    public Softshrink() {
        this(0.5);
    }

    /** With every argument. */
    public Softshrink(double lambd) {
        this.lambd = lambd;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softshrink(input, lambd);
    }

    @Override
    public String extraRepr() {
        return Repr.num(lambd);
    }
}
