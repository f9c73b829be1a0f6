package dev.jtorch.optim;

/**
 * The hyperparameters of {@link Adam} and {@link AdamW} with PyTorch's names and defaults: {@code lr} 1e-3,
 * {@code betas} (0.9, 0.999), {@code eps} 1e-8, {@code weightDecay} 0 (1e-2 from {@link AdamW#options()}),
 * {@code amsgrad} false, {@code maximize} false. They are checked when the optimizer is built.
 *
 * <p>Example: {@code new Adam(model.parameters(), Adam.options().lr(1e-3).betas(0.9, 0.99).amsgrad(true))}.
 */
public final class AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean amsgrad;
    boolean maximize;

    /** PyTorch's defaults. */
    public AdamOptions() {
    }

    /** Learning rate (default 1e-3). */
    public AdamOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Decay rates of the running averages of the gradient and of its square (default 0.9, 0.999). */
    public AdamOptions betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public AdamOptions eps(double v) {
        eps = v;
        return this;
    }

    /** L2 penalty added to the gradient, or AdamW's decoupled decay (default 0; AdamW's 1e-2). */
    public AdamOptions weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    /** Use the maximum of past squared-gradient averages (AMSGrad; default false). */
    public AdamOptions amsgrad(boolean v) {
        amsgrad = v;
        return this;
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public AdamOptions maximize(boolean v) {
        maximize = v;
        return this;
    }
}
