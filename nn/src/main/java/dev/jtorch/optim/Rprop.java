package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resilient backpropagation, like {@code torch.optim.Rprop}: every element moves by its own step size in the
 * direction opposite to its gradient's sign; the step size grows by {@code etaplus} while the sign stays and
 * shrinks by {@code etaminus} when it flips (and that element then skips one update), within {@code stepSizes}.
 *
 * <p>Args: {@code params}, and in {@link RpropOptions}: {@code lr} (initial step size, default 1e-2),
 * {@code etas} (default 0.5, 1.2), {@code stepSizes} (default 1e-6, 50), {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step} (a {@code Long}, as PyTorch 1.13's int), {@code prev}, {@code step_size}.
 *
 * <p>Example: {@code new Rprop(model.parameters(), Rprop.options().lr(0.01).etas(0.5, 1.2))}.
 */
public class Rprop extends Optimizer {
    /** With PyTorch's defaults. */
    public Rprop(List<? extends Parameter> params) {
        this(params, new RpropOptions());
    }

    /** With PyTorch's defaults and this initial step size. */
    public Rprop(List<? extends Parameter> params, double lr) {
        this(params, new RpropOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public Rprop(List<? extends Parameter> params, RpropOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code Rprop.options().etas(0.4, 1.3)}. */
    public static RpropOptions options() {
        return new RpropOptions();
    }

    private static Map<String, Object> defaults(RpropOptions o) {
        check(o != null, "Rprop: options must not be null (Rprop.options() gives PyTorch's defaults)");
        check(o.lr >= 0, "Invalid learning rate: " + o.lr);
        check(0 < o.etaMinus && o.etaMinus < 1 && 1 < o.etaPlus, "Invalid eta values: " + o.etaMinus + ", "
                + o.etaPlus);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("etas", List.of(o.etaMinus, o.etaPlus));
        d.put("step_sizes", List.of(o.minStep, o.maxStep));
        d.put("maximize", o.maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", 0L);
            state.put("prev", Torch.zerosLike(p));
            state.put("step_size", Torch.fullLike(grad, g.get("lr")));
        }
        state.put("step", ((Number) state.get("step")).longValue() + 1);
        double[] etas = g.pair("etas");
        double[] sizes = g.pair("step_sizes");
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        Tensor prev = (Tensor) state.get("prev");
        Tensor stepSize = (Tensor) state.get("step_size");
        Tensor sign = gr.mul(prev).sign();
        Tensor flipped = sign.lt(0);
        Tensor factor = Torch.onesLike(sign).maskedFill(sign.gt(0), etas[1]).maskedFill(flipped, etas[0]);
        stepSize.mul_(factor).clamp_(sizes[0], sizes[1]);
        gr = gr.maskedFill(flipped, 0);
        p.sub_(gr.sign().mul(stepSize));
        prev.copy_(gr);
    }
}
