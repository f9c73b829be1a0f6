package dev.jtorch.nn.utils.prune;

import dev.jtorch.nn.Repr;

/**
 * How much a pruning method prunes: PyTorch's {@code amount}, an {@code int} (an absolute number of units) or a
 * {@code float} in [0, 1] (a fraction of the units, rounded as Python's {@code round}, half to even). Checked
 * when made, as PyTorch's {@code _validate_pruning_amount_init}.
 *
 * <p>Args: a count ({@link #of(int)}, non-negative) or a fraction ({@link #of(double)}, in [0, 1]).
 *
 * <p>Example:
 * <pre>{@code
 * Amount.of(3).toPrune(10);     // 3
 * Amount.of(0.25).toPrune(10);  // round(2.5) = 2
 * Amount.of(-1);                // IllegalArgumentException: amount=-1 should either be a float in the range
 *                               // [0, 1] or a non-negative integer
 * }</pre>
 */
public final class Amount {
    private final boolean integral;
    private final int count;
    private final double fraction;

    private Amount(boolean integral, int count, double fraction) {
        this.integral = integral;
        this.count = count;
        this.fraction = fraction;
    }

    /** An absolute number of units to prune; negative fails. */
    public static Amount of(int count) {
        if (count < 0) {
            throw invalid(Integer.toString(count));
        }
        return new Amount(true, count, 0);
    }

    /** A fraction of the units to prune, in [0, 1]; outside (or NaN) fails. */
    public static Amount of(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw invalid(Repr.num(fraction));
        }
        return new Amount(false, 0, fraction);
    }

    private static IllegalArgumentException invalid(String amount) {
        return new IllegalArgumentException("amount=" + amount + " should either be a float in the range [0, 1] or a "
                + "non-negative integer");
    }

    /** Whether this is a count (PyTorch's {@code int} amount) rather than a fraction. */
    public boolean isCount() {
        return integral;
    }

    /**
     * The number of units to prune out of {@code tensorSize} ({@code _compute_nparams_toprune}), checked against it
     * ({@code _validate_pruning_amount}): a count larger than the size fails.
     */
    public int toPrune(int tensorSize) {
        int n = integral ? count : (int) Math.rint(fraction * tensorSize);
        if (n > tensorSize) {
            throw new IllegalArgumentException("amount=" + n + " should be smaller than the number of parameters to "
                    + "prune=" + tensorSize);
        }
        return n;
    }

    @Override
    public String toString() {
        return integral ? Integer.toString(count) : Repr.num(fraction);
    }
}
