package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, like {@code torch.optim.Adam} (L2 weight decay added to the gradient; AMSGrad optional); see
 * {@link AdamW} for decoupled weight decay.
 *
 * <p>Args: {@code params}, and in {@link AdamOptions}: {@code lr} (default 1e-3), {@code betas} (default 0.9,
 * 0.999), {@code eps} (default 1e-8), {@code weightDecay} (default 0), {@code amsgrad} (default false),
 * {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step} (a float32 scalar tensor), {@code exp_avg}, {@code exp_avg_sq},
 * {@code max_exp_avg_sq} (with AMSGrad).
 *
 * <p>Example: {@code new Adam(model.parameters(), Adam.options().lr(1e-3).betas(0.9, 0.99).amsgrad(true))}, or
 * {@code new Adam(model.parameters(), 1e-3)}.
 */
public class Adam extends Optimizer {
    private final boolean decoupled;

    /** With PyTorch's defaults and this learning rate. */
    public Adam(List<? extends Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    /** With the hyperparameters of {@code options}. */
    public Adam(List<? extends Parameter> params, AdamOptions options) {
        this(params, given(options, "Adam").lr, options.beta1, options.beta2, options.eps, options.weightDecay,
                options.amsgrad, options.maximize);
    }

    /** The options builder with PyTorch's defaults: {@code Adam.options().lr(1e-3).amsgrad(true)}. */
    public static AdamOptions options() {
        return new AdamOptions();
    }

    /** With every argument. */
    public Adam(List<? extends Parameter> params, double lr, double beta1, double beta2, double eps,
                double weightDecay, boolean amsgrad, boolean maximize) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, false);
    }

    Adam(List<? extends Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean amsgrad, boolean maximize, boolean decoupled) {
        super(params, defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize));
        this.decoupled = decoupled;
    }

    private static Map<String, Object> defaults(double lr, double beta1, double beta2, double eps, double weightDecay,
                                                boolean amsgrad, boolean maximize) {
        check(lr >= 0, "Invalid learning rate: " + lr);
        check(eps >= 0, "Invalid epsilon value: " + eps);
        check(beta1 >= 0 && beta1 < 1, "Invalid beta parameter at index 0: " + beta1);
        check(beta2 >= 0 && beta2 < 1, "Invalid beta parameter at index 1: " + beta2);
        check(weightDecay >= 0, "Invalid weight_decay value: " + weightDecay);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(beta1, beta2));
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", amsgrad);
        d.put("maximize", maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        double[] betas = g.pair("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        boolean amsgrad = g.flag("amsgrad");
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("exp_avg", Torch.zerosLike(p));
            state.put("exp_avg_sq", Torch.zerosLike(p));
            if (amsgrad) {
                state.put("max_exp_avg_sq", Torch.zerosLike(p));
            }
        }
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double step = incrementStep(state);
        if (decoupled) {
            p.mul_(1 - lr * wd);
        } else if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");
        lerp_(expAvg, gr, 1 - beta1);
        expAvgSq.mul_(beta2).add_(gr.mul(gr).mul(1 - beta2));
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        Tensor denom;
        if (amsgrad) {
            Tensor max = (Tensor) state.get("max_exp_avg_sq");
            max.copy_(max.maximum(expAvgSq));
            denom = max.sqrt().div(bc2Sqrt).add(g.get("eps"));
        } else {
            denom = expAvgSq.sqrt().div(bc2Sqrt).add(g.get("eps"));
        }
        p.add_(expAvg.div(denom).mul(-stepSize));
    }
}
