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

    /**
     * Warms a model up before it serves: {@code calls} forwards of {@code example} (a small input of the right rank
     * and dtype: the kernels are the same whatever the sizes) under {@code noGrad}, so that the JIT has compiled the
     * kernels the forward uses before the first real request. A fresh JVM runs the vectorized kernels interpreted at
     * first, hundreds of times slower: an eval LSTM(128, 256) took 2.6 s for its first (100, 32, 128) forward against
     * 30 ms later; after 400 calls on a (4, 2, 128) input (about 3 s) the first real forward took 92 ms, after 1500
     * calls 36 ms (docs/benchmarks/warm-start.md has the measured figures, with and without an AOT cache). The
     * module's mode and state are left as they are (call {@code eval()} first: in training mode dropout draws and
     * batch norm updates its running statistics). Returns the time taken, in milliseconds.
     *
     * @throws IllegalArgumentException when {@code module} is null, {@code calls} is negative or there is no example
     */
    public static long warmUp(dev.jtorch.nn.Module module, int calls, Tensor... example) {
        if (module == null || example == null || example.length == 0 || calls < 0) {
            throw new IllegalArgumentException("warmUp: expected a module, calls >= 0 and an example input, got "
                    + (module == null ? "no module" : module.name()) + ", " + calls + " calls and "
                    + (example == null ? 0 : example.length) + " inputs");
        }
        long start = System.nanoTime();
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < calls; i++) {
                module.call(example);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
