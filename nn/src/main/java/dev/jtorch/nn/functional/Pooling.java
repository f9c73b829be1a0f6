package dev.jtorch.nn.functional;

import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.util.Arrays;

/**
 * The pooling functions of {@link F} over {@link NnOps}: argument expansion (stride defaults to the kernel),
 * LP pooling, None entries of adaptive output sizes, fractional pooling's output ratio and random samples,
 * and max unpooling's output size, as torch.nn.functional does them.
 */
final class Pooling {
    private Pooling() {
    }

    static int[] expand(String name, int[] v, int nd) {
        if (v.length == nd) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(name + " must be a single int or a tuple of " + nd + " ints, got "
                + Arrays.toString(v));
    }

    static Tensor[] maxPool(int nd, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                            boolean ceilMode, boolean returnIndices) {
        int[] k = expand("kernel_size", kernel, nd);
        int[] s = stride == null || stride.length == 0 ? k : expand("stride", stride, nd);
        return NnOps.maxPool(input, nd, k, s, expand("padding", padding, nd), expand("dilation", dilation, nd),
                ceilMode, returnIndices);
    }

    static Tensor avgPool(int nd, Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                          boolean countIncludePad, Integer divisorOverride) {
        int[] k = expand("kernel_size", kernel, nd);
        int[] s = stride == null || stride.length == 0 ? k : expand("stride", stride, nd);
        return NnOps.avgPool(input, nd, k, s, expand("padding", padding, nd), ceilMode, countIncludePad,
                divisorOverride);
    }

    /** lp_pool1d/2d: (sum of x^p over each window)^(1/p), through an average pool. */
    static Tensor lpPool(int nd, Tensor input, double normType, int[] kernel, int[] stride, boolean ceilMode) {
        int[] k = expand("kernel_size", kernel, nd);
        Tensor out = avgPool(nd, input.pow(normType), k, stride, new int[] {0}, ceilMode, true, null);
        int kk = 1;
        for (int v : k) {
            kk *= v;
        }
        return out.sign().mul(out.abs().relu()).mul(kk).pow(1.0 / normType);
    }

    /** Adaptive output sizes with null entries (None) replaced by the input's size. */
    static int[] adaptiveSize(Tensor input, Integer[] outputSize, int nd) {
        Integer[] o = outputSize.length == 1 && nd > 1 ? fill(outputSize[0], nd) : outputSize;
        if (o.length != nd) {
            throw new IllegalArgumentException("adaptive pooling: output_size must have 1 or " + nd + " entries, got "
                    + Arrays.toString(outputSize));
        }
        int[] r = new int[nd];
        for (int i = 0; i < nd; i++) {
            r[i] = o[i] != null ? o[i] : input.size(input.dim() - nd + i);
        }
        return r;
    }

    private static Integer[] fill(Integer v, int nd) {
        Integer[] r = new Integer[nd];
        Arrays.fill(r, v);
        return r;
    }

    static Tensor[] fractionalMaxPool(int nd, Tensor input, int[] kernel, int[] outputSize, double[] outputRatio,
                                      boolean returnIndices, Tensor randomSamples) {
        String op = "fractional_max_pool" + nd + "d";
        if (outputSize == null && outputRatio == null) {
            throw new IllegalArgumentException(op + " requires specifying either an output_size or an output_ratio");
        }
        int[] k = expand("kernel_size", kernel, nd);
        int[] out;
        if (outputSize != null) {
            out = expand("output_size", outputSize, nd);
        } else {
            double[] r = outputRatio.length == 1 ? fillD(outputRatio[0], nd) : outputRatio;
            if (r.length != nd) {
                throw new IllegalArgumentException("output_ratio must have 1 or " + nd + " entries, got "
                        + Arrays.toString(outputRatio));
            }
            out = new int[nd];
            for (int i = 0; i < nd; i++) {
                out[i] = (int) (input.size(input.dim() - nd + i) * r[i]);
            }
        }
        Tensor samples = randomSamples;
        if (samples == null) {
            if (input.dim() < nd + 1) {
                throw new IllegalArgumentException(op + "(): Expected " + (nd + 1) + "D or " + (nd + 2)
                        + "D tensor, but got: " + Arrays.toString(input.shape()));
            }
            int batch = input.dim() == nd + 1 ? 1 : input.size(0);
            samples = Torch.rand(Torch.defaultGenerator(), input.dtype(), batch, input.size(input.dim() - nd - 1), nd)
                    .to(input.device());
        }
        return NnOps.fractionalMaxPool(input, k, out, samples, returnIndices);
    }

    private static double[] fillD(double v, int nd) {
        double[] r = new double[nd];
        Arrays.fill(r, v);
        return r;
    }

    /** max_unpool1d/2d/3d with PyTorch's default output size and its check of a given one. */
    static Tensor maxUnpool(int nd, Tensor input, Tensor indices, int[] kernel, int[] stride, int[] padding,
                            int[] outputSize) {
        int[] k = expand("kernel_size", kernel, nd);
        int[] s = stride == null || stride.length == 0 ? k : expand("stride", stride, nd);
        int[] p = expand("padding", padding, nd);
        int[] def = new int[nd];
        for (int d = 0; d < nd; d++) {
            def[d] = (input.size(input.dim() - nd + d) - 1) * s[d] + k[d] - 2 * p[d];
        }
        int[] out = def;
        if (outputSize != null) {
            int[] o = outputSize.length == nd + 2 ? Arrays.copyOfRange(outputSize, 2, outputSize.length) : outputSize;
            if (o.length != nd) {
                throw new IllegalArgumentException("output_size should be a sequence containing " + nd + " or "
                        + (nd + 2) + " elements, but it has a length of '" + o.length + "'");
            }
            for (int d = 0; d < nd; d++) {
                int min = def[d] - s[d], max = def[d] + s[d];
                if (!(min < o[d] && o[d] < max)) {
                    throw new IllegalArgumentException("invalid output_size \"" + Convolutions.tuple(outputSize)
                            + "\" (dim " + d + " must be between " + min + " and " + max + ")");
                }
            }
            out = o;
        }
        return NnOps.maxUnpool(input, indices, out);
    }
}
