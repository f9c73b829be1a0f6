package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAdam, like {@code torch.optim.NAdam}: Adam with Nesterov momentum and the momentum schedule
 * {@code mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))}.
 *
 * <p>The update is current PyTorch's (2.x): the coefficient of the momentum term divides by
 * {@code 1 - mu_product * mu_next}. PyTorch 1.13 multiplied {@code mu} into that product a second time
 * ({@code mu_product * mu * mu_next}), a bug fixed in PyTorch 2.0; jtorch does not reproduce it. As in PyTorch,
 * {@code mu_product} is a float32 scalar tensor, multiplied in float32.
 *
 * <p>Args: {@code params}, and in {@link NAdamOptions}: {@code lr} (default 2e-3), {@code betas} (default 0.9,
 * 0.999), {@code eps} (default 1e-8), {@code weightDecay} (default 0), {@code momentumDecay} (default 4e-3).
 *
 * <p>State per parameter: {@code step} (a float32 scalar tensor), {@code mu_product} (a float32 scalar tensor),
 * {@code exp_avg}, {@code exp_avg_sq}.
 *
 * <p>Example: {@code new NAdam(model.parameters(), NAdam.options().lr(1e-3))}.
 */
public class NAdam extends Optimizer {
    /** With PyTorch's defaults. */
    public NAdam(List<? extends Parameter> params) {
        this(params, new NAdamOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public NAdam(List<? extends Parameter> params, double lr) {
        this(params, new NAdamOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public NAdam(List<? extends Parameter> params, NAdamOptions options) {
        super(params, defaults(options));
    }

    /** The options builder with PyTorch's defaults: {@code NAdam.options().lr(1e-3)}. */
    public static NAdamOptions options() {
        return new NAdamOptions();
    }

    private static Map<String, Object> defaults(NAdamOptions o) {
        check(o != null, "NAdam: options must not be null (NAdam.options() gives PyTorch's defaults)");
        check(o.lr >= 0, "Invalid learning rate: " + o.lr);
        check(o.eps >= 0, "Invalid epsilon value: " + o.eps);
        check(o.beta1 >= 0 && o.beta1 < 1, "Invalid beta parameter at index 0: " + o.beta1);
        check(o.beta2 >= 0 && o.beta2 < 1, "Invalid beta parameter at index 1: " + o.beta2);
        check(o.weightDecay >= 0, "Invalid weight_decay value: " + o.weightDecay);
        check(o.momentumDecay >= 0, "Invalid momentum_decay value: " + o.momentumDecay);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("betas", List.of(o.beta1, o.beta2));
        d.put("eps", o.eps);
        d.put("weight_decay", o.weightDecay);
        d.put("momentum_decay", o.momentumDecay);
        return d;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup g, Map<String, Object> state) {
        if (state.isEmpty()) {
            state.put("step", Torch.scalarTensor(0, DType.FLOAT32));
            state.put("mu_product", Torch.scalarTensor(1, DType.FLOAT32));
            state.put("exp_avg", Torch.zerosLike(p));
            state.put("exp_avg_sq", Torch.zerosLike(p));
        }
        double[] betas = g.pair("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double lr = g.get("lr");
        double momentumDecay = g.get("momentum_decay");
        double step = incrementStep(state);
        double bc2 = 1 - Math.pow(beta2, step);
        Tensor gr = grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            gr = gr.add(p, wd);
        }
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, step * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
        Tensor muProductT = (Tensor) state.get("mu_product");
        // PyTorch's float32 "mu_product *= mu": the scalar is rounded to float, the product rounded once
        double muProduct = muProductT.dtype() == DType.FLOAT32
                ? (float) (muProductT.item() * (float) mu) : muProductT.item() * mu;
        muProductT.fill_(muProduct);
        muProduct = muProductT.item();
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");
        lerp_(expAvg, gr, 1 - beta1);
        expAvgSq.mul_(beta2).add_(gr.mul(gr).mul(1 - beta2));
        Tensor denom = expAvgSq.div(bc2).sqrt().add(g.get("eps"));
        double muProductNext = muProduct * muNext;
        p.add_(gr.div(denom).mul(-lr * (1 - mu) / (1 - muProduct)));
        p.add_(expAvg.div(denom).mul(-lr * muNext / (1 - muProductNext)));
    }
}
