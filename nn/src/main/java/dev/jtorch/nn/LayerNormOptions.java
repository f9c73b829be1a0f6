package dev.jtorch.nn;

import dev.jtorch.DType;

/**
 * The arguments of {@link LayerNorm} with PyTorch's names and defaults: {@code eps} 1e-5,
 * {@code elementwiseAffine} true, {@code bias} true, {@code dtype} float32.
 *
 * <p>Example: {@code new LayerNorm(LayerNorm.options(768).eps(1e-6).bias(false))}.
 */
public final class LayerNormOptions {
    final int[] normalizedShape;
    double eps = 1e-5;
    boolean elementwiseAffine = true;
    boolean bias = true;
    DType dtype = DType.FLOAT32;

    /** The normalized trailing shape. */
    public LayerNormOptions(int... normalizedShape) {
        this.normalizedShape = normalizedShape.clone();
    }

    /** Added to the variance (default 1e-5). */
    public LayerNormOptions eps(double v) {
        eps = v;
        return this;
    }

    /** A learnable weight (and bias) of the normalized shape (default true). */
    public LayerNormOptions elementwiseAffine(boolean v) {
        elementwiseAffine = v;
        return this;
    }

    /** With elementwiseAffine, also a learnable bias (default true). */
    public LayerNormOptions bias(boolean v) {
        bias = v;
        return this;
    }

    /** The parameters' dtype (default float32). */
    public LayerNormOptions dtype(DType v) {
        dtype = v;
        return this;
    }

    /** {@code o}, refusing null ({@code LayerNorm.options(shape)} gives the defaults). */
    static LayerNormOptions of(LayerNormOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("LayerNorm: options must not be null (LayerNorm.options(shape) "
                    + "gives PyTorch's defaults)");
        }
        return o;
    }
}
