package dev.jtorch.optim;

/**
 * The hyperparameters of {@link Adadelta} with PyTorch's names and defaults: {@code lr} 1.0, {@code rho} 0.9,
 * {@code eps} 1e-6, {@code weightDecay} 0, {@code maximize} false. They are checked when the optimizer is built.
 *
 * <p>Example: {@code new Adadelta(model.parameters(), Adadelta.options().rho(0.95))}.
 */
public final class AdadeltaOptions {
    double lr = 1.0;
    double rho = 0.9;
    double eps = 1e-6;
    double weightDecay;
    boolean maximize;

    /** PyTorch's defaults. */
    public AdadeltaOptions() {
    }

    /** Coefficient that scales the delta before it is applied (default 1.0). */
    public AdadeltaOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Coefficient of the running averages of squared gradients and squared updates (default 0.9). */
    public AdadeltaOptions rho(double v) {
        rho = v;
        return this;
    }

    /** Term added inside the square roots (default 1e-6). */
    public AdadeltaOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public AdadeltaOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public AdadeltaOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
