package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;

/**
 * {@code y = x W^T + b}, like {@code torch.nn.Linear}.
 *
 * <p>Args: {@code inFeatures} (size of each input sample), {@code outFeatures} (size of each output sample),
 * {@code bias} (learn an additive bias, default true), {@code dtype} (default float32).
 *
 * <p>Shape: input (*, inFeatures); output (*, outFeatures).
 *
 * <p>Attributes: {@code weight} (outFeatures, inFeatures), initialised from U(-sqrt(k), sqrt(k)) with
 * k = 1/inFeatures (kaiming_uniform_ with a = sqrt(5)); {@code bias} (outFeatures), from U(-sqrt(k), sqrt(k)).
 * After the same manual seed the values are PyTorch's.
 *
 * <p>Example: {@code Tensor y = new Linear(20, 30).call(Torch.randn(128, 20));  // (128, 30)}
 */
public class Linear extends Module {
    /** Input features. */
    public final int inFeatures;
    /** Output features. */
    public final int outFeatures;
    /** The weight (outFeatures, inFeatures). */
    public final Parameter weight;
    /** The bias (outFeatures), or null. */
    public final Parameter bias;

    /** With a bias, float32. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** Float32. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32);
    }

    /** With every argument. */
    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be non-negative, got "
                    + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Torch.empty(dtype, outFeatures, inFeatures)));
        this.bias = registerParameter("bias", bias ? new Parameter(Torch.empty(dtype, outFeatures)) : null);
        resetParameters();
    }

    /** Draws the weight and bias from PyTorch's default distributions. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + "): expected input of shape (*, "
                    + inFeatures + "), got " + java.util.Arrays.toString(input.shape()));
        }
        return F.linear(input, attr("weight"), attr("bias"));
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
