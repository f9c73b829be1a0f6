package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.EmbeddingBagMode;

/**
 * The arguments of {@link Embedding} and {@link EmbeddingBag} with PyTorch's names and defaults:
 * {@code paddingIdx} (none), {@code maxNorm} (none), {@code normType} (2), {@code scaleGradByFreq} (false),
 * {@code sparse} (false; true is refused: jtorch has dense gradients only), {@code weight} (PyTorch's
 * {@code _weight}: a given table instead of N(0, 1) draws), {@code freeze} ({@code _freeze}), and for
 * EmbeddingBag {@code mode} (MEAN) and {@code includeLastOffset} (false); {@code dtype} (float32).
 *
 * <p>Example: {@code new Embedding(Embedding.options(10000, 256).paddingIdx(0L))}.
 */
public final class EmbeddingOptions {
    final int numEmbeddings;
    final int embeddingDim;
    Long paddingIdx;
    Double maxNorm;
    double normType = 2.0;
    boolean scaleGradByFreq;
    boolean sparse;
    Tensor weight;
    boolean freeze;
    EmbeddingBagMode mode = EmbeddingBagMode.MEAN;
    boolean includeLastOffset;
    DType dtype = DType.FLOAT32;

    /** The table's size: rows and row length. */
    public EmbeddingOptions(int numEmbeddings, int embeddingDim) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
    }

    /** A row that gets no gradient and starts at zeros (negative counts from the end; null for none). */
    public EmbeddingOptions paddingIdx(Long v) {
        paddingIdx = v;
        return this;
    }

    /** Rows looked up with a larger norm are rescaled in place to this norm (null for none). */
    public EmbeddingOptions maxNorm(Double v) {
        maxNorm = v;
        return this;
    }

    /** The p of maxNorm's norm (default 2). */
    public EmbeddingOptions normType(double v) {
        normType = v;
        return this;
    }

    /** Divide each row's gradient by its index's count in the batch (default false). */
    public EmbeddingOptions scaleGradByFreq(boolean v) {
        scaleGradByFreq = v;
        return this;
    }

    /** Sparse gradients: not supported (dense gradients only); true fails at construction. */
    public EmbeddingOptions sparse(boolean v) {
        sparse = v;
        return this;
    }

    /** A given table (numEmbeddings, embeddingDim) instead of random draws (PyTorch's _weight). */
    public EmbeddingOptions weight(Tensor v) {
        weight = v;
        return this;
    }

    /** With a given table: whether it is frozen (no gradient; PyTorch's _freeze). */
    public EmbeddingOptions freeze(boolean v) {
        freeze = v;
        return this;
    }

    /** EmbeddingBag's reduction: SUM, MEAN (default) or MAX. */
    public EmbeddingOptions mode(EmbeddingBagMode v) {
        mode = v;
        return this;
    }

    /** EmbeddingBag: offsets has one more entry, the end of the last bag (default false). */
    public EmbeddingOptions includeLastOffset(boolean v) {
        includeLastOffset = v;
        return this;
    }

    /** The table's dtype (default float32). */
    public EmbeddingOptions dtype(DType v) {
        dtype = v;
        return this;
    }
}
