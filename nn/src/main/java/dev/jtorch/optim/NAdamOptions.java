package dev.jtorch.optim;

/**
 * The hyperparameters of {@link NAdam} with PyTorch 1.13's names and defaults: {@code lr} 2e-3, {@code betas}
 * (0.9, 0.999), {@code eps} 1e-8, {@code weightDecay} 0, {@code momentumDecay} 4e-3. They are checked when the
 * optimizer is built.
 *
 * <p>Example: {@code new NAdam(model.parameters(), NAdam.options().lr(1e-3).momentumDecay(1e-3))}.
 */
public final class NAdamOptions {
    double lr = 2e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    double momentumDecay = 4e-3;

    /** PyTorch's defaults. */
    public NAdamOptions() {
    }

    /** Learning rate (default 2e-3). */
    public NAdamOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Decay rates of the running averages of the gradient and of its square (default 0.9, 0.999). */
    public NAdamOptions betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public NAdamOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public NAdamOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Momentum decay psi of the momentum schedule (default 4e-3). */
    public NAdamOptions momentumDecay(double v) {
        momentumDecay = v;
        return this;
    }
}
