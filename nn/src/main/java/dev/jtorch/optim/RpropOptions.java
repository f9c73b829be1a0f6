package dev.jtorch.optim;

/**
 * The hyperparameters of {@link Rprop} with PyTorch's names and defaults: {@code lr} 1e-2 (the initial step
 * size), {@code etas} (0.5, 1.2), {@code stepSizes} (1e-6, 50), {@code maximize} false. They are checked when the
 * optimizer is built.
 *
 * <p>Example: {@code new Rprop(model.parameters(), Rprop.options().etas(0.4, 1.3).stepSizes(1e-5, 1))}.
 */
public final class RpropOptions {
    double lr = 1e-2;
    double etaMinus = 0.5;
    double etaPlus = 1.2;
    double minStep = 1e-6;
    double maxStep = 50;
    boolean maximize;

    /** PyTorch's defaults. */
    public RpropOptions() {
    }

    /** The initial step size (default 1e-2). */
    public RpropOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Multiplicative decrease and increase factors of the step size (default 0.5, 1.2). */
    public RpropOptions etas(double etaMinus, double etaPlus) {
        this.etaMinus = etaMinus;
        this.etaPlus = etaPlus;
        return this;
    }

    /** Minimal and maximal step sizes (default 1e-6, 50). */
    public RpropOptions stepSizes(double min, double max) {
        minStep = min;
        maxStep = max;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public RpropOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
