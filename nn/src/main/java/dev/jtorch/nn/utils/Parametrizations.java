package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.nn.ConvTranspose1d;
import dev.jtorch.nn.ConvTranspose2d;
import dev.jtorch.nn.ConvTranspose3d;
import dev.jtorch.nn.Module;

/**
 * {@code torch.nn.utils.parametrizations}: {@link #orthogonal}, {@link #spectralNorm} and {@link #weightNorm},
 * registered with {@link Parametrize#registerParametrization}, so {@code module.attr(name)} is the constrained
 * tensor, the unconstrained one is {@code parametrizations.<name>.original} (weight norm:
 * {@code original0} = g, {@code original1} = v), and the state dict keys are PyTorch's.
 *
 * <p>{@code weightNorm} is PyTorch 2.1's {@code parametrizations.weight_norm} (1.13 does not have it); its values are
 * those of the older {@link WeightNorm#weightNorm} (the same formula), which is what it is tested against.
 *
 * <p>Example:
 * <pre>{@code
 * Linear m = new Linear(20, 40);
 * Parametrizations.orthogonal(m);                // householder: the weight is not square
 * Tensor q = m.attr("weight");                   // q^T q = I (20 x 20)
 * Parametrizations.spectralNorm(new Conv2d(3, 8, 3));
 * }</pre>
 */
public final class Parametrizations {
    private Parametrizations() {
    }

    /** The maps of {@link #orthogonal} (PyTorch's {@code orthogonal_map} strings). */
    public enum OrthogonalMap {
        /** {@code "matrix_exp"}: {@code exp(A)} of a skew-symmetric A. */
        MATRIX_EXP,
        /** {@code "cayley"}: {@code (I - A/2)^{-1}(I + A/2)} of a skew-symmetric A. */
        CAYLEY,
        /** {@code "householder"}: a product of Householder reflectors. */
        HOUSEHOLDER;

        /**
         * The map named by PyTorch's string.
         *
         * @throws IllegalArgumentException for another string
         */
        public static OrthogonalMap of(String name) {
            return switch (name == null ? "" : name) {
                case "matrix_exp" -> MATRIX_EXP;
                case "cayley" -> CAYLEY;
                case "householder" -> HOUSEHOLDER;
                default -> throw new IllegalArgumentException("orthogonal_map has to be one of \"matrix_exp\", "
                        + "\"cayley\", \"householder\". Got: " + name);
            };
        }
    }

    private static Tensor tensorOf(Module module, String name) {
        try {
            Tensor t = module.attr(name);
            if (t != null) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // no such attribute: the message below
        }
        throw new IllegalArgumentException("Module '" + module + "' has no parameter or buffer with name '" + name
                + "'");
    }

    /** {@code orthogonal(module)}: the tensor {@code "weight"}, the default map, with trivialization. */
    public static Module orthogonal(Module module) {
        return orthogonal(module, "weight", null, true);
    }

    /**
     * {@code torch.nn.utils.parametrizations.orthogonal(module, name, orthogonal_map, use_trivialization)}: the
     * matrix (or batch of matrices, the last two dims) {@code name} is kept orthogonal (orthonormal columns when it
     * is tall, rows when it is wide) by an {@link OrthogonalParametrization}, registered with {@code unsafe}.
     *
     * <p>Args: {@code module}; {@code name} (default "weight"); {@code orthogonalMap} (null: {@code MATRIX_EXP} for
     * square matrices, {@code HOUSEHOLDER} otherwise); {@code useTrivialization} (default true: the output is
     * {@code base @ map(X)}, with {@code base} a buffer set at registration to the tensor's orthogonalisation, and the
     * original starts at {@code -I}).
     *
     * <p>Initial value: with trivialization, or with {@code HOUSEHOLDER}, the tensor itself if it is orthogonal, else
     * the Q of its QR decomposition (a non-square one is completed with {@code randn} draws); otherwise
     * {@code map(tensor)}.
     *
     * @return {@code module}
     * @throws IllegalArgumentException when there is no such tensor or it has fewer than 2 dims
     */
    public static Module orthogonal(Module module, String name, OrthogonalMap orthogonalMap,
                                    boolean useTrivialization) {
        Tensor weight = tensorOf(module, name);
        if (weight.dim() < 2) {
            throw new IllegalArgumentException("Expected a matrix or batch of matrices. Got a tensor of "
                    + weight.dim() + " dimensions.");
        }
        OrthogonalMap map = orthogonalMap != null ? orthogonalMap
                : weight.size(-2) == weight.size(-1) ? OrthogonalMap.MATRIX_EXP : OrthogonalMap.HOUSEHOLDER;
        Parametrize.registerParametrization(module, name, new OrthogonalParametrization(weight, map,
                useTrivialization), true);
        return module;
    }

    /** {@code spectralNorm(module, "weight", 1, 1e-12, null)}. */
    public static Module spectralNorm(Module module) {
        return spectralNorm(module, "weight", 1, 1e-12, null);
    }

    /**
     * {@code torch.nn.utils.parametrizations.spectral_norm(module, name, n_power_iterations, eps, dim)}: registers a
     * {@link SpectralNormParametrization} (which draws u and v from the global generator). As in PyTorch, the
     * registration's consistency check runs the parametrization once, so in training mode u and v have had
     * {@code 15 + nPowerIterations} iterations when it returns.
     *
     * <p>Args: {@code module}; {@code name} (default "weight"); {@code nPowerIterations} (default 1);
     * {@code eps} (default 1e-12); {@code dim} (null: 0, or 1 for ConvTranspose1d/2d/3d).
     *
     * @return {@code module}
     */
    public static Module spectralNorm(Module module, String name, int nPowerIterations, double eps, Integer dim) {
        Tensor weight = tensorOf(module, name);
        int d = dim != null ? dim
                : module instanceof ConvTranspose1d || module instanceof ConvTranspose2d
                        || module instanceof ConvTranspose3d ? 1 : 0;
        Parametrize.registerParametrization(module, name, new SpectralNormParametrization(weight, nPowerIterations, d,
                eps));
        return module;
    }

    /** {@code weightNorm(module, "weight", 0)}. */
    public static Module weightNorm(Module module) {
        return weightNorm(module, "weight", 0);
    }

    /**
     * {@code torch.nn.utils.parametrizations.weight_norm(module, name, dim)} (PyTorch 2.1): registers a
     * {@link WeightNormParametrization} with {@code unsafe}; the originals are {@code original0} (g, the norm over
     * every dim but {@code dim}) and {@code original1} (v). Without PyTorch 2.1's load hook that renames an older
     * {@code weight_g}/{@code weight_v} state dict.
     *
     * <p>Args: {@code module}; {@code name} (default "weight"); {@code dim} (default 0; null for the whole tensor).
     *
     * @return {@code module}
     */
    public static Module weightNorm(Module module, String name, Integer dim) {
        tensorOf(module, name);
        Parametrize.registerParametrization(module, name, new WeightNormParametrization(dim), true);
        return module;
    }
}
