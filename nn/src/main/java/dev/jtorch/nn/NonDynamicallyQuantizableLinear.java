package dev.jtorch.nn;

import dev.jtorch.DType;

/**
 * A {@link Linear} under the name of PyTorch's {@code torch.nn.modules.linear.NonDynamicallyQuantizableLinear}:
 * the output projection {@code out_proj} of {@link MultiheadAttention}, which PyTorch types this way to keep
 * dynamic quantization away from it. Same arguments, parameters, initialisation and forward as Linear; only the
 * name in {@link #toString()} differs, so a MultiheadAttention prints as PyTorch's does.
 *
 * <p>Example: {@code new NonDynamicallyQuantizableLinear(8, 8, true, DType.FLOAT32)}
 */
public class NonDynamicallyQuantizableLinear extends Linear {
    /** With every argument of Linear. */
    public NonDynamicallyQuantizableLinear(int inFeatures, int outFeatures, boolean bias, DType dtype) {
        super(inFeatures, outFeatures, bias, dtype);
    }
}
