package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.functional.F;

/**
 * PyTorch's {@code _SpectralNorm} (torch/nn/utils/parametrizations.py), the parametrization that
 * {@link Parametrizations#spectralNorm} registers: {@code W / sigma} with {@code sigma = u^T W v} estimated by
 * power iteration on {@code W} as a matrix with {@code dim} first; a vector is divided by its norm.
 *
 * <p>Args: {@code weight}; {@code nPowerIterations} (positive); {@code dim}; {@code eps}.
 *
 * <p>Attributes (matrices only): buffers {@code _u} ({@code (h)}) and {@code _v} ({@code (w)}), drawn from
 * {@code normal_(0, 1)} (global generator), normalised, then refined by 15 power iterations on {@code weight}. In
 * training mode each forward first runs {@code nPowerIterations} iterations that update them in place (without
 * gradient); in eval mode forward only divides (and may run on several threads at once).
 *
 * <p>Example: {@code Parametrizations.spectralNorm(new Linear(20, 40))}; the module's
 * {@code parametrizations.weight.0} is this.
 */
public final class SpectralNormParametrization extends Module implements Parametrize.RightInverse {
    private final int dim;
    private final double eps;
    private final int nPowerIterations;

    /**
     * The parametrization of {@code weight}.
     *
     * @throws IndexOutOfBoundsException when {@code dim} is not a dim of weight
     * @throws IllegalArgumentException when {@code nPowerIterations} is not positive
     */
    public SpectralNormParametrization(Tensor weight, int nPowerIterations, int dim, double eps) {
        int ndim = weight.dim();
        if (dim >= ndim || dim < -ndim) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [-" + ndim + ", "
                    + (ndim - 1) + "] but got " + dim + ")");
        }
        if (nPowerIterations <= 0) {
            throw new IllegalArgumentException("Expected n_power_iterations to be positive, but got "
                    + "n_power_iterations=" + nPowerIterations);
        }
        this.dim = dim >= 0 ? dim : dim + ndim;
        this.eps = eps;
        this.nPowerIterations = nPowerIterations;
        if (ndim > 1) {
            try (var _ = Autograd.noGrad()) {
                Tensor mat = SpectralNorm.toMatrix(weight, this.dim);
                Tensor u = weight.newEmpty(weight.dtype(), mat.size(0)).normal_(0, 1);
                Tensor v = weight.newEmpty(weight.dtype(), mat.size(1)).normal_(0, 1);
                registerBuffer("_u", F.normalize(u, 2, 0, eps));
                registerBuffer("_v", F.normalize(v, 2, 0, eps));
                powerMethod(mat, 15);
            }
        }
    }

    /** PyTorch's class name, for {@code toString()}. */
    @Override
    public String name() {
        return "_SpectralNorm";
    }

    /** {@code _power_method}: u then v, written in place into the buffers, without gradient. */
    private void powerMethod(Tensor weightMat, int iterations) {
        try (var _ = Autograd.noGrad()) {
            Tensor wm = weightMat.detach();
            Tensor u = attr("_u");
            Tensor v = attr("_v");
            for (int i = 0; i < iterations; i++) {
                u.copy_(F.normalize(wm.mv(v), 2, 0, eps));
                v.copy_(F.normalize(wm.t().mv(u), 2, 0, eps));
            }
        }
    }

    @Override
    public Tensor forward(Tensor weight) {
        if (weight.dim() == 1) {
            return F.normalize(weight, 2, 0, eps);
        }
        Tensor mat = SpectralNorm.toMatrix(weight, dim);
        if (isTraining()) {
            powerMethod(mat, nPowerIterations);
        }
        Tensor u = attr("_u").clone();
        Tensor v = attr("_v").clone();
        Tensor sigma = u.dot(mat.mv(v));
        return weight.div(sigma);
    }

    /** The identity (PyTorch's {@code right_inverse} does not check the constraint). */
    @Override
    public Tensor rightInverse(Tensor value) {
        return value;
    }
}
