package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RAdam, like {@code torch.optim.RAdam}: Adam whose adaptive step is switched on, with a variance rectification
 * term, once the approximated length of the simple moving average exceeds 5 (before that the step is the
 * bias-corrected momentum times {@code lr}).
 *
 * <p>Args: {@code params}, and in {@link RAdamOptions}: {@code lr} (default 1e-3), {@code betas} (default 0.9,
 * 0.999), {@code eps} (default 1e-8), {@code weightDecay} (default 0).
 *
 * <p>State per parameter: {@code step} (a float32 scalar tensor), {@code exp_avg}, {@code exp_avg_sq}.
 *
 * <p>Example: {@code new RAdam(model.parameters(), RAdam.options().lr(1e-3))}.
 */
public class RAdam extends Optimizer {
    /** With PyTorch's defaults. */
    public RAdam(List<? extends Parameter> params) {
        this(params, new RAdamOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public RAdam(List<? extends Parameter> params, double lr) {
        this(params, new RAdamOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public RAdam(List<? extends Parameter> params, RAdamOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code RAdam.options().lr(1e-3)}. */
    public static RAdamOptions options() {
        return new RAdamOptions();
    }

    private static Map<String, Object> defaults(RAdamOptions o) {
        check(o != null, "RAdam: options must not be null (RAdam.options() gives PyTorch's defaults)");
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
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("exp_avg", Torch.zerosLike(p));
            state.put("exp_avg_sq", Torch.zerosLike(p));
        }
        double[] betas = g.pair("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double lr = g.get("lr");
        double step = incrementStep(state);
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        Tensor gr = grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");
        expAvg.mul_(beta1).add_(gr, 1 - beta1);
        expAvgSq.mul_(beta2).add_(gr.mul(gr).mul(1 - beta2));
        Tensor corrected = expAvg.div(bc1);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / bc2;
        if (rhoT > 5) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            Tensor adaptiveLr = expAvgSq.sqrt().add(g.get("eps")).reciprocal().mul(Math.sqrt(bc2));
            p.sub_(corrected.mul(lr).mul(adaptiveLr).mul(rect));
        } else {
            p.sub_(corrected.mul(lr));
        }
    }
}
