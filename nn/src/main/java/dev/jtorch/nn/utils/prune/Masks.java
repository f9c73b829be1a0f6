package dev.jtorch.nn.utils.prune;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/** Tensor helpers of the pruning methods: PyTorch's boolean indexing and channel masks, in tensor operations. */
final class Masks {
    private Masks() {
    }

    /**
     * The int64 positions of the true entries of the 1-D bool tensor {@code b}, ascending (PyTorch's
     * {@code b.nonzero()}): an argsort of {@code i + n * !b[i]}, whose keys are distinct.
     */
    static Tensor positions(Tensor b) {
        int n = (int) b.numel();
        Tensor isTrue = b.to(DType.FLOAT64);
        int count = (int) isTrue.sum().item();
        Tensor key = Torch.arange(n).to(DType.FLOAT64).to(b.device()).add(isTrue.mul(-(double) n).add((double) n));
        return key.argsort(0).narrow(0, 0, count);
    }

    /** A copy of {@code target} with the slices at {@code idx} along {@code dim} replaced by {@code src}. */
    static Tensor put(Tensor target, int dim, Tensor idx, Tensor src) {
        int[] shape = new int[src.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[dim] = (int) idx.numel();
        return target.scatter(dim, idx.view(shape).expand(src.shape()).contiguous(), src);
    }

    /**
     * A tensor of {@code t}'s shape and dtype whose slices along {@code dim} are {@code channels[j]} (1-D, one
     * value per channel): PyTorch's {@code mask = zeros_like(t); mask[..., channel_mask, ...] = 1}.
     */
    static Tensor broadcastChannels(Tensor t, int dim, Tensor channels) {
        int[] shape = new int[t.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[dim] = t.size(dim);
        return Torch.zerosLike(t).add(channels.to(t.dtype()).view(shape));
    }

    /** The normalized dim ({@code dim} may be negative, Python-style). */
    static int wrap(Tensor t, int dim) {
        return dim < 0 ? dim + t.dim() : dim;
    }

    /** {@code _validate_structured_pruning}: channels need a tensor of at least 2 dims. */
    static void validateStructured(Tensor t) {
        if (t.dim() <= 1) {
            throw new IllegalArgumentException("Structured pruning can only be applied to multidimensional tensors. "
                    + "Found tensor of shape torch.Size(" + java.util.Arrays.toString(t.shape()) + ") with " + t.dim()
                    + " dims");
        }
    }

    /** {@code _validate_pruning_dim} and Python's {@code t.shape[dim]}: the number of channels along dim. */
    static int channels(Tensor t, int dim) {
        if (dim >= t.dim()) {
            throw new IndexOutOfBoundsException("Invalid index " + dim + " for tensor of size torch.Size("
                    + java.util.Arrays.toString(t.shape()) + ")");
        }
        if (dim < -t.dim()) {
            throw new IndexOutOfBoundsException("tuple index out of range");
        }
        return t.size(wrap(t, dim));
    }
}
