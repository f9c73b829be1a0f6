package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * x where x &gt; threshold, else value, like {@code torch.nn.Threshold}.
 *
 * <p>Args: {@code threshold}, {@code value}, {@code inplace} (default false).
 *
 * <p>Shape: input (*); output the same.
 *
 * <p>Example: {@code new Threshold(0.1, 20).call(Torch.randn(2));}
 */
public class Threshold extends Module {
    /** The threshold. */
    public final double threshold;
    /** The replacement value. */
    public final double value;
    /** Write the result into the input. */
    public final boolean inplace;

    /** Not in place. */
    public Threshold(double threshold, double value) {
        this(threshold, value, false);
    }

    /** With every argument. */
    public Threshold(double threshold, double value, boolean inplace) {
        this.threshold = threshold;
        this.value = value;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.threshold(input, threshold, value, inplace);
    }

    @Override
    public String extraRepr() {
        return "threshold=" + Repr.num(threshold) + ", value=" + Repr.num(value) + (inplace ? ", inplace=True" : "");
    }
}
