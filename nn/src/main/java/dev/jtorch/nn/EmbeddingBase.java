package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.init.Init;

import java.util.Arrays;

/**
 * The table {@link Embedding} and {@link EmbeddingBag} share: N(0, 1) rows (the padding row zero), or a given
 * table; padding_idx, max_norm and the gradient options; sparse gradients refused.
 */
public abstract class EmbeddingBase extends Module {
    /** Rows of the table. */
    public final int numEmbeddings;
    /** Row length. */
    public final int embeddingDim;
    /** The padding row (non-negative), or null. */
    public final Long paddingIdx;
    /** Renormalisation bound, or null. */
    public final Double maxNorm;
    /** The p of maxNorm. */
    public final double normType;
    /** Gradients scaled by index frequency. */
    public final boolean scaleGradByFreq;
    /** Always false (sparse gradients are refused). */
    public final boolean sparse;
    /** The table (numEmbeddings, embeddingDim). */
    public final Parameter weight;

    EmbeddingBase(EmbeddingOptions o) {
        if (o.sparse) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + "(sparse=True) asks for sparse "
                    + "gradients, which jtorch does not have: use sparse=False (dense gradients, the same values)");
        }
        this.numEmbeddings = o.numEmbeddings;
        this.embeddingDim = o.embeddingDim;
        Long pad = o.paddingIdx;
        if (pad != null) {
            if (pad > 0 && pad >= numEmbeddings || pad < 0 && pad < -numEmbeddings) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            }
            if (pad < 0) {
                pad = numEmbeddings + pad;
            }
        }
        this.paddingIdx = pad;
        this.maxNorm = o.maxNorm;
        this.normType = o.normType;
        this.scaleGradByFreq = o.scaleGradByFreq;
        this.sparse = false;
        if (o.weight == null) {
            this.weight = registerParameter("weight", new Parameter(Torch.empty(o.dtype, numEmbeddings, embeddingDim)));
            resetParameters();
        } else {
            if (!Arrays.equals(o.weight.shape(), new int[] {numEmbeddings, embeddingDim})) {
                throw new IllegalArgumentException("Shape of weight does not match num_embeddings and embedding_dim");
            }
            Parameter p = new Parameter(o.weight.detach());
            p.requiresGrad_(!o.freeze);
            this.weight = registerParameter("weight", p);
        }
    }

    /** Rows from N(0, 1), then the padding row to zeros. */
    public void resetParameters() {
        Init.normal_(weight, 0, 1);
        if (paddingIdx != null) {
            try (var _ = Autograd.noGrad()) {
                Tensor.fromStorage(weight.storage(), weight.shape(), weight.stride(), weight.storageOffset())
                        .select(0, (int) (long) paddingIdx).fill_(0);
            }
        }
    }

    /** The options' repr fields after num and dim, in PyTorch's order. */
    String optionsRepr() {
        StringBuilder s = new StringBuilder();
        if (paddingIdx != null && !(this instanceof EmbeddingBag)) {
            s.append(", padding_idx=").append(paddingIdx);
        }
        if (maxNorm != null) {
            s.append(", max_norm=").append(Repr.num(maxNorm));
        }
        if (normType != 2) {
            s.append(", norm_type=").append(Repr.num(normType));
        }
        if (scaleGradByFreq) {
            s.append(", scale_grad_by_freq=True");
        }
        return s.toString();
    }
}
