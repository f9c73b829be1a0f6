package dev.jtorch.nn.functional;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.util.Arrays;

/**
 * {@code F.pad} in every mode, composed of engine ops: constant padding concatenates constant blocks (negative
 * pads narrow), and reflect, replicate and circular padding gather each padded dim with {@code index_select}
 * at the reflected, clamped or wrapped positions, so gradients flow back to the source elements.
 */
final class Padding {
    private Padding() {
    }

    /** PyTorch's torch._C._nn.pad: pads (left, right) pairs from the last dim backwards. */
    static Tensor pad(Tensor input, int[] pad, PadMode mode, Double value) {
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("Padding length must be divisible by 2");
        }
        if (mode == PadMode.CONSTANT || mode == PadMode.ZEROS) {
            return constant(input, pad, value == null ? 0 : value);
        }
        if (value != null && value != 0) {
            throw new IllegalArgumentException("Padding mode \"" + mode.pytorchName()
                    + "\" doesn't take in value argument");
        }
        int dims = pad.length / 2, d = input.dim();
        if (!(dims >= 1 && dims <= 3 && (d == dims + 1 || d == dims + 2))) {
            throw new UnsupportedOperationException("Only 2D, 3D, 4D, 5D padding with non-constant padding are "
                    + "supported for now");
        }
        Tensor x = input;
        for (int k = 0; k < dims; k++) {
            int dim = d - 1 - k;
            int left = pad[2 * k], right = pad[2 * k + 1];
            int n = x.size(dim);
            if (mode == PadMode.REFLECT && (left >= n || right >= n)) {
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding "
                        + "input dimension, but got: padding (" + left + ", " + right + ") at dimension " + dim
                        + " of input " + Arrays.toString(input.shape()));
            }
            if (mode == PadMode.CIRCULAR && (left > n || right > n)) {
                throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
            }
            int out = n + left + right;
            if (out < 0 || (mode == PadMode.REPLICATE && n == 0 && out > 0)) {
                throw new IllegalArgumentException("input (" + Arrays.toString(input.shape()) + ") has too small a "
                        + "dimension " + dim + " for padding (" + left + ", " + right + ")");
            }
            // circular: negative pads crop first, then the positive ones wrap around what is left (PyTorch's
            // _pad_circular copies the wrapped parts from the cropped output)
            int lo = Math.max(0, -left), kept = n - lo - Math.max(0, -right);
            if (mode == PadMode.CIRCULAR && (left > kept || right > kept)) {
                throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
            }
            long[] idx = new long[out];
            for (int o = 0; o < out; o++) {
                int i = o - left;
                idx[o] = switch (mode) {
                    case REFLECT -> i < 0 ? -i : i >= n ? 2L * (n - 1) - i : i;
                    case REPLICATE -> Math.min(Math.max(i, 0), n - 1);
                    case CIRCULAR -> lo + Math.floorMod(o - Math.max(0, left), kept);
                    default -> throw new IllegalStateException(mode.toString());
                };
            }
            x = x.indexSelect(dim, Torch.tensor(idx, out).to(x.device()));
        }
        return x;
    }

    /** constant_pad_nd: negative pads narrow; positive ones concatenate blocks of {@code value}. */
    static Tensor constant(Tensor input, int[] pad, double value) {
        int dims = pad.length / 2, d = input.dim();
        if (dims > d) {
            throw new IllegalArgumentException("Padding length too large");
        }
        Tensor x = input;
        for (int k = 0; k < dims; k++) {
            int dim = d - 1 - k;
            int left = pad[2 * k], right = pad[2 * k + 1];
            int n = x.size(dim);
            if (n + left + right < 0) {
                throw new IllegalArgumentException("The input size " + n + ", plus negative padding " + left + " and "
                        + right + " resulted in a negative output size, which is invalid. Check dimension " + dim
                        + " of your input.");
            }
            int start = Math.max(0, -left), end = n - Math.max(0, -right);
            if (start > 0 || end < n) {
                x = x.narrow(dim, start, Math.max(0, end - start));
            }
            int l = Math.max(0, left), r = Math.max(0, right);
            if (l == 0 && r == 0) {
                continue;
            }
            Tensor[] parts = new Tensor[(l > 0 ? 1 : 0) + 1 + (r > 0 ? 1 : 0)];
            int p = 0;
            if (l > 0) {
                parts[p++] = block(x, dim, l, value);
            }
            parts[p++] = x;
            if (r > 0) {
                parts[p] = block(x, dim, r, value);
            }
            x = Torch.cat(parts, dim);
        }
        return x == input ? input.clone() : x;
    }

    private static Tensor block(Tensor like, int dim, int size, double value) {
        int[] s = like.shape();
        s[dim] = size;
        return like.newFull(s, value, like.dtype());
    }
}
