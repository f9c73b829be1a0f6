package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Averaged SGD, like {@code torch.optim.ASGD}: SGD with a decaying step {@code eta = lr / (1 + lambd * lr *
 * t)^alpha} and a running average {@code ax} of the parameters from step {@code t0} on (the parameters themselves
 * are not replaced by the average; read it from the state).
 *
 * <p>Args: {@code params}, and in {@link ASGDOptions}: {@code lr} (default 1e-2), {@code lambd} (default 1e-4),
 * {@code alpha} (default 0.75), {@code t0} (default 1e6), {@code weightDecay} (default 0), {@code maximize}
 * (default false).
 *
 * <p>State per parameter: {@code step}, {@code eta}, {@code mu} (float32 scalar tensors, as in PyTorch 1.13, so
 * {@code eta} and {@code mu} are rounded to float), {@code ax}.
 *
 * <p>Example: {@code new ASGD(model.parameters(), ASGD.options().lr(0.05).t0(1000))}.
 */
public class ASGD extends Optimizer {
    /** With PyTorch's defaults. */
    public ASGD(List<? extends Parameter> params) {
        this(params, new ASGDOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public ASGD(List<? extends Parameter> params, double lr) {
        this(params, new ASGDOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public ASGD(List<? extends Parameter> params, ASGDOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code ASGD.options().t0(100)}. */
    public static ASGDOptions options() {
        return new ASGDOptions();
    }

    private static Map<String, Object> defaults(ASGDOptions o) {
        check(o != null, "ASGD: options must not be null (ASGD.options() gives PyTorch's defaults)");
        check(o.lr >= 0, "Invalid learning rate: " + o.lr);
        check(o.weightDecay >= 0, "Invalid weight_decay value: " + o.weightDecay);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("lambd", o.lambd);
        d.put("alpha", o.alpha);
        d.put("t0", o.t0);
        d.put("weight_decay", o.weightDecay);
        d.put("maximize", o.maximize);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        double lr = g.get("lr");
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("eta", Torch.scalarTensor(lr, DType.FLOAT32));
            state.put("mu", Torch.scalarTensor(1, DType.FLOAT32));
            state.put("ax", Torch.zerosLike(p));
        }
        double lambd = g.get("lambd");
        Tensor gr = g.flag("maximize") ? grad.neg() : grad;
        double step = incrementStep(state);
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        Tensor etaT = (Tensor) state.get("eta");
        Tensor muT = (Tensor) state.get("mu");
        Tensor ax = (Tensor) state.get("ax");
        double eta = etaT.item();
        p.mul_(1 - lambd * eta);
        p.add_(gr, -eta);
        double mu = muT.item();
        if (mu != 1) {
            ax.add_(p.sub(ax).mul(mu));
        } else {
            ax.copy_(p);
        }
        etaT.fill_(lr / Math.pow(1 + lambd * lr * step, g.get("alpha")));
        muT.fill_(1 / Math.max(1, step - g.get("t0")));
    }
}
