package dev.jtorch.optim;

/**
 * The hyperparameters of {@link RMSprop} with PyTorch's names and defaults: {@code lr} 1e-2, {@code alpha} 0.99,
 * {@code eps} 1e-8, {@code weightDecay} 0, {@code momentum} 0, {@code centered} false, {@code maximize} false.
 * They are checked when the optimizer is built.
 *
 * <p>Example: {@code new RMSprop(model.parameters(), RMSprop.options().lr(1e-3).centered(true))}.
 */
public final class RMSpropOptions {
    double lr = 1e-2;
    double alpha = 0.99;
    double eps = 1e-8;
    double weightDecay;
    double momentum;
    boolean centered;
    boolean maximize;

    /** PyTorch's defaults. */
    public RMSpropOptions() {
    }

    /** Learning rate (default 1e-2). */
    public RMSpropOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Smoothing constant of the squared-gradient average (default 0.99). */
    public RMSpropOptions alpha(double v) {
        alpha = v;
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public RMSpropOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public RMSpropOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Momentum factor (default 0). */
    public RMSpropOptions momentum(double v) {
        momentum = v;
        return this;
    }

    /** Normalize by an estimate of the gradient's variance (default false). */
    public RMSpropOptions centered(boolean v) {
        centered = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public RMSpropOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
