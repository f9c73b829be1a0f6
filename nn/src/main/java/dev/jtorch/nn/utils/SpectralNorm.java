package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.ConvTranspose1d;
import dev.jtorch.nn.ConvTranspose2d;
import dev.jtorch.nn.ConvTranspose3d;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.internal.ModuleAccess;

import java.util.function.Function;

/**
 * {@code torch.nn.utils.spectral_norm} / {@code remove_spectral_norm} (the older form;
 * {@link Parametrizations#spectralNorm} is the parametrization): {@code module.attr(name)} (PyTorch's
 * {@code module.weight}) is {@code name_orig / sigma}, with {@code sigma = u^T W v} estimated by power iteration
 * on {@code W}, the weight as a matrix with {@code dim} first.
 *
 * <p>Args: {@code module}; {@code name} (default {@code "weight"}); {@code nPowerIterations} (default 1, positive);
 * {@code eps} (default 1e-12, in the normalisations); {@code dim} (null: 0, or 1 for ConvTranspose1d/2d/3d).
 *
 * <p>Attributes: the parameter {@code name_orig} (the same Parameter object the module held under {@code name}) and
 * the buffers {@code name_u} ({@code (W.size(0))}) and {@code name_v} (the rest of {@code W}), drawn from
 * {@code normal_(0, 1)} and normalised; PyTorch's state dict keys.
 *
 * <p>In training mode, reading the weight first runs {@code nPowerIterations} steps that update {@code u} and
 * {@code v} in place (without gradient); in eval mode it only divides. PyTorch computes the weight in a forward
 * pre-hook, once per forward; here it is computed at each {@code attr(name)}. Layers read each attribute once per
 * forward, so in training u and v are updated once per forward as in PyTorch, but each further
 * {@code attr(name)} in training mode iterates again. Eval forwards may run concurrently.
 *
 * <p>Differences from PyTorch: the load-state-dict hook that converts checkpoints older than PyTorch 1.0 (with
 * {@code weight} beside {@code weight_orig}) is not there; {@link #removeSpectralNorm} writes the weight into the
 * original Parameter object (the layer's Java field), where PyTorch makes a new Parameter.
 *
 * <p>Example:
 * <pre>{@code
 * Linear m = new Linear(20, 40);
 * SpectralNorm.spectralNorm(m);
 * m.buffer("weight_u").shape();   // [40]
 * }</pre>
 */
public final class SpectralNorm implements Function<Module, Tensor> {
    private final String name;
    private final int nPowerIterations;
    private final int dim;
    private final double eps;

    private SpectralNorm(String name, int nPowerIterations, int dim, double eps) {
        this.name = name;
        this.nPowerIterations = nPowerIterations;
        this.dim = dim;
        this.eps = eps;
    }

    /** The name of the parametrized parameter. */
    public String name() {
        return name;
    }

    /** The weight as a matrix: dim {@code dim} first, the rest flattened ({@code reshape_weight_to_matrix}). */
    static Tensor toMatrix(Tensor weight, int dim) {
        Tensor w = weight;
        if (dim != 0) {
            int[] perm = new int[w.dim()];
            perm[0] = dim;
            for (int d = 0, j = 1; d < w.dim(); d++) {
                if (d != dim) {
                    perm[j++] = d;
                }
            }
            w = w.permute(perm);
        }
        return w.reshape(w.size(0), -1);
    }

    /** {@code compute_weight(module, do_power_iteration=module.training)}. */
    @Override
    public Tensor apply(Module m) {
        return computeWeight(m, m.isTraining());
    }

    private Tensor computeWeight(Module m, boolean doPowerIteration) {
        Tensor weight = m.attr(name + "_orig");
        Tensor u = m.attr(name + "_u");
        Tensor v = m.attr(name + "_v");
        Tensor mat = toMatrix(weight, dim);
        if (doPowerIteration) {
            try (var _ = Autograd.noGrad()) {
                Tensor wm = mat.detach();
                for (int i = 0; i < nPowerIterations; i++) {
                    v.copy_(F.normalize(wm.t().mv(u), 2, 0, eps));
                    u.copy_(F.normalize(wm.mv(v), 2, 0, eps));
                }
                u = u.clone();
                v = v.clone();
            }
        }
        Tensor sigma = u.dot(mat.mv(v));
        return weight.div(sigma);
    }

