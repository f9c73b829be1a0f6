package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.init.Init;

/**
 * Multi-head attention, like {@code torch.nn.MultiheadAttention}: {@code MultiHead(Q, K, V) = Concat(head_1, ...,
 * head_h) W^O} with {@code head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)} and {@code Attention(q, k, v) =
 * softmax(q k^T / sqrt(headDim) + mask) v}, as PyTorch's {@code F.multi_head_attention_forward}.
 *
 * <p>Args: {@code embedDim} (the model's width, split across the heads), {@code numHeads} (parallel heads; each
 * has headDim = embedDim / numHeads), {@code dropout} (on the attention weights, training only, default 0),
 * {@code bias} (biases on the input and output projections, default true), {@code addBiasKv} (learnable biases
 * appended to the key and value sequences, default false), {@code addZeroAttn} (a zero step appended to the
 * projected key and value sequences, default false), {@code kdim}, {@code vdim} (features of the key and value,
 * default null: embedDim), {@code batchFirst} (inputs and output as (N, L, E), default false: (L, N, E)),
 * {@code dtype} (default float32). More than three optional arguments: see {@link #options}.
 *
 * <p>Shape: query (L, N, E) ((N, L, E) with batchFirst, (L, E) unbatched), key (S, N, kdim), value (S, N, vdim);
 * keyPaddingMask (N, S) ((S) unbatched), bool (true: ignore that key) or float (added); attnMask (L, S) or
 * (N * numHeads, L, S), bool (true: not allowed to attend) or float (added); output (L, N, E) like the query;
 * weights (N, L, S) averaged over the heads or (N, numHeads, L, S) per head ((L, S) and (numHeads, L, S)
 * unbatched). As current PyTorch, a bool mask becomes a float mask (0 and -inf) and the two masks are added, so
 * a float key padding mask combines with any attnMask (PyTorch 1.13 failed or misread some combinations).
 * {@code isCausal} is PyTorch 2.x's hint that attnMask is the causal mask; without an attnMask it makes the
 * causal mask (query i attends to keys j &lt;= i), where PyTorch 2.x refuses the call.
 *
 * <p>Attributes: {@code in_proj_weight} (3 embedDim, embedDim) when kdim == vdim == embedDim, else
 * {@code q_proj_weight} (embedDim, embedDim), {@code k_proj_weight} (embedDim, kdim), {@code v_proj_weight}
 * (embedDim, vdim), from xavier_uniform_; {@code in_proj_bias} (3 embedDim) zeros; {@code out_proj} a
 * {@link NonDynamicallyQuantizableLinear} (embedDim, embedDim) with Linear's initialisation but a zero bias;
 * {@code bias_k}, {@code bias_v} (1, 1, embedDim) from xavier_normal_. PyTorch's names, shapes and draw order: a
 * state dict saved by PyTorch loads unchanged, and after the same manual seed the values are PyTorch's.
 *
 * <p>Example:
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(MultiheadAttention.options(16, 4).batchFirst(true));
 * Tensor x = Torch.randn(2, 5, 16);
 * MultiheadAttention.Output o = mha.run(x, x, x);        // o.attnOutput() (2, 5, 16), o.attnOutputWeights() (2, 5, 5)
 * Tensor y = mha.run(x, x, x, MultiheadAttention.args().keyPaddingMask(pad).needWeights(false)).attnOutput();
 * Tensor z = mha.call(x, x, x);                         // the output alone, through the module's hooks
 * }</pre>
 */
public class MultiheadAttention extends Module {
    /**
     * PyTorch's {@code (attn_output, attn_output_weights)}; the weights are null when not asked for
     * ({@code needWeights} false).
     */
    public record Output(Tensor attnOutput, Tensor attnOutputWeights) {
    }

    /**
     * The optional arguments of a call, with PyTorch's names and defaults: {@code keyPaddingMask} null,
     * {@code needWeights} true, {@code attnMask} null, {@code averageAttnWeights} true, {@code isCausal} false.
     * Made by {@link MultiheadAttention#args()}, read by
     * {@link MultiheadAttention#run(Tensor, Tensor, Tensor, Args)}.
     */
    public static final class Args {
        Tensor keyPaddingMask;
        boolean needWeights = true;
        Tensor attnMask;
        boolean averageAttnWeights = true;
        boolean isCausal;

