package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Cosine similarity along a dim, like {@code torch.nn.CosineSimilarity}:
 * {@code sum((x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps)))}.
 *
 * <p>Args: {@code dim} (1), {@code eps} (1e-8).
 *
 * <p>Shape: x1 and x2 broadcastable, (*1, D, *2); output (*1, *2).
 *
 * <p>Example: {@code new CosineSimilarity().call(Torch.randn(100, 128), Torch.randn(100, 128))  // (100)}
 */
public class CosineSimilarity extends Module {
    /** The dim reduced. */
    public final int dim;
    /** Lower bound of each norm. */
    public final double eps;

    /** dim 1, eps 1e-8. */
    public CosineSimilarity() {
        this(1, 1e-8);
    }

    /** With every argument. */
    public CosineSimilarity(int dim, double eps) {
        this.dim = dim;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor x1, Tensor x2) {
        return F.cosineSimilarity(x1, x2, dim, eps);
    }
}
