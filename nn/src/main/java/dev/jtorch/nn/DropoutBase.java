package dev.jtorch.nn;

/**
 * The state every dropout layer shares (PyTorch's {@code _DropoutNd}): the probability {@code p} of zeroing,
 * checked to lie in [0, 1], and {@code inplace}; repr {@code p=0.5, inplace=False}.
 */
public abstract class DropoutBase extends Module {
    /** Probability of zeroing. */
    public final double p;
    /** Write the result into the input. */
    public final boolean inplace;

    DropoutBase(double p, boolean inplace) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.inplace = inplace;
    }

    @Override
    public String extraRepr() {
        return "p=" + Repr.num(p) + ", inplace=" + (inplace ? "True" : "False");
    }
}
