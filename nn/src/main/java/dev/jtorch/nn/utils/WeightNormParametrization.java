package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;

import java.util.List;

/**
 * PyTorch's {@code _WeightNorm} (torch/nn/utils/parametrizations.py in PyTorch 2.1 and later), the parametrization
 * that {@link Parametrizations#weightNorm} registers: {@code forward(g, v) = g * v / ||v||}, the norm over every
 * dim but {@code dim}; its right inverse returns {@code (norm_except_dim(w), w)}, which become
 * {@code original0} (g) and {@code original1} (v).
 *
 * <p>Args: {@code dim} (null, or -1, for the norm of the whole tensor).
 *
 * <p>Example: {@code Parametrizations.weightNorm(new Linear(20, 40))}; the module's
 * {@code parametrizations.weight.0} is this.
 */
public final class WeightNormParametrization extends Module implements Parametrize.RightInverseSequence {
    private final int dim;

    /** The parametrization keeping {@code dim} (null: the whole tensor). */
    public WeightNormParametrization(Integer dim) {
        this.dim = dim == null ? -1 : dim;
    }

    /** PyTorch's class name, for {@code toString()}. */
    @Override
    public String name() {
        return "_WeightNorm";
    }

    /** {@code torch._weight_norm(weight_v, weight_g, dim)}. */
    @Override
    public Tensor forward(Tensor weightG, Tensor weightV) {
        return WeightNorm.weightNorm(weightV, weightG, dim);
    }

    /** {@code (norm_except_dim(weight, 2, dim), weight)}. */
    @Override
    public List<Tensor> rightInverse(Tensor weight) {
        return List.of(WeightNorm.normExceptDim(weight, 2, dim), weight);
    }
}
