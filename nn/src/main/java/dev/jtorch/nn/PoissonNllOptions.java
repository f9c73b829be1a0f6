package dev.jtorch.nn;

import dev.jtorch.nn.functional.Reduction;

/**
 * The arguments of {@link PoissonNLLLoss} and {@link dev.jtorch.nn.functional.F#poissonNllLoss} with PyTorch's
 * names and defaults: {@code logInput}, {@code full}, {@code eps}, {@code reduction}.
 *
 * <p>Example: {@code new PoissonNLLLoss(PoissonNLLLoss.options().logInput(false).full(true))}.
 */
public final class PoissonNllOptions {
    boolean logInput = true;
    boolean full;
    double eps = 1e-8;
    Reduction reduction = Reduction.MEAN;

    /** PyTorch's defaults. */
    public PoissonNllOptions() {
    }

    /** The input is the log of the rate (default true). */
    public PoissonNllOptions logInput(boolean v) {
        logInput = v;
        return this;
    }

    /** Add the Stirling approximation term (default false). */
    public PoissonNllOptions full(boolean v) {
        full = v;
        return this;
    }

    /** Added to the rate when logInput is false (default 1e-8). */
    public PoissonNllOptions eps(double v) {
        eps = v;
        return this;
    }

    /** NONE, MEAN (default) or SUM. */
    public PoissonNllOptions reduction(Reduction v) {
        reduction = v;
        return this;
    }

    /** The {@code logInput} set (or its default). */
    public boolean logInput() {
        return logInput;
    }

    /** The {@code full} set (or its default). */
    public boolean full() {
        return full;
    }

    /** The {@code eps} set (or its default). */
    public double eps() {
        return eps;
    }

    /** The {@code reduction} set (or its default). */
    public Reduction reduction() {
        return reduction;
    }

    /** {@code o}, refusing null: a module's options ({@code PoissonNLLLoss.options()}: the defaults). */
    static PoissonNllOptions of(PoissonNllOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("PoissonNLLLoss: options must not be null ("
                    + "PoissonNLLLoss.options() gives PyTorch's defaults)");
        }
        return o;
    }
}
