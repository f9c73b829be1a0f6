package dev.jtorch.optim;

/**
 * The hyperparameters of {@link ASGD} with PyTorch's names and defaults: {@code lr} 1e-2, {@code lambd} 1e-4,
 * {@code alpha} 0.75, {@code t0} 1e6, {@code weightDecay} 0, {@code maximize} false. They are checked when the
 * optimizer is built.
 *
 * <p>Example: {@code new ASGD(model.parameters(), ASGD.options().lr(0.05).t0(100))}.
 */
public final class ASGDOptions {
    double lr = 1e-2;
    double lambd = 1e-4;
    double alpha = 0.75;
    double t0 = 1e6;
    double weightDecay;
    boolean maximize;

    /** PyTorch's defaults. */
    public ASGDOptions() {
    }

    /** Learning rate (default 1e-2). */
    public ASGDOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Decay term (default 1e-4). */
    public ASGDOptions lambd(double v) {
        lambd = v;
        return this;
    }

    /** Power of the eta update (default 0.75). */
    public ASGDOptions alpha(double v) {
        alpha = v;
        return this;
    }

    /** The step at which averaging starts (default 1e6). */
    public ASGDOptions t0(double v) {
        t0 = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public ASGDOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public ASGDOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
