package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * A lookup table of fixed-size rows, like {@code torch.nn.Embedding}: the rows at the given int64 indices.
 *
 * <p>Args: {@code numEmbeddings}, {@code embeddingDim}; through {@link EmbeddingOptions}: {@code paddingIdx}
 * (its row starts at zeros and gets no gradient), {@code maxNorm} (looked-up rows with a larger norm are
 * rescaled in place), {@code normType} (2), {@code scaleGradByFreq} (false), {@code sparse} (must be false:
 * dense gradients only), {@code weight}/{@code freeze} (a given table), {@code dtype}. See also
 * {@link #fromPretrained}.
 *
 * <p>Shape: input (*) int64; output (*, embeddingDim).
 *
 * <p>Attributes: {@code weight} (numEmbeddings, embeddingDim) from N(0, 1).
 *
 * <p>Example: {@code new Embedding(10, 3).call(Torch.tensor(new long[] {1, 2, 4, 5}, 2, 2))  // (2, 2, 3)}
 */
public class Embedding extends EmbeddingBase {
    /** No padding row, no max norm. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(options(numEmbeddings, embeddingDim));
    }

    /** With every argument. */
    public Embedding(EmbeddingOptions options) {
        super(given(options, "Embedding"));
    }

    /** The options builder: {@code Embedding.options(10000, 256).paddingIdx(0L)}. */
    public static EmbeddingOptions options(int numEmbeddings, int embeddingDim) {
        return new EmbeddingOptions(numEmbeddings, embeddingDim);
    }

    /**
     * {@code Embedding.from_pretrained}: a layer around the given 2-D table, frozen (no gradient) unless
     * freeze is false.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Long paddingIdx, Double maxNorm,
                                           double normType, boolean scaleGradByFreq, boolean sparse) {
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        }
        return new Embedding(options(embeddings.size(0), embeddings.size(1)).weight(embeddings).freeze(freeze)
                .paddingIdx(paddingIdx).maxNorm(maxNorm).normType(normType).scaleGradByFreq(scaleGradByFreq)
                .sparse(sparse).dtype(embeddings.dtype()));
    }

    /** {@code Embedding.from_pretrained(embeddings)}: frozen, no padding row. */
    public static Embedding fromPretrained(Tensor embeddings) {
        return fromPretrained(embeddings, true, null, null, 2, false, false);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.embedding(input, attr("weight"), paddingIdx, maxNorm, normType, scaleGradByFreq, false);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + optionsRepr();
    }
}
