package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adadelta, like {@code torch.optim.Adadelta}: the update is the gradient scaled by the ratio of the running RMS
 * of past updates to the running RMS of gradients, times {@code lr}.
 *
 * <p>Args: {@code params}, and in {@link AdadeltaOptions}: {@code lr} (default 1.0), {@code rho} (default 0.9),
 * {@code eps} (default 1e-6), {@code weightDecay} (default 0), {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step} (a {@code Long}, as PyTorch 1.13's int), {@code square_avg},
 * {@code acc_delta}.
 *
 * <p>Example: {@code new Adadelta(model.parameters(), Adadelta.options().rho(0.95).weightDecay(1e-4))}.
 */
public class Adadelta extends Optimizer {
    /** With PyTorch's defaults. */
    public Adadelta(List<? extends Parameter> params) {
        this(params, new AdadeltaOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public Adadelta(List<? extends Parameter> params, double lr) {
        this(params, new AdadeltaOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public Adadelta(List<? extends Parameter> params, AdadeltaOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code Adadelta.options().rho(0.95)}. */
    public static AdadeltaOptions options() {
        return new AdadeltaOptions();
    }

    private static Map<String, Object> defaults(AdadeltaOptions o) {
        check(o != null, "Adadelta: options must not be null (Adadelta.options() gives PyTorch's defaults)");
        check(o.lr >= 0, "Invalid learning rate: " + o.lr);
        check(o.rho >= 0 && o.rho <= 1, "Invalid rho value: " + o.rho);
        check(o.eps >= 0, "Invalid epsilon value: " + o.eps);
        check(o.weightDecay >= 0, "Invalid weight_decay value: " + o.weightDecay);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("rho", o.rho);
        d.put("eps", o.eps);
        d.put("weight_decay", o.weightDecay);
        d.put("maximize", o.maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", 0L);
            state.put("square_avg", Torch.zerosLike(p));
            state.put("acc_delta", Torch.zerosLike(p));
        }
        state.put("step", ((Number) state.get("step")).longValue() + 1);
        double rho = g.get("rho");
        double eps = g.get("eps");
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor squareAvg = (Tensor) state.get("square_avg");
        Tensor accDelta = (Tensor) state.get("acc_delta");
        squareAvg.mul_(rho).add_(gr.mul(gr).mul(1 - rho));
        Tensor std = squareAvg.add(eps).sqrt();
        Tensor delta = accDelta.add(eps).sqrt().div(std).mul(gr);
        accDelta.mul_(rho).add_(delta.mul(delta).mul(1 - rho));
        p.add_(delta, -g.get("lr"));
    }
}
