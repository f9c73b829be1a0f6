package dev.jtorch.optim;

import dev.jtorch.nn.Parameter;

import java.util.List;

/**
 * Adam with decoupled weight decay ({@code p *= 1 - lr * weightDecay} before the Adam step), like
 * {@code torch.optim.AdamW}.
 *
 * <p>Args: {@code params}, and in {@link AdamOptions}: {@code lr} (default 1e-3), {@code betas} (default 0.9,
 * 0.999), {@code eps} (default 1e-8), {@code weightDecay} (default 1e-2), {@code amsgrad} (default false),
 * {@code maximize} (default false).
 *
 * <p>Example: {@code new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(0.05))}, or
 * {@code new AdamW(model.parameters(), 1e-3)}.
 */
public class AdamW extends Adam {
    /** With PyTorch's defaults (weight decay 0.01) and this learning rate. */
    public AdamW(List<? extends Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    /** With the hyperparameters of {@code options} (build them with {@link #options()} for AdamW's 1e-2 decay). */
    public AdamW(List<? extends Parameter> params, AdamOptions options) {
        this(params, given(options, "AdamW").lr, options.beta1, options.beta2, options.eps, options.weightDecay,
                options.amsgrad, options.maximize);
    }

    /** The options builder with AdamW's defaults (weight decay 1e-2): {@code AdamW.options().lr(1e-3)}. */
    public static AdamOptions options() {
        return new AdamOptions().weightDecay(1e-2);
    }

    /** With every argument. */
    public AdamW(List<? extends Parameter> params, double lr, double beta1, double beta2, double eps,
                 double weightDecay, boolean amsgrad, boolean maximize) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, true);
    }
}
