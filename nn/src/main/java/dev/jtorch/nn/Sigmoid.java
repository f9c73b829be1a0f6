package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 1 / (1 + e^-x). Like {@code torch.nn.Sigmoid}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Sigmoid().call(Torch.randn(2, 3));}
 */
public class Sigmoid extends Module {

    /** The module (it has no arguments). */
    public Sigmoid() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
