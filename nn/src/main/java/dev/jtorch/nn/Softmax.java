package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Softmax along a dim; each slice sums to 1, like {@code torch.nn.Softmax}.
 *
 * <p>Args: {@code dim} (the dim; null picks PyTorch's legacy implicit dim: 0 for 0-, 1- and 3-D input, else 1).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new Softmax(1).call(Torch.randn(2, 3));}
 */
public class Softmax extends Module {
    /** The dim, or null for the implicit choice. */
    public final Integer dim;

    /** Along {@code dim}. */
    public Softmax(Integer dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        int d = dim != null ? dim : (input.dim() == 0 || input.dim() == 1 || input.dim() == 3 ? 0 : 1);
        return F.softmax(input, d);
    }

    @Override
    public String extraRepr() {
        return "dim=" + (dim == null ? "None" : dim.toString());
    }
}
