package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Gated linear unit a * sigmoid(b) over the two halves of a dim, like {@code torch.nn.GLU}.
 *
 * <p>Args: {@code dim} (default -1).
 *
 * <p>Shape: input (*1, N, *2) with N even; output (*1, N/2, *2).
 *
 * <p>Example: {@code new GLU().call(Torch.randn(4, 2)).shape()  // [4, 1]}
 */
public class GLU extends Module {
    /** The halved dim. */
    public final int dim;

    /** Over the last dim. */
    public GLU() {
        this(-1);
    }

    /** Over {@code dim}. */
    public GLU(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.glu(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
