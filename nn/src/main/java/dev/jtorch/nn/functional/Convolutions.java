package dev.jtorch.nn.functional;

import dev.jtorch.NnOps;
import dev.jtorch.Tensor;

import java.util.Arrays;

/**
 * The convolution functions of {@link F}: unbatched inputs, 'same'/'valid' padding, per-dim argument
 * expansion and transposed output sizes as torch.nn.functional does them, over {@link NnOps#convolution}.
 */
final class Convolutions {
    private Convolutions() {
    }

    /** One value per spatial dim: a single value repeated, or exactly nd values. */
    static int[] expand(String name, int[] v, int nd) {
        if (v.length == nd) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of " + nd
                + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
    }

    private static String rank(int nd, String op, Tensor input) {
        return "Expected " + (nd + 1) + "D (unbatched) or " + (nd + 2) + "D (batched) input to " + op
                + ", but got input of size: " + Arrays.toString(input.shape());
    }

    /** The 'same' padding of one dim: (left, right) with right - left in {0, 1}. */
    static int[] samePadding(int kernel, int dilation) {
        int total = dilation * (kernel - 1);
        return new int[] {total / 2, total - total / 2};
    }

    /**
     * conv1d/2d/3d with numeric padding ({@code paddingString} null) or PyTorch's "same"/"valid" strings.
     */
    static Tensor conv(int nd, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                       String paddingString, int[] dilation, int groups) {
        String op = "conv" + nd + "d";
        boolean batched = input.dim() == nd + 2;
        if (!batched && input.dim() != nd + 1) {
            throw new IllegalArgumentException(rank(nd, op, input));
        }
        Tensor x = batched ? input : input.unsqueeze(0);
        int[] s = expand("stride", stride, nd);
        int[] d = expand("dilation", dilation, nd);
        int[] p;
        if (paddingString == null) {
            p = expand("padding", padding, nd);
        } else if (paddingString.equals("valid")) {
            p = new int[nd];
        } else if (paddingString.equals("same")) {
            for (int v : s) {
                if (v != 1) {
                    throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
                }
            }
            p = new int[nd];
            int[] asym = new int[2 * nd];
            boolean symmetric = true;
            for (int i = 0; i < nd; i++) {
                int k = weight.dim() == nd + 2 ? weight.size(2 + i) : 1;
                int[] lr = samePadding(k, d[i]);
                p[i] = lr[0];
                asym[2 * (nd - 1 - i) + 1] = lr[1] - lr[0];
                symmetric &= lr[0] == lr[1];
            }
            if (!symmetric) {
                x = Padding.constant(x, asym, 0);
            }
        } else {
            throw new IllegalArgumentException("Invalid padding string '" + paddingString
                    + "', should be one of {'same', 'valid'}");
        }
        Tensor y = NnOps.convolution(x, weight, bias, s, p, d, false, new int[nd], groups);
        return batched ? y : y.squeeze(0);
    }

    /** conv_transpose1d/2d/3d (PyTorch's argument order: groups before dilation). */
    static Tensor convTranspose(int nd, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] outputPadding, int groups, int[] dilation) {
        String op = "conv_transpose" + nd + "d";
        boolean batched = input.dim() == nd + 2;
        if (!batched && input.dim() != nd + 1) {
            throw new IllegalArgumentException(rank(nd, op, input));
        }
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor y = NnOps.convolution(x, weight, bias, expand("stride", stride, nd), expand("padding", padding, nd),
                expand("dilation", dilation, nd), true, expand("output_padding", outputPadding, nd), groups);
        return batched ? y : y.squeeze(0);
    }

    /**
     * The output_padding that makes a transposed convolution produce {@code outputSize} (PyTorch's
     * _ConvTransposeNd._output_padding); the module's own output_padding when outputSize is null.
     */
    static int[] outputPadding(Tensor input, int[] outputSize, int[] stride, int[] padding, int[] kernel,
                               int[] dilation, int[] defaultPadding) {
        int nd = kernel.length;
        if (outputSize == null) {
            return defaultPadding;
        }
        boolean batched = input.dim() == nd + 2;
        int lead = batched ? 2 : 1;
        int[] size = outputSize;
        if (size.length == lead + nd) {
            size = Arrays.copyOfRange(size, lead, size.length);
        }
        if (size.length != nd) {
            throw new IllegalArgumentException("ConvTranspose" + nd + "D: for " + input.dim() + "D input, output_size "
                    + "must have " + nd + " or " + (lead + nd) + " elements (got " + size.length + ")");
        }
        int[] min = new int[nd], max = new int[nd], res = new int[nd];
        for (int i = 0; i < nd; i++) {
            min[i] = (input.size(lead + i) - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + 1;
            max[i] = min[i] + stride[i] - 1;
        }
        for (int i = 0; i < nd; i++) {
            if (size[i] < min[i] || size[i] > max[i]) {
                throw new IllegalArgumentException("requested an output size of " + tuple(size) + ", but valid "
                        + "sizes range from " + Arrays.toString(min) + " to " + Arrays.toString(max)
                        + " (for an input of torch.Size(" + Arrays.toString(Arrays.copyOfRange(input.shape(), lead,
                        input.dim())) + "))");
            }
            res[i] = size[i] - min[i];
        }
        return res;
    }

    /** Python's repr of a tuple of ints: (2,) or (2, 5). */
    static String tuple(int[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(v[i]);
        }
        return b.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** F.unfold: (N, C, H, W) or (C, H, W) to columns (the engine checks the rank). */
    static Tensor unfold(Tensor input, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return NnOps.im2col(input, expand("kernel_size", kernel, 2), expand("dilation", dilation, 2),
                expand("padding", padding, 2), expand("stride", stride, 2));
    }

    /** F.fold: columns to (N, C, outputSize) or (C, outputSize) (the engine checks the rank). */
    static Tensor fold(Tensor input, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return NnOps.col2im(input, expand("output_size", outputSize, 2), expand("kernel_size", kernel, 2),
                expand("dilation", dilation, 2), expand("padding", padding, 2), expand("stride", stride, 2));
    }
}