        Args() {
        }

        /** Keys to ignore, (N, S) or (S): bool (true: ignore) or float (added to the scores); default null. */
        public Args keyPaddingMask(Tensor v) {
            keyPaddingMask = v;
            return this;
        }

        /** Whether to return the attention weights (default true). */
        public Args needWeights(boolean v) {
            needWeights = v;
            return this;
        }

        /** (L, S) or (N * numHeads, L, S): bool (true: not allowed) or float (added); default null. */
        public Args attnMask(Tensor v) {
            attnMask = v;
            return this;
        }

        /** Weights averaged over the heads (default true) or per head. */
        public Args averageAttnWeights(boolean v) {
            averageAttnWeights = v;
            return this;
        }

        /** The hint that attnMask is the causal mask; without an attnMask, the causal mask (default false). */
        public Args isCausal(boolean v) {
            isCausal = v;
            return this;
        }
    }

    /** The model's width. */
    public final int embedDim;
    /** Features of the key. */
    public final int kdim;
    /** Features of the value. */
    public final int vdim;
    /** Whether kdim == vdim == embedDim: one packed in_proj_weight instead of three ({@code _qkv_same_embed_dim}). */
    public final boolean qkvSameEmbedDim;
    /** Parallel attention heads. */
    public final int numHeads;
    /** Features per head: embedDim / numHeads. */
    public final int headDim;
    /** Dropout probability on the attention weights (training only). */
    public final double dropout;
    /** Inputs and output are (batch, seq, feature). */
    public final boolean batchFirst;
    /** Whether a zero step is appended to the projected key and value. */
    public final boolean addZeroAttn;
    /** The packed q|k|v projection (3 embedDim, embedDim), or null with separate weights. */
    public final Parameter inProjWeight;
    /** The query projection (embedDim, embedDim), or null with the packed weight. */
    public final Parameter qProjWeight;
    /** The key projection (embedDim, kdim), or null with the packed weight. */
    public final Parameter kProjWeight;
    /** The value projection (embedDim, vdim), or null with the packed weight. */
    public final Parameter vProjWeight;
    /** The q|k|v projection bias (3 embedDim), or null without bias. */
    public final Parameter inProjBias;
    /** The output projection. */
    public final NonDynamicallyQuantizableLinear outProj;
    /** The bias appended to the key sequence (1, 1, embedDim), or null. */
    public final Parameter biasK;
    /** The bias appended to the value sequence (1, 1, embedDim), or null. */
    public final Parameter biasV;

    /** Defaults otherwise: no dropout, biases, kdim = vdim = embedDim, (L, N, E) inputs, float32. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0.0, true, false, false, null, null, false, DType.FLOAT32);
    }

    /** The options builder: {@code MultiheadAttention.options(512, 8).dropout(0.1).batchFirst(true)}. */
    public static MultiheadAttentionOptions options(int embedDim, int numHeads) {
        return new MultiheadAttentionOptions(embedDim, numHeads);
    }

    /** From options ({@link #options}). */
    public MultiheadAttention(MultiheadAttentionOptions o) {
        this(MultiheadAttentionOptions.of(o).embedDim, o.numHeads, o.dropout, o.bias, o.addBiasKv, o.addZeroAttn,
                o.kdim, o.vdim, o.batchFirst, o.dtype);
    }

