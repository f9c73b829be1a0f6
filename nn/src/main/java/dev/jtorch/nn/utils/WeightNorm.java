package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.internal.ModuleAccess;

import java.util.function.Function;

/**
 * {@code torch.nn.utils.weight_norm} / {@code remove_weight_norm} (the older form; {@link Parametrizations#weightNorm}
 * is the parametrization): the parameter {@code name} is replaced by a magnitude {@code name_g} and a direction
 * {@code name_v}, and {@code module.attr(name)} (PyTorch's {@code module.weight}) is
 * {@code g * v / ||v||}, the norm taken over every dim but {@code dim}.
 *
 * <p>Args: {@code module}; {@code name} (default {@code "weight"}); {@code dim} (default 0; null is PyTorch's
 * {@code dim=None}: one norm over the whole tensor, and {@code g} is a scalar. As in PyTorch, -1 means the same as
 * null, not the last dim).
 *
 * <p>Attributes: {@code name_g} (shape of the weight with every dim but {@code dim} of size 1) and {@code name_v}
 * (the weight's values), parameters with PyTorch's state dict keys.
 *
 * <p>Differences from PyTorch: the weight is a computed attribute, recomputed at each {@code attr(name)} (each
 * forward), instead of a forward pre-hook that assigns {@code module.weight}; concurrent eval forwards are safe.
 * {@link #removeWeightNorm} writes the weight into the original Parameter object (the layer's Java field), where
 * PyTorch makes a new Parameter.
 *
 * <p>Example:
 * <pre>{@code
 * Linear m = new Linear(20, 40);
 * WeightNorm.weightNorm(m);
 * m.parameter("weight_g").shape();   // [40, 1]
 * m.parameter("weight_v").shape();   // [40, 20]
 * }</pre>
 */
public final class WeightNorm implements Function<Module, Tensor> {
    private final String name;
    private final int dim;
    private final Parameter original;

    private WeightNorm(String name, int dim, Parameter original) {
        this.name = name;
        this.dim = dim;
        this.original = original;
    }

    /** The name of the parametrized parameter. */
    public String name() {
        return name;
    }

    /** The dim kept by the norm (-1: the whole tensor, PyTorch's dim=None). */
    public int dim() {
        return dim;
    }

    /** {@code compute_weight}: {@code name_g * name_v / ||name_v||}, read through {@link Module#attr}. */
    @Override
    public Tensor apply(Module m) {
        return weightNorm(m.attr(name + "_v"), m.attr(name + "_g"), dim);
    }

    /** {@code weightNorm(module, "weight", 0)}. */
    public static Module weightNorm(Module module) {
        return weightNorm(module, "weight", 0);
    }

    /**
     * {@code torch.nn.utils.weight_norm(module, name, dim)}.
     *
     * @return {@code module}
     * @throws IllegalStateException when {@code name} already has a weight norm
     * @throws IllegalArgumentException when {@code name} is not a parameter of {@code module}
     */
    public static Module weightNorm(Module module, String name, Integer dim) {
        ModuleAccess access = ModuleAccess.get();
        if (access.computed(module, name) instanceof WeightNorm) {
            throw new IllegalStateException("Cannot register two weight_norm hooks on the same parameter " + name);
        }
        int d = dim == null ? -1 : dim;
        if (!access.isParameter(module, name) || module.parameter(name) == null) {
            throw new IllegalArgumentException("weight_norm: '" + name + "' is not a parameter of " + module.name());
        }
        Parameter weight = module.parameter(name);
        if (d < -1 || d >= Math.max(1, weight.dim())) {
            throw new IllegalArgumentException("weight_norm: dim " + d + " is not a dim of '" + name + "' of shape "
                    + java.util.Arrays.toString(weight.shape()) + " (None or -1: the whole tensor)");
        }
        NamesFree.check(module, name + "_g", name + "_v");
        Tensor g;
        try (var _ = Autograd.noGrad()) {
            g = normExceptDim(weight, 2, d);
        }
        access.removeParameter(module, name);
        module.registerParameter(name + "_g", new Parameter(g.detach()));
        module.registerParameter(name + "_v", new Parameter(weight.detach()));
        access.setComputed(module, name, new WeightNorm(name, d, weight));
        return module;
    }

    /** {@code removeWeightNorm(module, "weight")}. */
    public static Module removeWeightNorm(Module module) {
        return removeWeightNorm(module, "weight");
    }

    /**
     * {@code torch.nn.utils.remove_weight_norm(module, name)}: {@code name} becomes a parameter again, holding the
     * current {@code g * v / ||v||}; {@code name_g} and {@code name_v} go.
     *
     * @return {@code module}
     * @throws IllegalArgumentException when {@code name} has no weight norm
     */
    public static Module removeWeightNorm(Module module, String name) {
        ModuleAccess access = ModuleAccess.get();
        if (!(access.computed(module, name) instanceof WeightNorm fn)) {
            throw new IllegalArgumentException("weight_norm of '" + name + "' not found in " + module);
        }
        Tensor weight;
        try (var _ = Autograd.noGrad()) {
            weight = fn.apply(module);
        }
        access.setComputed(module, name, null);
        access.removeParameter(module, name + "_g");
        access.removeParameter(module, name + "_v");
        fn.original.setData(weight.detach());
        module.registerParameter(name, fn.original);
        return module;
    }

    /**
     * {@code torch.norm_except_dim(v, pow, dim)}: the p-norm over every dim but {@code dim}, keeping it (other dims
     * of size 1); {@code dim} -1 is the norm of the whole tensor (a scalar).
     */
    static Tensor normExceptDim(Tensor v, double pow, int dim) {
        if (dim == -1) {
            return v.norm(pow, null, false);
        }
        int nd = v.dim();
        if (dim == 0) {
            int[] out = ones(nd);
            out[0] = v.size(0);
            return v.contiguous().view(v.size(0), -1).norm(pow, new int[] {1}, false).view(out);
        }
        if (dim == nd - 1) {
            int[] out = ones(nd);
            out[nd - 1] = v.size(nd - 1);
            return v.contiguous().view(-1, v.size(nd - 1)).norm(pow, new int[] {0}, false).view(out);
        }
        return normExceptDim(v.transpose(0, dim), pow, 0).transpose(0, dim);
    }

    private static int[] ones(int n) {
        int[] o = new int[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    /** {@code torch._weight_norm(v, g, dim)}: {@code v * (g / norm_except_dim(v, 2, dim))}. */
    static Tensor weightNorm(Tensor v, Tensor g, int dim) {
        return v.mul(g.div(normExceptDim(v, 2, dim)));
    }
}
