package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.util.Arrays;

/** The sparse-layer functions of {@link F}: embedding, embedding_bag and one_hot, with PyTorch's checks. */
final class Sparse {
    private Sparse() {
    }

    static final String SPARSE_UNSUPPORTED = "sparse=True asks for sparse gradients, which jtorch does not have: "
            + "use sparse=False (dense gradients, the same values)";

    /** padding_idx wrapped as F.embedding does (negative counts from the end); -1 for none. */
    static long paddingIndex(Long paddingIdx, int rows) {
        if (paddingIdx == null) {
            return -1;
        }
        if (paddingIdx > 0 && paddingIdx >= rows || paddingIdx < 0 && paddingIdx < -rows) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
        }
        return paddingIdx < 0 ? rows + paddingIdx : paddingIdx;
    }

    static Tensor embedding(Tensor input, Tensor weight, Long paddingIdx, Double maxNorm, double normType,
                            boolean scaleGradByFreq, boolean sparse) {
        if (sparse) {
            throw new UnsupportedOperationException(SPARSE_UNSUPPORTED);
        }
        long pad = paddingIndex(paddingIdx, weight.size(0));
        if (maxNorm != null) {
            NnOps.embeddingRenorm_(weight, input.contiguous(), maxNorm, normType);
        }
        return NnOps.embedding(weight, input, pad, scaleGradByFreq);
    }

    static Tensor embeddingBag(Tensor input, Tensor weight, Tensor offsets, Double maxNorm, double normType,
                               boolean scaleGradByFreq, EmbeddingBagMode mode, boolean sparse,
                               Tensor perSampleWeights, boolean includeLastOffset, Long paddingIdx) {
        if (sparse) {
            throw new UnsupportedOperationException(SPARSE_UNSUPPORTED);
        }
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("weight has to be a 2D Tensor, but got Tensor of dimension "
                    + weight.dim());
        }
        if (perSampleWeights != null && !Arrays.equals(input.shape(), perSampleWeights.shape())) {
            throw new IllegalArgumentException("embedding_bag: If per_sample_weights (torch.Size("
                    + Arrays.toString(perSampleWeights.shape()) + ")) is not None, then it must have the same shape "
                    + "as the input (torch.Size(" + Arrays.toString(input.shape()) + "))");
        }
        if (input.dim() == 2 && offsets != null) {
            throw new IllegalArgumentException("if input is 2D, then offsets has to be None, as input is treated is a "
                    + "mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>");
        }
        if (input.dim() == 1 && (offsets == null || offsets.dim() != 1)) {
            throw new IllegalArgumentException("offsets has to be a 1D Tensor but got "
                    + (offsets == null ? "None" : "a " + offsets.dim() + "D Tensor"));
        }
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException("input has to be 1D or 2D Tensor, but got Tensor of dimension "
                    + input.dim());
        }
        long pad = paddingIndex(paddingIdx, weight.size(0));
        if (maxNorm != null) {
            NnOps.embeddingRenorm_(weight, input.contiguous(), maxNorm, normType);
        }
        if (perSampleWeights != null && mode != EmbeddingBagMode.SUM) {
            throw new UnsupportedOperationException("embedding_bag: per_sample_weights was not None. "
                    + "per_sample_weights is only supported for mode='sum' (got mode='" + mode.pytorchName()
                    + "'). Please open a feature request on GitHub.");
        }
        return NnOps.embeddingBag(weight, input, offsets, mode.ordinal(), perSampleWeights, includeLastOffset, pad,
                scaleGradByFreq)[0];
    }

    /** one_hot: int64 class indices to int64 (*, numClasses); numClasses -1 means max + 1. */
    static Tensor oneHot(Tensor tensor, int numClasses) {
        if (tensor.dtype() != DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor.");
        }
        long max = -1;
        for (long v : tensor.toLongArray()) {
            if (v < 0) {
                throw new IllegalArgumentException("Class values must be non-negative.");
            }
            max = Math.max(max, v);
        }
        int n = numClasses;
        if (n == -1) {
            if (tensor.numel() == 0) {
                throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            }
            n = (int) (max + 1);
        } else if (max >= n) {
            throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        }
        int[] shape = Arrays.copyOf(tensor.shape(), tensor.dim() + 1);
        shape[tensor.dim()] = n;
        Tensor zeros = Torch.zeros(DType.INT64, shape).to(tensor.device());
        return zeros.scatter(-1, tensor.unsqueeze(-1), 1);
    }

    /** cosine_similarity as PyTorch 1.13 computes it: sum((x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps))). */
    static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        int[] shape = broadcast(x1.shape(), x2.shape());
        Tensor a = x1.expand(shape);
        Tensor b = x2.expand(shape);
        int d = dim < 0 ? dim + shape.length : dim;
        if (d < 0 || d >= shape.length) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + -shape.length + ", " + (shape.length - 1) + "], but got " + dim + ")");
        }
        Tensor na = a.norm(2, new int[] {d}, true).clampMin(eps);
        Tensor nb = b.norm(2, new int[] {d}, true).clampMin(eps);
        return a.div(na).mul(b.div(nb)).sum(d, false);
    }

    /** NumPy broadcasting of two shapes, with PyTorch's message. */
    private static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + x + ") must match the size of tensor b ("
                        + y + ") at non-singleton dimension " + i);
            }
            r[i] = x == 1 ? y : x;
        }
        return r;
    }
}
