package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay, like
 * {@code torch.optim.SGD} (PyTorch's update: the first momentum buffer is the gradient itself).
 *
 * <p>Args: {@code params}, and in {@link SGDOptions}: {@code lr} (required), {@code momentum} (default 0),
 * {@code dampening} (default 0), {@code weightDecay} (default 0), {@code nesterov} (default false),
 * {@code maximize} (default false).
 *
 * <p>State per parameter: {@code momentum_buffer} (null without momentum).
 *
 * <p>Example: {@code new SGD(model.parameters(), SGD.options(0.1).momentum(0.9).nesterov(true))}, or
 * {@code new SGD(model.parameters(), 0.1)}.
 */
public class SGD extends Optimizer {
    /** Plain SGD. */
    public SGD(List<? extends Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, false, false);
    }

    /** With the hyperparameters of {@code options}. */
    public SGD(List<? extends Parameter> params, SGDOptions options) {
        this(params, given(options, "SGD").lr, options.momentum, options.dampening, options.weightDecay,
                options.nesterov, options.maximize);
    }

    /** The options builder: {@code SGD.options(0.1).momentum(0.9)}. */
    public static SGDOptions options(double lr) {
        return new SGDOptions(lr);
    }

    /** With every argument. */
    public SGD(List<? extends Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov, boolean maximize) {
        super(params, defaults(lr, momentum, dampening, weightDecay, nesterov, maximize));
    }

    private static Map<String, Object> defaults(double lr, double momentum, double dampening, double weightDecay,
                                                boolean nesterov, boolean maximize) {
        check(lr >= 0, "Invalid learning rate: " + lr);
        check(momentum >= 0, "Invalid momentum value: " + momentum);
        check(weightDecay >= 0, "Invalid weight_decay value: " + weightDecay);
        check(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires a momentum and zero "
                + "dampening");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("dampening", dampening);
        d.put("weight_decay", weightDecay);
        d.put("nesterov", nesterov);
        d.put("maximize", maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        Tensor d = g.flag("maximize") ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            d = d.add(p, wd);
        }
        double momentum = g.get("momentum");
        if (momentum == 0) {
            state.putIfAbsent("momentum_buffer", null);
        } else {
            Tensor buf = (Tensor) state.get("momentum_buffer");
            if (buf == null) {
                buf = d.detach().clone();
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - g.get("dampening"));
            }
            d = g.flag("nesterov") ? d.add(buf, momentum) : buf;
        }
        p.add_(d, -g.get("lr"));
    }
}
