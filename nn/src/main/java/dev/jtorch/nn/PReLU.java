package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;

/**
 * x for x &gt; 0, a * x otherwise, with a learned slope a (one, or one per channel), like
 * {@code torch.nn.PReLU}.
 *
 * <p>Args: {@code numParameters} (1, or the number of channels, dim 1 of the input; default 1),
 * {@code init} (initial slope, default 0.25).
 *
 * <p>Shape: input (*) with channels at dim 1; output the same.
 *
 * <p>Attributes: {@code weight} (numParameters), initialised to {@code init}.
 *
 * <p>Example: {@code new PReLU(3, 0.25).call(Torch.randn(2, 3, 4));}
 */
public class PReLU extends Module {
    /** Number of slopes. */
    public final int numParameters;
    /** Initial slope. */
    public final double init;
    /** The slopes. */
    public final Parameter weight;

    /** One slope, 0.25. */
    public PReLU() {
        this(1, 0.25);
    }

    /** With every argument. */
    public PReLU(int numParameters, double init) {
        this.numParameters = numParameters;
        this.init = init;
        this.weight = registerParameter("weight", new Parameter(Torch.empty(DType.FLOAT32, numParameters)));
        resetParameters();
    }

    /** Fills the slopes with {@code init}. */
    public void resetParameters() {
        dev.jtorch.nn.init.Init.constant_(weight, init);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.prelu(input, attr("weight"));
    }

    @Override
    public String extraRepr() {
        return "num_parameters=" + numParameters;
    }
}
