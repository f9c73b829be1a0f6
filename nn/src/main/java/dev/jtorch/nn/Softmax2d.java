package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Softmax over the channels of a (C, H, W) or (N, C, H, W) input. Like {@code torch.nn.Softmax2d}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new Softmax2d().call(Torch.randn(2, 3));}
 */
public class Softmax2d extends Module {

    /** The module (it has no arguments). */
    public Softmax2d() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax2d(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
