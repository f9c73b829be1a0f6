package dev.jtorch.optim;

/**
 * The hyperparameters of {@link Adagrad} with PyTorch's names and defaults: {@code lr} 1e-2, {@code lrDecay} 0,
 * {@code weightDecay} 0, {@code initialAccumulatorValue} 0, {@code eps} 1e-10, {@code maximize} false. They are
 * checked when the optimizer is built.
 *
 * <p>Example: {@code new Adagrad(model.parameters(), Adagrad.options().lr(0.1).lrDecay(1e-3))}.
 */
public final class AdagradOptions {
    double lr = 1e-2;
    double lrDecay;
    double weightDecay;
    double initialAccumulatorValue;
    double eps = 1e-10;
    boolean maximize;

    /** PyTorch's defaults. */
    public AdagradOptions() {
    }

    /** Learning rate (default 1e-2). */
    public AdagradOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Learning-rate decay per step (default 0). */
    public AdagradOptions lrDecay(double v) {
        lrDecay = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public AdagradOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Starting value of the sum of squared gradients (default 0). */
    public AdagradOptions initialAccumulatorValue(double v) {
        initialAccumulatorValue = v;
        return this;
    }

    /** Term added to the denominator (default 1e-10). */
    public AdagradOptions eps(double v) {
        eps = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public AdagradOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
