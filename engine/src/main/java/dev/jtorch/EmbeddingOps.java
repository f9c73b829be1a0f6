package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;
import dev.jtorch.internal.Numel;

import java.util.Arrays;

import static dev.jtorch.NnSupport.dense;
import static dev.jtorch.NnSupport.shape;

/** Embedding lookups, the in-place max-norm renormalisation, and embedding bags, with dense gradients. */
final class EmbeddingOps {
    private EmbeddingOps() {
    }

    private static void checkIndices(String op, Tensor indices) {
        if (indices.dtype != DType.INT64) {
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following "
                    + "scalar types: Long, Int; but got " + indices.typeName() + " instead (while checking arguments "
                    + "for " + op + ")");
        }
    }

    private static void checkRange(Tensor indices, int rows) {
        if (indices.numel() == 0 || IndexOps.inRangeOnDevice(indices, rows)) {
            return;
        }
        for (long v : indices.toLongArray()) {
            if (v < 0 || v >= rows) {
                throw new IndexOutOfBoundsException("index out of range in self");
            }
        }
    }

    /**
     * weight[indices] with shape indices.shape + [dim]; the gradient of weight is accumulated per index, except
     * at paddingIdx (use a negative value for none), and divided by each index's count in the batch when
     * scaleGradByFreq.
     */
    static Tensor embedding(Tensor weight, Tensor indices, long paddingIdx, boolean scaleGradByFreq) {
        checkIndices("embedding", indices);
        NnSupport.checkDevice(weight, indices);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("'weight' must be 2-D, got " + shape(weight.shape));
        }
        int rows = weight.shape[0], dim = weight.shape[1];
        checkRange(indices, rows);
        Tensor flat = dense(indices).reshape(Numel.of(indices));
        int[] os = Arrays.copyOf(indices.shape, indices.dim() + 1);
        os[indices.dim()] = dim;
        Tensor out = NnSupport.empty(weight, weight.dtype, flat.size(0), dim);
        if (out.numel() > 0) {
            Dispatch.index(Op.INDEX_SELECT, weight, 0, flat, null, out);
        }
        Tensor r = out.view(os);
        if (!weight.dtype.isFloatingPoint()) {
            return r;
        }
        int[] ws = weight.shape;
        return FnNode.record1("EmbeddingBackward0", r, weight, (g, s) -> {
            Tensor g2 = g.reshape(flat.size(0), dim);
            if (paddingIdx >= 0) {
                g2 = g2.mul(flat.ne((double) paddingIdx).unsqueeze(1).to(g.dtype));
            }
            if (scaleGradByFreq) {
                Tensor counts = g.newEmptyShared(g.dtype, new int[] {rows}).indexAdd(0, flat,
                        g.newOnes(g.dtype, flat.size(0)));
                g2 = g2.div(counts.indexSelect(0, flat).unsqueeze(1));
            }
            return new Tensor[] {g.newEmptyShared(g.dtype, ws).indexAdd(0, flat, g2)};
        });
    }

    /**
     * PyTorch's embedding_renorm_: each row of weight that indices name and whose normType-norm exceeds
     * maxNorm is scaled in place to norm maxNorm / (norm + 1e-7) * norm. Outside autograd.
     */
    static Tensor embeddingRenorm_(Tensor weight, Tensor indices, double maxNorm, double normType) {
        checkIndices("embedding_renorm_", indices);
        NnSupport.checkDevice(weight, indices);
        checkRange(indices, weight.shape[0]);
        if (indices.numel() == 0) {
            return weight;
        }
        try (var _ = Autograd.noGrad()) {
            Tensor flat = dense(indices).reshape(Numel.of(indices));
            Tensor raw = Tensor.fromStorage(weight.storage, weight.shape, weight.stride, weight.offset);
            Tensor rows = raw.indexSelect(0, flat);
            Tensor norms = rows.norm(normType, new int[] {1}, true);
            Tensor scale = Torch.where(norms.gt(maxNorm), norms.add(1e-7).reciprocal().mul(maxNorm),
                    norms.newOnes(norms.dtype, norms.shape));
            Tensor scaled = rows.mul(scale);
            Tensor idx = flat.unsqueeze(1).expand(flat.size(0), weight.shape[1]);
            raw.scatter_(0, idx, scaled);
        }
        return weight;
    }

    /** The result of {@link #embeddingBag}: the bags, and the row of each maximum (max mode, else null). */
    record Bag(Tensor output, Tensor maxIndices) {
    }

    /**
     * Bags of rows of weight: indices 1-D with offsets (batch entries, or batch + 1 with includeLastOffset), or
     * 2-D (batch, length) without offsets. Mode 0 sum, 1 mean, 2 max; perSampleWeights (sum only) scale each
     * row; entries equal to paddingIdx (negative for none) are left out; an empty bag is zeros. With
     * scaleGradByFreq (sum and mean) each entry's weight gradient is divided by its index's count.
     */
    static Bag embeddingBag(Tensor weight, Tensor indices, Tensor offsets, int mode, Tensor perSampleWeights,
                            boolean includeLastOffset, long paddingIdx, boolean scaleGradByFreq) {
        checkIndices("embedding_bag", indices);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("'weight' must be 2-D, got " + shape(weight.shape));
        }
        NnSupport.requireFloating("embedding_bag", weight);
        NnSupport.checkDevice(weight, indices);
        if (mode < 0 || mode > 2) {
            throw new IllegalArgumentException("mode has to be one of sum, mean or max, got " + mode);
        }
        if (scaleGradByFreq && mode == 2) {
            throw new IllegalArgumentException("max mode does not support scaling the gradient by the frequency");
        }
        if (perSampleWeights != null && mode != 0) {
            throw new IllegalArgumentException("embedding_bag: per_sample_weights was not None. per_sample_weights is "
                    + "only supported for mode='sum' (got mode='" + (mode == 1 ? "mean" : "max") + "'). Please open a "
                    + "feature request on GitHub.");
        }
        Tensor idx;
        Tensor off;
        int batch;
        if (indices.dim() == 2) {
            if (offsets != null) {
                throw new IllegalArgumentException("if input is 2D, then offsets has to be None, as input is "
                        + "treated is a mini-batch of fixed length sequences. However, found offsets of type "
                        + "<class 'torch.Tensor'>");
            }
            batch = indices.shape[0];
            int len = indices.shape[1];
            long[] o = new long[batch + 1];
            for (int b = 0; b <= batch; b++) {
                o[b] = (long) b * len;
            }
            off = Torch.tensor(o, batch + 1).to(weight.device());
            idx = dense(indices).reshape(Numel.of(indices));
            includeLastOffset = true;
        } else if (indices.dim() == 1) {
            if (offsets == null) {
                throw new IllegalArgumentException("offsets has to be a 1D Tensor but got None");
            }
            checkIndices("embedding_bag", offsets);
            if (offsets.dim() != 1) {
                throw new IllegalArgumentException("offsets has to be a 1D Tensor, but got Tensor of dimension "
                        + offsets.dim());
            }
            idx = dense(indices);
            long[] o = offsets.toLongArray();
            int n = indices.size(0);
            if (o.length > 0 && o[0] != 0) {
                throw new IllegalArgumentException("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                        + "has to start from position 0. However, got " + o[0]);
            }
            if (o.length > 0 && o[o.length - 1] > n) {
                throw new IllegalArgumentException("offsets[-1] can not be greater than input's length " + n + " but "
                        + "got offsets[-1] of " + o[o.length - 1]);
            }
            for (int i = 1; i < o.length; i++) {
                if (o[i] < o[i - 1]) {
                    throw new IllegalArgumentException("offsets must be non-decreasing, but offsets[" + i + "] = "
                            + o[i] + " < offsets[" + (i - 1) + "] = " + o[i - 1]);
                }
            }
            batch = includeLastOffset ? Math.max(0, o.length - 1) : o.length;
            long[] full = Arrays.copyOf(o, batch + 1);
            if (!includeLastOffset) {
                full[batch] = n;
            } else if (batch > 0) {
                full[batch] = o[batch];
            }
            off = Torch.tensor(full, batch + 1).to(weight.device());
        } else {
            throw new IllegalArgumentException("input has to be 1D or 2D Tensor, but got Tensor of dimension "
                    + indices.dim());
        }
        if (perSampleWeights != null && !Arrays.equals(perSampleWeights.shape, indices.shape)) {
            throw new IllegalArgumentException("embedding_bag: If per_sample_weights (" + shape(perSampleWeights.shape)
                    + ") is not None, then it must have the same shape as the input (" + shape(indices.shape) + ")");
        }
        if (perSampleWeights != null) {
            NnSupport.sameDtype(weight, perSampleWeights);
        }
        int rows = weight.shape[0], dim = weight.shape[1];
        checkRange(idx, rows);
        if (NnSupport.half(weight.dtype)) {
            Bag b = embeddingBag(weight.to(DType.FLOAT32), indices, offsets, mode, perSampleWeights == null ? null
                    : perSampleWeights.to(DType.FLOAT32), includeLastOffset, paddingIdx, scaleGradByFreq);
            return new Bag(b.output().to(weight.dtype), b.maxIndices());
        }
        Tensor w = dense(weight);
        Tensor psw = perSampleWeights == null ? null : dense(perSampleWeights).reshape(idx.size(0));
        Tensor out = NnSupport.empty(weight, weight.dtype, batch, dim);
        Tensor bagOf = NnSupport.empty(weight, DType.INT64, idx.size(0));
        Tensor bagSize = NnSupport.empty(weight, DType.INT64, batch);
        Tensor maxArg = mode == 2 ? NnSupport.empty(weight, DType.INT64, batch, dim) : null;
        Dispatch.embeddingBag(w, idx, off, psw, mode, paddingIdx, out, bagOf, bagSize, maxArg);
        int[] ws = weight.shape;
        Tensor r = FnNode.record("EmbeddingBagBackward0", out, new Tensor[] {weight, perSampleWeights}, (g, s) -> {
            if (mode == 2) {
                // each (bag, d) sends its gradient to weight[maxArg[bag][d]][d]; empty bags send nothing
                Tensor valid = maxArg.ge(0.0);
                Tensor pos = maxArg.mul(valid.to(DType.INT64)).mul((long) dim).add(Torch.arange(dim).to(g.device()));
                Tensor gv = g.mul(valid.to(g.dtype));
                Tensor gw = g.newEmptyShared(g.dtype, new int[] {rows * dim}).indexAdd(0, pos.reshape(batch * dim),
                        gv.reshape(batch * dim));
                return new Tensor[] {gw.view(ws), null};
            }
            Tensor keep = paddingIdx >= 0 ? idx.ne((double) paddingIdx).to(g.dtype) : null;
            Tensor rowsG = g.indexSelect(0, bagOf);                       // [L, dim]: each entry's bag gradient
            Tensor scale = keep;
            if (mode == 1) {
                Tensor inv = bagSize.to(g.dtype).clampMin(1).reciprocal().indexSelect(0, bagOf);
                scale = scale == null ? inv : scale.mul(inv);
            }
            if (scaleGradByFreq) {
                Tensor counts = g.newEmptyShared(g.dtype, new int[] {rows}).indexAdd(0, idx,
                        g.newOnes(g.dtype, idx.size(0)));
                Tensor inv = counts.indexSelect(0, idx).reciprocal();
                scale = scale == null ? inv : scale.mul(inv);
            }
            Tensor gw = null;
            if (weight.requiresGrad()) {
                Tensor contrib = rowsG;
                Tensor sc = psw == null ? scale : scale == null ? s[0] : scale.mul(s[0]);
                if (sc != null) {
                    contrib = contrib.mul(sc.unsqueeze(1));
                }
                gw = g.newEmptyShared(g.dtype, ws).indexAdd(0, idx, contrib);
            }
            Tensor gp = null;
            if (psw != null && perSampleWeights.requiresGrad()) {
                Tensor dot = rowsG.mul(dense(s[1]).indexSelect(0, idx)).sum(1, false);
                gp = (keep == null ? dot : dot.mul(keep)).view(perSampleWeights.shape);
            }
            return new Tensor[] {gw, gp};
        }, psw, weight);
        return new Bag(r, maxArg);
    }
}
