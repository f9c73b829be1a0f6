package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Gaussian error linear unit x * Phi(x), exact or with the tanh approximation, like {@code torch.nn.GELU}.
 *
 * <p>Args: {@code approximate} ("none", the default, or "tanh").
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new GELU("tanh").call(Torch.randn(2));}
 */
public class GELU extends Module {
    /** "none" or "tanh". */
    public final String approximate;

    /** Exact GELU. */
    public GELU() {
        this("none");
    }

    /** GELU with {@code approximate} "none" or "tanh". */
    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
