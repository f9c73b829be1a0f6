package dev.jtorch.optim;

/**
 * The hyperparameters of {@link Adamax} with PyTorch's names and defaults: {@code lr} 2e-3, {@code betas} (0.9,
 * 0.999), {@code eps} 1e-8, {@code weightDecay} 0, {@code maximize} false. They are checked when the optimizer is
 * built.
 *
 * <p>Example: {@code new Adamax(model.parameters(), Adamax.options().lr(1e-3).betas(0.8, 0.99))}.
 */
public final class AdamaxOptions {
    double lr = 2e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean maximize;

    /** PyTorch's defaults. */
    public AdamaxOptions() {
    }

    /** Learning rate (default 2e-3). */
    public AdamaxOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Decay rates of the gradient average and of the infinity norm (default 0.9, 0.999). */
    public AdamaxOptions betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** Term added to the infinity norm (default 1e-8). */
    public AdamaxOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public AdamaxOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public AdamaxOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