    /** {@code spectralNorm(module, "weight", 1, 1e-12, null)}. */
    public static Module spectralNorm(Module module) {
        return spectralNorm(module, "weight", 1, 1e-12, null);
    }

    /**
     * {@code torch.nn.utils.spectral_norm(module, name, n_power_iterations, eps, dim)}. Draws {@code u} and
     * {@code v} from the global generator ({@code normal_}, as PyTorch).
     *
     * @return {@code module}
     * @throws IllegalStateException when {@code name} already has a spectral norm
     * @throws IllegalArgumentException when {@code nPowerIterations} is not positive or {@code name} is not a
     *     parameter (or an absent one)
     */
    public static Module spectralNorm(Module module, String name, int nPowerIterations, double eps, Integer dim) {
        int d = dim != null ? dim
                : module instanceof ConvTranspose1d || module instanceof ConvTranspose2d
                        || module instanceof ConvTranspose3d ? 1 : 0;
        ModuleAccess access = ModuleAccess.get();
        if (access.computed(module, name) instanceof SpectralNorm) {
            throw new IllegalStateException("Cannot register two spectral_norm hooks on the same parameter " + name);
        }
        if (nPowerIterations <= 0) {
            throw new IllegalArgumentException("Expected n_power_iterations to be positive, but got "
                    + "n_power_iterations=" + nPowerIterations);
        }
        if (!access.isParameter(module, name)) {
            throw new IllegalArgumentException("spectral_norm: '" + name + "' is not a parameter of " + module.name());
        }
        Parameter weight = module.parameter(name);
        if (weight == null) {
            throw new IllegalArgumentException("`SpectralNorm` cannot be applied as parameter `" + name + "` is None");
        }
        if (d < 0 || d >= Math.max(1, weight.dim())) {
            throw new IllegalArgumentException("spectral_norm: dim " + d + " is not a dim of '" + name + "' of shape "
                    + java.util.Arrays.toString(weight.shape()) + " (expected 0 to " + (weight.dim() - 1) + ")");
        }
        NamesFree.check(module, name + "_orig", name + "_u", name + "_v");
        SpectralNorm fn = new SpectralNorm(name, nPowerIterations, d, eps);
        Tensor u;
        Tensor v;
        try (var _ = Autograd.noGrad()) {
            Tensor mat = toMatrix(weight, d);
            u = F.normalize(weight.newEmpty(weight.dtype(), mat.size(0)).normal_(0, 1), 2, 0, eps);
            v = F.normalize(weight.newEmpty(weight.dtype(), mat.size(1)).normal_(0, 1), 2, 0, eps);
        }
        access.removeParameter(module, name);
        module.registerParameter(name + "_orig", weight);
        module.registerBuffer(name + "_u", u);
        module.registerBuffer(name + "_v", v);
        access.setComputed(module, name, fn);
        return module;
    }

    /** {@code removeSpectralNorm(module, "weight")}. */
    public static Module removeSpectralNorm(Module module) {
        return removeSpectralNorm(module, "weight");
    }

    /**
     * {@code torch.nn.utils.remove_spectral_norm(module, name)}: {@code name} becomes a parameter again holding
     * {@code name_orig / sigma} (no power iteration), in the original Parameter object; {@code name_orig},
     * {@code name_u} and {@code name_v} go.
     *
     * @return {@code module}
     * @throws IllegalArgumentException when {@code name} has no spectral norm
     */
    public static Module removeSpectralNorm(Module module, String name) {
        ModuleAccess access = ModuleAccess.get();
        if (!(access.computed(module, name) instanceof SpectralNorm fn)) {
            throw new IllegalArgumentException("spectral_norm of '" + name + "' not found in " + module);
        }
        Tensor weight;
        try (var _ = Autograd.noGrad()) {
            weight = fn.computeWeight(module, false);
        }
        access.setComputed(module, name, null);
        access.removeBuffer(module, name + "_u");
        access.removeBuffer(module, name + "_v");
        Parameter original = access.removeParameter(module, name + "_orig");
        original.setData(weight.detach());
        module.registerParameter(name, original);
        return module;
    }
}
