package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x / (1 + |x|). Like {@code torch.nn.Softsign}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Softsign().call(Torch.randn(2, 3));}
 */
public class Softsign extends Module {

    /** The module (it has no arguments). */
    public Softsign() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softsign(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
