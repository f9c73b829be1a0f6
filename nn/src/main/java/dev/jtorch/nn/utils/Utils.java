package dev.jtorch.nn.utils;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.internal.Numel;
import dev.jtorch.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils}: gradient clipping and flattening parameters to one vector.
 *
 * <p>Example: {@code double norm = Utils.clipGradNorm_(model.parameters(), 1.0, 2.0, false).item();}
 */
public final class Utils {
    private Utils() {
    }

    /**
     * Scales the gradients so that their total p-norm (over all gradients together, {@code normType} may be
     * infinite) is at most {@code maxNorm}; returns the total norm before clipping. With
     * {@code errorIfNonfinite}, a NaN or infinite total norm throws instead of scaling.
     */
    public static Tensor clipGradNorm_(List<? extends Tensor> parameters, double maxNorm, double normType,
                                       boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        if (grads.isEmpty()) {
            return Torch.scalarTensor(0);
        }
        try (var _ = Autograd.noGrad()) {
            Tensor total;
            if (Double.isInfinite(normType)) {
                Tensor[] norms = new Tensor[grads.size()];
                for (int i = 0; i < norms.length; i++) {
                    norms[i] = grads.get(i).detach().abs().max();
                }
                total = norms.length == 1 ? norms[0] : Torch.stack(norms, 0).max();
            } else {
                Tensor[] norms = new Tensor[grads.size()];
                for (int i = 0; i < norms.length; i++) {
                    norms[i] = grads.get(i).detach().norm(normType, null, false);
                }
                total = Torch.stack(norms, 0).norm(normType, null, false);
            }
            double t = total.item();
            if (errorIfNonfinite && !Double.isFinite(t)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from "
                        + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
                        + "gradients by the non-finite norm anyway, set `errorIfNonfinite=false`");
            }
            Tensor coef = Torch.fullLike(total, maxNorm).div(total.add(1e-6)).clampMax(1.0);
            for (Tensor gr : grads) {
                gr.mul_(coef.to(gr.dtype()));
            }
            return total;
        }
    }

    /** {@code clipGradNorm_} with the 2-norm, not failing on non-finite norms. */
    public static Tensor clipGradNorm_(List<? extends Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /** Clamps every gradient element into [-clipValue, clipValue]. */
    public static void clipGradValue_(List<? extends Tensor> parameters, double clipValue) {
        try (var _ = Autograd.noGrad()) {
            for (Tensor p : parameters) {
                if (p.grad() != null) {
                    p.grad().clamp_(-clipValue, clipValue);
                }
            }
        }
    }

    /** All parameters flattened and concatenated into one vector (differentiable). */
    public static Tensor parametersToVector(List<? extends Tensor> parameters) {
        if (parameters.isEmpty()) {
            return Torch.empty(DType.FLOAT32, 0);
        }
        Tensor[] flat = new Tensor[parameters.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = parameters.get(i).reshape(-1);
        }
        return Torch.cat(flat, 0);
    }

    /** Makes each parameter's data the matching slice of {@code vec} (sharing its storage). */
    public static void vectorToParameters(Tensor vec, List<? extends Parameter> parameters) {
        if (vec.dim() != 1) {
            throw new IllegalArgumentException("expected a 1-D vector, got shape " + java.util.Arrays.toString(vec.shape()));
        }
        long total = 0;
        for (Parameter p : parameters) {
            total += p.numel();
        }
        if (total != vec.numel()) {
            throw new IllegalArgumentException("the vector has " + vec.numel() + " elements but the parameters have "
                    + total);
        }
        int pointer = 0;
        for (Parameter p : parameters) {
            int n = Numel.of(p);
            p.setData(vec.detach().narrow(0, pointer, n).view(p.shape()));
            pointer += n;
        }
    }
}
