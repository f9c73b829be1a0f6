package dev.jtorch;

/**
 * The heavy primitives under torch.nn as engine operations with backward rules: convolution, unfold/fold,
 * pooling, normalization, embeddings and the fused recurrent layer (PyTorch's {@code aten::convolution},
 * {@code max_pool2d_with_indices}, {@code native_batch_norm}, {@code embedding_bag}, {@code _cudnn_rnn} and
 * their siblings). Each runs as backend ops
 * ({@link dev.jtorch.backend.Op#CONV}, {@code MAX_POOL}, {@code NORM_MOMENTS}, ...), so a layer built on
 * these runs on any backend. {@code dev.jtorch.nn.functional.F} is the user-facing API over them: it expands
 * scalar arguments, handles unbatched inputs and padding modes, and checks module-level arguments.
 *
 * <p>Shapes follow PyTorch: inputs (N, C, *spatial) with 1 to 3 spatial dims (pooling also takes unbatched
 * (C, *spatial)); per-dimension arguments are arrays with one entry per spatial dim. Errors carry PyTorch's
 * messages.
 *
 * <p>Example:
 * <pre>{@code
 * Tensor y = NnOps.convolution(x, w, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false,
 *         new int[] {0, 0}, 1);
 * Tensor[] pooled = NnOps.maxPool(y, 2, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
 *         new int[] {1, 1}, false, true);   // values and indices
 * }</pre>
 */
public final class NnOps {
    private NnOps() {
    }

    /**
     * Convolution or transposed convolution with zero padding (aten::convolution). Weight (out, in / groups,
     * *kernel), or (in, out / groups, *kernel) when transposed; bias (out) or null.
     */
    public static Tensor convolution(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                     int[] dilation, boolean transposed, int[] outputPadding, int groups) {
        return ConvOps.convolution(input, weight, bias, stride, padding, dilation, transposed, outputPadding, groups);
    }

    /** The sliding blocks of a (N, C, H, W) or (C, H, W) input as columns (N, C * kH * kW, L): {@code F.unfold}. */
    public static Tensor im2col(Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return ConvOps.im2col(input, kernelSize, dilation, padding, stride);
    }

    /** Sums sliding blocks (N, C * kH * kW, L) back into (N, C, outputSize): {@code F.fold}. */
    public static Tensor col2im(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding,
                                int[] stride) {
        return ConvOps.col2im(input, outputSize, kernelSize, dilation, padding, stride);
    }

    /**
     * Max pooling over {@code nd} spatial dims; returns {values, indices} (indices null unless asked for), the
     * indices being positions in each flattened input plane.
     */
    public static Tensor[] maxPool(Tensor input, int nd, int[] kernelSize, int[] stride, int[] padding,
                                   int[] dilation, boolean ceilMode, boolean returnIndices) {
        return PoolOps.maxPool(input, nd, kernelSize, stride, padding, dilation, ceilMode, returnIndices);
    }

