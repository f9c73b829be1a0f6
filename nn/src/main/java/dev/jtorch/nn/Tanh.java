package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Hyperbolic tangent. Like {@code torch.nn.Tanh}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Tanh().call(Torch.randn(2, 3));}
 */
public class Tanh extends Module {

    /** The module (it has no arguments). */
    public Tanh() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
