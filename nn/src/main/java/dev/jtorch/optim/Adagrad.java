package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, like {@code torch.optim.Adagrad}: per-element learning rates from the running sum of squared
 * gradients, with learning-rate decay and weight decay.
 *
 * <p>Args: {@code params}, and in {@link AdagradOptions}: {@code lr} (default 1e-2), {@code lrDecay} (default 0),
 * {@code weightDecay} (default 0), {@code initialAccumulatorValue} (default 0), {@code eps} (default 1e-10),
 * {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step}, {@code sum}.
 *
 * <p>Example: {@code new Adagrad(model.parameters(), Adagrad.options().lr(0.1).lrDecay(1e-3))}, or
 * {@code new Adagrad(model.parameters(), 1e-2)}.
 */
public class Adagrad extends Optimizer {
    /** With PyTorch's defaults and this learning rate. */
    public Adagrad(List<? extends Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10, false);
    }

    /** With the hyperparameters of {@code options}. */
    public Adagrad(List<? extends Parameter> params, AdagradOptions options) {
        this(params, given(options, "Adagrad").lr, options.lrDecay, options.weightDecay,
                options.initialAccumulatorValue, options.eps, options.maximize);
    }

    /** The options builder with PyTorch's defaults: {@code Adagrad.options().lr(0.1)}. */
    public static AdagradOptions options() {
        return new AdagradOptions();
    }

    /** With every argument. */
    public Adagrad(List<? extends Parameter> params, double lr, double lrDecay, double weightDecay,
                   double initialAccumulatorValue, double eps, boolean maximize) {
        super(params, defaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize));
    }

    private static Map<String, Object> defaults(double lr, double lrDecay, double weightDecay, double init,
                                                double eps, boolean maximize) {
        check(lr >= 0, "Invalid learning rate: " + lr);
        check(lrDecay >= 0, "Invalid lr_decay value: " + lrDecay);
        check(weightDecay >= 0, "Invalid weight_decay value: " + weightDecay);
        check(init >= 0, "Invalid initial_accumulator_value value: " + init);
        check(eps >= 0, "Invalid epsilon value: " + eps);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("lr_decay", lrDecay);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("initial_accumulator_value", init);
        d.put("maximize", maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("sum", Torch.fullLike(p, g.get("initial_accumulator_value")));
        }
        double step = incrementStep(state);
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        double clr = g.get("lr") / (1 + (step - 1) * g.get("lr_decay"));
        Tensor sum = (Tensor) state.get("sum");
        sum.add_(gr.mul(gr));
        Tensor std = sum.sqrt().add(g.get("eps"));
        p.add_(gr.div(std).mul(-clr));
    }
}