    /** Average pooling; divisorOverride null for PyTorch's divisors (count_include_pad decides). */
    public static Tensor avgPool(Tensor input, int nd, int[] kernelSize, int[] stride, int[] padding,
                                 boolean ceilMode, boolean countIncludePad, Integer divisorOverride) {
        return PoolOps.avgPool(input, nd, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** Adaptive average pooling to outputSize (one entry per spatial dim). */
    public static Tensor adaptiveAvgPool(Tensor input, int[] outputSize) {
        return PoolOps.adaptiveAvgPool(input, outputSize);
    }

    /** Adaptive max pooling; returns {values, indices} (indices null unless asked for). */
    public static Tensor[] adaptiveMaxPool(Tensor input, int[] outputSize, boolean returnIndices) {
        return PoolOps.adaptiveMaxPool(input, outputSize, returnIndices);
    }

    /**
     * Fractional max pooling (2 or 3 spatial dims) with PyTorch's interval sequences from {@code samples}
     * (N, C, nd) uniform in [0, 1) of the input's dtype; returns {values, indices}.
     */
    public static Tensor[] fractionalMaxPool(Tensor input, int[] kernelSize, int[] outputSize, Tensor samples,
                                             boolean returnIndices) {
        return PoolOps.fractionalMaxPool(input, kernelSize, outputSize, samples, returnIndices);
    }

    /** Max unpooling: zeros of outputSize with each input value written at its index. */
    public static Tensor maxUnpool(Tensor input, Tensor indices, int[] outputSize) {
        return PoolOps.maxUnpool(input, indices, outputSize);
    }

    /**
     * Batch normalization (aten::batch_norm) over dim 1 of (N, C, *). In training, or without running
     * statistics, the batch statistics normalise, and given running statistics are updated in place:
     * {@code running = (1 - momentum) * running + momentum * batch} (the variance unbiased).
     */
    public static Tensor batchNorm(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   boolean training, double momentum, double eps) {
        return NormOps.batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    /** Layer normalization over the trailing normalizedShape dims; weight and bias of that shape or null. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return NormOps.layerNorm(input, normalizedShape, weight, bias, eps, true);
    }

    /** RMS normalization: {@code x / sqrt(mean(x^2) + eps) * weight} over the trailing normalizedShape dims. */
    public static Tensor rmsNorm(Tensor input, int[] normalizedShape, Tensor weight, double eps) {
        return NormOps.layerNorm(input, normalizedShape, weight, null, eps, false);
    }

    /** Group normalization of (N, C, *) in numGroups groups of channels; weight and bias (C) or null. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return NormOps.groupNorm(input, numGroups, weight, bias, eps);
    }

    /**
     * Rows of weight (num, dim) at int64 indices: shape indices.shape + [dim]. The weight gradient leaves out
     * paddingIdx (negative for none) and, with scaleGradByFreq, divides by each index's count in the batch.
     */
    public static Tensor embedding(Tensor weight, Tensor indices, long paddingIdx, boolean scaleGradByFreq) {
        return EmbeddingOps.embedding(weight, indices, paddingIdx, scaleGradByFreq);
    }

    /** Scales in place the rows that indices name whose normType-norm exceeds maxNorm (embedding_renorm_). */
    public static Tensor embeddingRenorm_(Tensor weight, Tensor indices, double maxNorm, double normType) {
        return EmbeddingOps.embeddingRenorm_(weight, indices, maxNorm, normType);
    }

    /**
     * Sums (mode 0), means (1) or maxima (2) of bags of embedding rows; returns {output, maxIndices} (the
     * weight row of each maximum, -1 for an empty bag; null unless mode 2). With scaleGradByFreq (sum and mean)
     * the weight gradient of each entry is divided by its index's count in the batch.
     */
    public static Tensor[] embeddingBag(Tensor weight, Tensor indices, Tensor offsets, int mode,
                                        Tensor perSampleWeights, boolean includeLastOffset, long paddingIdx,
                                        boolean scaleGradByFreq) {
        EmbeddingOps.Bag b = EmbeddingOps.embeddingBag(weight, indices, offsets, mode, perSampleWeights,
                includeLastOffset, paddingIdx, scaleGradByFreq);
        return new Tensor[] {b.output(), b.maxIndices()};
    }

    /**
     * The per-sample CTC loss [N] (aten::_ctc_loss) of {@code logProbs} [T, N, C] (log_softmax outputs) against
     * int64 {@code targets}, sample b's labels starting at {@code targetOffsets[b]} (padded or concatenated
     * targets), with its backward (PyTorch's gradient for log_softmax outputs). Lengths must already be
     * validated; {@code zeroInfinity} turns an impossible sample's infinite loss and its gradient into 0.
     */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths,
                                 int[] targetOffsets, int blank, boolean zeroInfinity) {
        return CtcOps.ctcLoss(logProbs, targets, inputLengths, targetLengths, targetOffsets, blank, zeroInfinity);
    }

    /**
     * One recurrent layer in one direction over packed rows, the fused primitive under {@code torch.nn.RNN},
     * {@code LSTM} and {@code GRU} ({@link dev.jtorch.backend.Op#RNN_LAYER_FORWARD} and its backward, one graph
     * node with three outputs). Rows are in packed order: step t holds {@code batchSizes[t]} rows
     * (non-increasing; at least one step), so a padded batch of B sequences is the case of equal batch sizes and
     * each sequence's final state is its row at its own last step. {@code reverse} runs the steps last to first.
     *
     * <p>Shapes, with G = {@code mode.gates()}, H the hidden size, P the projection size (or H): input (N, In)
     * with N the sum of the batch sizes; weights {@code wIh} (G H, In), {@code wHh} (G H, P), biases (G H) both
     * or neither, {@code wHr} (P, H) for an LSTM with a projection, else null; h0 (B, P) and, for LSTM only,
     * c0 (B, H), with B = batchSizes[0]. All of one floating dtype (float32 or float64) and device.
     *
     * @return {output (N, P), h_n (B, P), c_n (B, H) or null}
     */
    public static Tensor[] rnnLayer(RnnMode mode, Tensor input, long[] batchSizes, boolean reverse, Tensor wIh,
                                    Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr, Tensor h0, Tensor c0) {
        return RnnOps.layer(mode, input, batchSizes, reverse, wIh, wHh, bIh, bHh, wHr, h0, c0);
    }

    /**
     * {@code input @ weight^T + bias} ({@code F.linear}; bias may be null): input (*, in), weight (out, in), bias
     * (out) -&gt; (*, out). In inference with a parameter as the weight the backend keeps the weight prepared across
     * calls (the CPU: its packed GEMM panels, repacked when the weight changes); otherwise addmm / matmul.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return LinalgOps.linear(input, weight, bias);
    }

    /**
     * Scaled dot-product attention (PyTorch 2's {@code scaled_dot_product_attention}) as one fused op
     * ({@link dev.jtorch.backend.Op#ATTENTION} and its backward, FlashAttention-2's tiling with an online
     * softmax): {@code softmax(q k^T * scale + mask) v}, without an L x S matrix in inference.
     *
     * <p>Shapes: query (N..., L, E), key (N..., S, E), value (N..., S, Ev) -&gt; (N..., L, Ev); the batch dims
     * broadcast. {@code attnMask} (or null) broadcasts to (N..., L, S): bool (true takes part) or float (added;
     * float32 or the query's dtype, and differentiable). {@code isCausal} masks key j &gt; query i (top-left
     * aligned; not with a mask). {@code scale} null means 1 / sqrt(E). With {@code dropoutP} &gt; 0 the
     * probabilities are multiplied by the keep mask {@code F.dropout} would draw for the attention weights
     * (same generator, same order), scaled by 1 / (1 - p). A query row whose scores are all -inf gives zeros
     * and no gradient (PyTorch 2.5+'s {@code _safe_softmax}). Errors carry PyTorch's messages.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask,
                                                   double dropoutP, boolean isCausal, Double scale) {
        return AttentionOps.attention(query, key, value, attnMask, dropoutP, isCausal, scale);
    }
}
