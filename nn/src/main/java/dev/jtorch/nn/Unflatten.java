package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * Splits one dim into a shape, like {@code torch.nn.Unflatten}.
 *
 * <p>Args: {@code dim}, {@code unflattenedSize} (the sizes; one may be -1).
 *
 * <p>Shape: input (*, S_dim, *); output (*, U_1, ..., U_n, *) with prod(U) = S_dim.
 *
 * <p>Example: {@code new Unflatten(1, 2, 5, 5).call(Torch.randn(2, 50)).shape()  // [2, 2, 5, 5]}
 */
public class Unflatten extends Module {
    /** The dim to unflatten. */
    public final int dim;
    private final int[] sizes;

    /** Unflattens {@code dim} into {@code unflattenedSize}. */
    public Unflatten(int dim, int... unflattenedSize) {
        if (unflattenedSize.length == 0) {
            throw new IllegalArgumentException("unflattened_size must be a non-empty tuple of ints");
        }
        this.dim = dim;
        this.sizes = unflattenedSize.clone();
    }

    /** The target sizes. */
    public int[] unflattenedSize() {
        return sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.unflatten(dim, sizes);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + Repr.tuple(sizes);
    }
}
