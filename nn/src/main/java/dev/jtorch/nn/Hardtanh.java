package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * clamp(x, minVal, maxVal), like {@code torch.nn.Hardtanh}.
 *
 * <p>Args: {@code minVal} (default -1), {@code maxVal} (default 1), {@code inplace} (default false).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new Hardtanh(-2, 2, false).call(Torch.randn(2));}
 */
public class Hardtanh extends Module {
    /** Lower bound. */
    public final double minVal;
    /** Upper bound. */
    public final double maxVal;
    /** Write the result into the input. */
    public final boolean inplace;

    /** clamp to [-1, 1]. */
    public Hardtanh() {
        this(-1, 1, false);
    }

    /** With every argument. */
    public Hardtanh(double minVal, double maxVal, boolean inplace) {
        if (maxVal <= minVal) {
            throw new IllegalArgumentException("max_val must be greater than min_val, got " + minVal + " and "
                    + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardtanh(input, minVal, maxVal, inplace);
    }

    @Override
    public String extraRepr() {
        return "min_val=" + Repr.num(minVal) + ", max_val=" + Repr.num(maxVal) + (inplace ? ", inplace=True" : "");
    }
}
