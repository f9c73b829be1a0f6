package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, like {@code torch.optim.RMSprop} (optionally centered, with momentum and weight decay).
 *
 * <p>Args: {@code params}, and in {@link RMSpropOptions}: {@code lr} (default 1e-2), {@code alpha} (smoothing,
 * default 0.99), {@code eps} (default 1e-8), {@code weightDecay} (default 0), {@code momentum} (default 0),
 * {@code centered} (default false), {@code maximize} (default false).
 *
 * <p>State per parameter: {@code step}, {@code square_avg}, {@code momentum_buffer} (with momentum),
 * {@code grad_avg} (centered).
 *
 * <p>Example: {@code new RMSprop(model.parameters(), RMSprop.options().lr(1e-3).momentum(0.9))}, or
 * {@code new RMSprop(model.parameters(), 1e-2)}.
 */
public class RMSprop extends Optimizer {
    /** With PyTorch's defaults and this learning rate. */
    public RMSprop(List<? extends Parameter> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false, false);
    }

    /** With the hyperparameters of {@code options}. */
    public RMSprop(List<? extends Parameter> params, RMSpropOptions options) {
        this(params, given(options, "RMSprop").lr, options.alpha, options.eps, options.weightDecay, options.momentum,
                options.centered, options.maximize);
    }

    /** The options builder with PyTorch's defaults: {@code RMSprop.options().lr(1e-3).centered(true)}. */
    public static RMSpropOptions options() {
        return new RMSpropOptions();
    }

    /** With every argument. */
    public RMSprop(List<? extends Parameter> params, double lr, double alpha, double eps, double weightDecay,
                   double momentum, boolean centered, boolean maximize) {
        super(params, defaults(lr, alpha, eps, weightDecay, momentum, centered, maximize));
    }

    private static Map<String, Object> defaults(double lr, double alpha, double eps, double weightDecay,
                                                double momentum, boolean centered, boolean maximize) {
        check(lr >= 0, "Invalid learning rate: " + lr);
        check(eps >= 0, "Invalid epsilon value: " + eps);
        check(momentum >= 0, "Invalid momentum value: " + momentum);
        check(weightDecay >= 0, "Invalid weight_decay value: " + weightDecay);
        check(alpha >= 0, "Invalid alpha value: " + alpha);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("alpha", alpha);
        d.put("eps", eps);
        d.put("centered", centered);
        d.put("weight_decay", weightDecay);
        d.put("maximize", maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        double alpha = g.get("alpha");
        double momentum = g.get("momentum");
        boolean centered = g.flag("centered");
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("square_avg", Torch.zerosLike(p));
            if (momentum > 0) {
                state.put("momentum_buffer", Torch.zerosLike(p));
            }
            if (centered) {
                state.put("grad_avg", Torch.zerosLike(p));
            }
        }
        incrementStep(state);
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor squareAvg = (Tensor) state.get("square_avg");
        squareAvg.mul_(alpha).add_(gr.mul(gr).mul(1 - alpha));
        Tensor avg;
        if (centered) {
            Tensor gradAvg = (Tensor) state.get("grad_avg");
            lerp_(gradAvg, gr, 1 - alpha);
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg = avg.add(g.get("eps"));
        if (momentum > 0) {
            Tensor buf = (Tensor) state.get("momentum_buffer");
            buf.mul_(momentum).add_(gr.div(avg));
            p.add_(buf, -g.get("lr"));
        } else {
            p.add_(gr.div(avg).mul(-g.get("lr")));
        }
    }
}
