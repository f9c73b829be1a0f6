package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;

import java.util.Arrays;

/**
 * The normalization functions of {@link F} (batch, instance, layer, group, RMS and local response norm, and
 * normalize) with torch.nn.functional's checks; the statistics and transforms are {@link NnOps} ops.
 */
final class Normalization {
    private Normalization() {
    }

    static String size(Tensor t) {
        return "torch.Size(" + Arrays.toString(t.shape()) + ")";
    }

    static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        if (training) {
            long prod = input.dim() > 0 ? input.size(0) : 1;
            for (int i = 2; i < input.dim(); i++) {
                prod *= input.size(i);
            }
            if (prod == 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input "
                        + "size " + size(input));
            }
        }
        return NnOps.batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    /**
     * torch.instance_norm: batch norm of the input viewed as (1, N * C, *), with the weight, bias and running
     * statistics repeated N times and the running statistics averaged back over N.
     */
    static Tensor instanceNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                               boolean useInputStats, double momentum, double eps) {
        if (useInputStats) {
            long prod = 1;
            for (int i = 2; i < input.dim(); i++) {
                prod *= input.size(i);
            }
            if (prod == 1) {
                throw new IllegalArgumentException("Expected more than 1 spatial element when training, got input "
                        + "size " + size(input));
            }
        }
        if (input.dim() < 2) {
            throw new IllegalArgumentException("instance_norm: expected an input of at least 2 dims (N, C, *), got "
                    + Arrays.toString(input.shape()));
        }
        int n = input.size(0), c = input.size(1);
        int[] shape = input.shape();
        int[] flat = shape.clone();
        flat[0] = 1;
        flat[1] = n * c;
        Tensor x = input.contiguous().view(flat);
        Tensor w = weight == null ? null : weight.repeat(n);
        Tensor b = bias == null ? null : bias.repeat(n);
        Tensor rm = runningMean == null ? null : runningMean.repeat(n);
        Tensor rv = runningVar == null ? null : runningVar.repeat(n);
        Tensor out = NnOps.batchNorm(x, w, b, rm, rv, useInputStats, momentum, eps);
        try (var _ = Autograd.noGrad()) {
            if (runningMean != null) {
                runningMean.copy_(rm.view(n, c).mean(0, false));
            }
            if (runningVar != null) {
                runningVar.copy_(rv.view(n, c).mean(0, false));
            }
        }
        return out.view(shape);
    }

    static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return NnOps.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("Expected at least 2 dimensions for input tensor but received "
                    + input.dim());
        }
        if (numGroups > 0 && input.size(1) % numGroups == 0) {
            long prod = (long) input.size(0) * input.size(1) / numGroups;
            for (int i = 2; i < input.dim(); i++) {
                prod *= input.size(i);
            }
            if (prod == 1) {
                int[] v = new int[input.dim()];
                v[0] = input.size(0) * input.size(1) / numGroups;
                v[1] = numGroups;
                System.arraycopy(input.shape(), 2, v, 2, input.dim() - 2);
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input "
                        + "size " + Arrays.toString(v));
            }
        }
        return NnOps.groupNorm(input, numGroups, weight, bias, eps);
    }

    /** PyTorch's RMSNorm: eps null means the dtype's machine epsilon (torch.finfo(x.dtype).eps). */
    static Tensor rmsNorm(Tensor input, int[] normalizedShape, Tensor weight, Double eps) {
        double e = eps != null ? eps : machineEpsilon(input.dtype());
        return NnOps.rmsNorm(input, normalizedShape, weight, e);
    }

    static double machineEpsilon(DType dt) {
        return switch (dt) {
            case FLOAT64 -> Math.ulp(1.0);
            case FLOAT16 -> 0.0009765625;
            case BFLOAT16 -> 0.0078125;
            default -> Math.ulp(1.0f);
        };
    }

    /** PyTorch's local_response_norm: an average pool of squares across channels. */
    static Tensor localResponseNorm(Tensor input, int size, double alpha, double beta, double k) {
        int dim = input.dim();
        if (dim < 3) {
            throw new IllegalArgumentException("Expected 3D or higher dimensionality                          input "
                    + "(got " + dim + " dimensions)");
        }
        if (input.numel() == 0) {
            return input;
        }
        Tensor div = input.mul(input);
        if (dim == 3) {
            div = Padding.constant(div.unsqueeze(1), new int[] {0, 0, size / 2, (size - 1) / 2}, 0);
            div = NnOps.avgPool(div, 2, new int[] {size, 1}, new int[] {1, 1}, new int[] {0, 0}, false, true, null)
                    .squeeze(1);
        } else {
            int[] s = input.shape();
            div = div.view(s[0], 1, s[1], s[2], -1);
            div = Padding.constant(div, new int[] {0, 0, 0, 0, size / 2, (size - 1) / 2}, 0);
            div = NnOps.avgPool(div, 3, new int[] {size, 1, 1}, new int[] {1, 1, 1}, new int[] {0, 0, 0}, false, true,
                    null).squeeze(1);
            div = div.view(s);
        }
        div = div.mul(alpha).add(k).pow(beta);
        return input.div(div);
    }

    /** x / max(||x||_p along dim, eps). */
    static Tensor normalize(Tensor input, double p, int dim, double eps) {
        Tensor denom = input.norm(p, new int[] {dim}, true).clampMin(eps).expandAs(input);
        return input.div(denom);
    }
}
