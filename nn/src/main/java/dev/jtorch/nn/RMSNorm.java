package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;

/**
 * Root mean square normalization, like {@code torch.nn.RMSNorm} (PyTorch 2.4):
 * {@code y = x / sqrt(mean(x^2) + eps) * weight} over the trailing normalizedShape dims, on the same one-pass
 * kernels as LayerNorm without the centring. PyTorch 1.13 has no RMSNorm; its tests compare with the formula.
 *
 * <p>Args: {@code normalizedShape}, {@code eps} (null: the dtype's machine epsilon, as PyTorch's None),
 * {@code elementwiseAffine} (true), {@code dtype}.
 *
 * <p>Shape: input (*, normalizedShape); output the same.
 *
 * <p>Attributes: {@code weight} (normalizedShape) ones when elementwiseAffine.
 *
 * <p>Example: {@code new RMSNorm(4096).call(x)}
 */
public class RMSNorm extends Module {
    /** The normalized trailing shape. */
    public final int[] normalizedShape;
    /** Added to the mean square, or null for the dtype's machine epsilon. */
    public final Double eps;
    /** Learnable elementwise scale. */
    public final boolean elementwiseAffine;
    /** The scale, or null. */
    public final Parameter weight;

    /** eps from the dtype, elementwise affine. */
    public RMSNorm(int... normalizedShape) {
        this(normalizedShape, null, true);
    }

    /** Float32. */
    public RMSNorm(int[] normalizedShape, Double eps, boolean elementwiseAffine) {
        this(normalizedShape, eps, elementwiseAffine, DType.FLOAT32);
    }

    /** With every argument. */
    public RMSNorm(int[] normalizedShape, Double eps, boolean elementwiseAffine, DType dtype) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine
                ? new Parameter(Torch.empty(dtype, normalizedShape)) : null);
        resetParameters();
    }

    /** Weight to ones. */
    public void resetParameters() {
        if (weight != null) {
            Init.ones_(weight);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.rmsNorm(input, normalizedShape, attr("weight"), eps);
    }

    @Override
    public String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + (eps == null ? "None" : Repr.num(eps))
                + ", elementwise_affine=" + (elementwiseAffine ? "True" : "False");
    }
}