    /** With every argument in PyTorch's order; kdim and vdim null for embedDim. */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean addBiasKv,
                              boolean addZeroAttn, Integer kdim, Integer vdim, boolean batchFirst, DType dtype) {
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("embed_dim and num_heads must be greater than 0, got embed_dim="
                    + embedDim + " and num_heads=" + numHeads + " instead");
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim must be divisible by num_heads, got embed_dim=" + embedDim
                    + " and num_heads=" + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropout);
        }
        if ((kdim != null && kdim < 0) || (vdim != null && vdim < 0)) {
            throw new IllegalArgumentException("MultiheadAttention: kdim and vdim must be non-negative, got kdim="
                    + kdim + " and vdim=" + vdim);
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("MultiheadAttention: dtype must be a floating point dtype, got "
                    + dtype);
        }
        this.embedDim = embedDim;
        this.kdim = kdim != null ? kdim : embedDim;
        this.vdim = vdim != null ? vdim : embedDim;
        this.qkvSameEmbedDim = this.kdim == embedDim && this.vdim == embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.headDim = embedDim / numHeads;
        this.addZeroAttn = addZeroAttn;
        // PyTorch's registration order, which is its state dict order (own parameters, then out_proj)
        if (!qkvSameEmbedDim) {
            qProjWeight = registerParameter("q_proj_weight", param(dtype, embedDim, embedDim));
            kProjWeight = registerParameter("k_proj_weight", param(dtype, embedDim, this.kdim));
            vProjWeight = registerParameter("v_proj_weight", param(dtype, embedDim, this.vdim));
            inProjWeight = registerParameter("in_proj_weight", null);
        } else {
            inProjWeight = registerParameter("in_proj_weight", param(dtype, 3 * embedDim, embedDim));
            qProjWeight = registerParameter("q_proj_weight", null);
            kProjWeight = registerParameter("k_proj_weight", null);
            vProjWeight = registerParameter("v_proj_weight", null);
        }
        inProjBias = registerParameter("in_proj_bias", bias ? param(dtype, 3 * embedDim) : null);
        // out_proj draws Linear's default initialisation here, before _reset_parameters, as in PyTorch
        outProj = registerModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias, dtype));
        biasK = registerParameter("bias_k", addBiasKv ? param(dtype, 1, 1, embedDim) : null);
        biasV = registerParameter("bias_v", addBiasKv ? param(dtype, 1, 1, embedDim) : null);
        resetParameters();
    }

    private static Parameter param(DType dtype, int... shape) {
        return new Parameter(Torch.empty(dtype, shape));
    }

    /**
     * PyTorch's {@code _reset_parameters}: xavier_uniform_ on the input projection weight(s), zeros on
     * in_proj_bias and out_proj.bias, xavier_normal_ on bias_k and bias_v, in that order. out_proj.weight keeps
     * the draw Linear's constructor made.
     */
    public void resetParameters() {
        if (qkvSameEmbedDim) {
            Init.xavierUniform_(inProjWeight, 1.0);
        } else {
            Init.xavierUniform_(qProjWeight, 1.0);
            Init.xavierUniform_(kProjWeight, 1.0);
            Init.xavierUniform_(vProjWeight, 1.0);
        }
        if (inProjBias != null) {
            Init.constant_(inProjBias, 0.0);
            Init.constant_(outProj.bias, 0.0);
        }
        if (biasK != null) {
            Init.xavierNormal_(biasK, 1.0);
        }
        if (biasV != null) {
            Init.xavierNormal_(biasV, 1.0);
        }
    }

    /** The optional arguments of {@link #run(Tensor, Tensor, Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /**
     * {@code attn_output, attn_output_weights = mha(query, key, value)}: PyTorch's defaults (no masks, weights
     * averaged over the heads).
     */
    public Output run(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true, false);
    }

    /**
     * {@code mha(query, key, value, **args)}: {@code mha.run(q, k, v, MultiheadAttention.args().needWeights(false))}.
     */
    public Output run(Tensor query, Tensor key, Tensor value, Args args) {
        if (args == null) {
            throw new IllegalArgumentException("MultiheadAttention.run: args must not be null "
                    + "(MultiheadAttention.args() gives PyTorch's defaults)");
        }
        return forward(query, key, value, args.keyPaddingMask, args.needWeights, args.attnMask,
                args.averageAttnWeights, args.isCausal);
    }

    /**
     * PyTorch's {@code forward} with every argument in its order: keyPaddingMask and attnMask may be null; the
     * weights in the result are null when needWeights is false.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                          Tensor attnMask, boolean averageAttnWeights, boolean isCausal) {
        return MultiheadAttentionForward.forward(this, query, key, value, keyPaddingMask, needWeights, attnMask,
                averageAttnWeights, isCausal);
    }

    /**
     * The attention output alone ({@code mha(q, k, v)[0]}, without computing the weights), so that
     * {@code mha.call(q, k, v)} runs the module's hooks.
     */
    @Override
    public Tensor forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, false, null, true, false).attnOutput();
    }
}
