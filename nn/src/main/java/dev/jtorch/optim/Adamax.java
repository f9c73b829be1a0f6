package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adamax, like {@code torch.optim.Adamax}: Adam with the infinity norm in place of the second moment
 * ({@code exp_inf = max(beta2 * exp_inf, |g| + eps)}).
 *
 * <p>Args: {@code params}, and in {@link AdamaxOptions}: {@code lr} (default 2e-3), {@code betas} (default 0.9,
 * 0.999), {@code eps} (default 1e-8), {@code weightDecay} (default 0), {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step} (a float32 scalar tensor), {@code exp_avg}, {@code exp_inf}.
 *
 * <p>Example: {@code new Adamax(model.parameters(), Adamax.options().lr(1e-3))}.
 */
public class Adamax extends Optimizer {
    /** With PyTorch's defaults. */
    public Adamax(List<? extends Parameter> params) {
        this(params, new AdamaxOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public Adamax(List<? extends Parameter> params, double lr) {
        this(params, new AdamaxOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public Adamax(List<? extends Parameter> params, AdamaxOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code Adamax.options().lr(1e-3)}. */
    public static AdamaxOptions options() {
        return new AdamaxOptions();
    }

    private static Map<String, Object> defaults(AdamaxOptions o) {
        check(o != null, "Adamax: options must not be null (Adamax.options() gives PyTorch's defaults)");
        check(o.lr >= 0, "Invalid learning rate: " + o.lr);
        check(o.eps >= 0, "Invalid epsilon value: " + o.eps);
        check(o.beta1 >= 0 && o.beta1 < 1, "Invalid beta parameter at index 0: " + o.beta1);
        check(o.beta2 >= 0 && o.beta2 < 1, "Invalid beta parameter at index 1: " + o.beta2);
        check(o.weightDecay >= 0, "Invalid weight_decay value: " + o.weightDecay);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("betas", List.of(o.beta1, o.beta2));
        d.put("eps", o.eps);
        d.put("weight_decay", o.weightDecay);
        d.put("maximize", o.maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("exp_avg", Torch.zerosLike(p));
            state.put("exp_inf", Torch.zerosLike(p));
        }
        double[] betas = g.pair("betas");
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double step = incrementStep(state);
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expInf = (Tensor) state.get("exp_inf");
        expAvg.mul_(betas[0]).add_(gr, 1 - betas[0]);
        expInf.mul_(betas[1]);
        expInf.copy_(expInf.maximum(gr.abs().add(g.get("eps"))));
        double clr = g.get("lr") / (1 - Math.pow(betas[0], step));
        p.add_(expAvg.div(expInf).mul(-clr));
    }
}
