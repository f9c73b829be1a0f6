package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x - tanh(x). Like {@code torch.nn.Tanhshrink}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Tanhshrink().call(Torch.randn(2, 3));}
 */
public class Tanhshrink extends Module {

    /** The module (it has no arguments). */
    public Tanhshrink() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.tanhshrink(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
