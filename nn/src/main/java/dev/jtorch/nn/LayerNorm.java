package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;

/**
 * Layer normalization over the trailing normalizedShape dims, like {@code torch.nn.LayerNorm}: each row
 * normalised by its own mean and (biased) variance, then an elementwise affine transform; one pass for the
 * statistics and one fused pass for the transform.
 *
 * <p>Args: {@code normalizedShape}, {@code eps} (1e-5), {@code elementwiseAffine} (true), {@code bias} (true; as
 * PyTorch 2.1 added), {@code dtype}.
 *
 * <p>Shape: input (*, normalizedShape); output the same.
 *
 * <p>Attributes: {@code weight} (normalizedShape) ones and {@code bias} (normalizedShape) zeros when
 * elementwiseAffine (no bias with bias false).
 *
 * <p>Example: {@code new LayerNorm(768).call(Torch.randn(32, 128, 768))}
 */
public class LayerNorm extends Module {
    /** The normalized trailing shape. */
    public final int[] normalizedShape;
    /** Added to the variance. */
    public final double eps;
    /** Learnable elementwise scale (and shift). */
    public final boolean elementwiseAffine;
    /** The scale, or null. */
    public final Parameter weight;
    /** The shift, or null. */
    public final Parameter bias;

    /** eps 1e-5, elementwise affine with bias. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, true);
    }

    /** The options builder: {@code LayerNorm.options(768).eps(1e-6)}. */
    public static LayerNormOptions options(int... normalizedShape) {
        return new LayerNormOptions(normalizedShape);
    }

    /** From options ({@link #options}). */
    public LayerNorm(LayerNormOptions o) {
        this(LayerNormOptions.of(o).normalizedShape, o.eps, o.elementwiseAffine, o.bias, o.dtype);
    }

    /** Float32. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        this(normalizedShape, eps, elementwiseAffine, bias, DType.FLOAT32);
    }

    /** With every argument. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias, DType dtype) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine
                ? new Parameter(Torch.empty(dtype, normalizedShape)) : null);
        this.bias = registerParameter("bias", elementwiseAffine && bias
                ? new Parameter(Torch.empty(dtype, normalizedShape)) : null);
        resetParameters();
    }

    /** Weight to ones, bias to zeros. */
    public void resetParameters() {
        if (weight != null) {
            Init.ones_(weight);
        }
        if (bias != null) {
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.layerNorm(input, normalizedShape, attr("weight"), attr("bias"), eps);
    }

    @Override
    public String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.num(eps) + ", elementwise_affine="
                + (elementwiseAffine ? "True" : "False");
    }
}
