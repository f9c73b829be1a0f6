package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;

/**
 * {@code y = x1^T A x2 + b}, like {@code torch.nn.Bilinear}.
 *
 * <p>Args: {@code in1Features}, {@code in2Features}, {@code outFeatures}, {@code bias} (default true).
 *
 * <p>Shape: input1 (*, in1Features), input2 (*, in2Features) with the same leading dims; output
 * (*, outFeatures).
 *
 * <p>Attributes: {@code weight} (outFeatures, in1Features, in2Features) and {@code bias} (outFeatures), both
 * from U(-1/sqrt(in1Features), 1/sqrt(in1Features)).
 *
 * <p>Example: {@code new Bilinear(20, 30, 40).call(Torch.randn(128, 20), Torch.randn(128, 30)); // (128, 40)}
 */
public class Bilinear extends Module {
    /** Size of each first input sample. */
    public final int in1Features;
    /** Size of each second input sample. */
    public final int in2Features;
    /** Size of each output sample. */
    public final int outFeatures;
    /** The weight (out, in1, in2). */
    public final Parameter weight;
    /** The bias (out), or null. */
    public final Parameter bias;

    /** With a bias. */
    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true, DType.FLOAT32);
    }

    /** With every argument. */
    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias, DType dtype) {
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight",
                new Parameter(Torch.empty(dtype, outFeatures, in1Features, in2Features)));
        this.bias = registerParameter("bias", bias ? new Parameter(Torch.empty(dtype, outFeatures)) : null);
        resetParameters();
    }

    /** U(-1/sqrt(in1Features), 1/sqrt(in1Features)) for weight and bias. */
    public void resetParameters() {
        double bound = 1 / Math.sqrt(weight.size(1));
        Init.uniform_(weight, -bound, bound);
        if (bias != null) {
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input1, Tensor input2) {
        return F.bilinear(input1, input2, attr("weight"), attr("bias"));
    }

    @Override
    public String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + (bias != null ? "True" : "False");
    }
}
