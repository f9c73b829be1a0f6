package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.EmbeddingBagMode;
import dev.jtorch.nn.functional.F;

/**
 * Sums, means or maxima of bags of embedding rows without building the rows, like
 * {@code torch.nn.EmbeddingBag}.
 *
 * <p>Args: {@code numEmbeddings}, {@code embeddingDim}; through {@link EmbeddingOptions}: {@code maxNorm},
 * {@code normType}, {@code scaleGradByFreq}, {@code mode} (MEAN), {@code sparse} (must be false),
 * {@code includeLastOffset} (false), {@code paddingIdx} (entries left out of their bag), {@code weight},
 * {@code freeze}, {@code dtype}.
 *
 * <p>Shape: input 1-D with offsets (B) (bag b is input[offsets[b] .. offsets[b + 1]]), or 2-D (B, L) without
 * offsets (B bags of L); perSampleWeights like input (SUM only); output (B, embeddingDim), an empty bag
 * giving zeros.
 *
 * <p>Attributes: {@code weight} (numEmbeddings, embeddingDim) from N(0, 1).
 *
 * <p>Example: {@code bag.forward(Torch.tensor(new long[] {1, 2, 4, 5, 4, 3, 2, 9}), Torch.tensor(new long[] {0, 4}))}
 */
public class EmbeddingBag extends EmbeddingBase {
    /** The reduction. */
    public final EmbeddingBagMode mode;
    /** Offsets carry the end of the last bag. */
    public final boolean includeLastOffset;

    /** Mean of each bag. */
    public EmbeddingBag(int numEmbeddings, int embeddingDim) {
        this(options(numEmbeddings, embeddingDim));
    }

    /** With every argument. */
    public EmbeddingBag(EmbeddingOptions options) {
        super(given(options, "EmbeddingBag"));
        this.mode = options.mode;
        this.includeLastOffset = options.includeLastOffset;
    }

    /** The options builder: {@code EmbeddingBag.options(10, 3).mode(EmbeddingBagMode.SUM)}. */
    public static EmbeddingOptions options(int numEmbeddings, int embeddingDim) {
        return new EmbeddingOptions(numEmbeddings, embeddingDim);
    }

    /** {@code EmbeddingBag.from_pretrained}: a layer around the given table (frozen unless freeze is false). */
    public static EmbeddingBag fromPretrained(Tensor embeddings, boolean freeze, EmbeddingOptions rest) {
        if (embeddings.dim() != 2) {
            throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        }
        return new EmbeddingBag(rest.weight(embeddings).freeze(freeze).dtype(embeddings.dtype()));
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null);
    }

    @Override
    public Tensor forward(Tensor input, Tensor offsets) {
        return forward(input, offsets, null);
    }

    /** {@code bag(input, offsets, per_sample_weights)}. */
    @Override
    public Tensor forward(Tensor input, Tensor offsets, Tensor perSampleWeights) {
        return F.embeddingBag(input, attr("weight"), offsets, maxNorm, normType, scaleGradByFreq, mode, false,
                perSampleWeights, includeLastOffset, paddingIdx);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + optionsRepr() + ", mode=" + mode.pytorchName()
                + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
