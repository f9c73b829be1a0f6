package dev.jtorch.optim;

/**
 * The hyperparameters of {@link RAdam} with PyTorch 1.13's names and defaults: {@code lr} 1e-3, {@code betas}
 * (0.9, 0.999), {@code eps} 1e-8, {@code weightDecay} 0. They are checked when the optimizer is built.
 *
 * <p>Example: {@code new RAdam(model.parameters(), RAdam.options().lr(1e-3).weightDecay(1e-4))}.
 */
public final class RAdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;

    /** PyTorch's defaults. */
    public RAdamOptions() {
    }

    /** Learning rate (default 1e-3). */
    public RAdamOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Decay rates of the running averages of the gradient and of its square (default 0.9, 0.999). */
    public RAdamOptions betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public RAdamOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public RAdamOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }
}
