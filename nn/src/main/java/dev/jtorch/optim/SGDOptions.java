package dev.jtorch.optim;

/**
 * The hyperparameters of {@link SGD} with PyTorch's names and defaults: {@code lr} (required, as in PyTorch
 * 1.13), {@code momentum} 0, {@code dampening} 0, {@code weightDecay} 0, {@code nesterov} false, {@code maximize}
 * false. They are checked when the optimizer is built.
 *
 * <p>Example: {@code new SGD(model.parameters(), SGD.options(0.1).momentum(0.9).nesterov(true))}.
 */
public final class SGDOptions {
    final double lr;
    double momentum;
    double dampening;
    double weightDecay;
    boolean nesterov;
    boolean maximize;

    /** The learning rate. */
    public SGDOptions(double lr) {
        this.lr = lr;
    }

    /** Momentum factor (default 0). */
    public SGDOptions momentum(double v) {
        momentum = v;
        return this;
    }

    /** Dampening of the momentum (default 0). */
    public SGDOptions dampening(double v) {
        dampening = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public SGDOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Nesterov momentum (default false; needs a momentum and zero dampening). */
    public SGDOptions nesterov(boolean v) {
        nesterov = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public SGDOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
