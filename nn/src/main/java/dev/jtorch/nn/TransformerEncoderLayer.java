package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.util.function.UnaryOperator;

/**
 * A Transformer encoder layer, like {@code torch.nn.TransformerEncoderLayer}: self-attention and a feedforward
 * network, each in a residual block with dropout and a LayerNorm ("Attention Is All You Need"). Post-norm
 * (the default): {@code x = norm1(x + sa(x)); x = norm2(x + ff(x))}; with normFirst:
 * {@code x = x + sa(norm1(x)); x = x + ff(norm2(x))}, where {@code sa(x) = dropout1(self_attn(x, x, x))} and
 * {@code ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))}. Computed with the regular operations in
 * every mode (PyTorch's inference fast path gives the same numbers up to rounding).
 *
 * <p>Args: {@code dModel} (features of the input), {@code nhead} (attention heads), {@code dimFeedforward} (the
 * feedforward network's width, default 2048), {@code dropout} (default 0.1), {@code activation} (relu, the
 * default, gelu, or any function), {@code layerNormEps} (default 1e-5), {@code batchFirst} (inputs as
 * (N, S, E), default false), {@code normFirst} (default false), {@code bias} (biases in the Linear layers,
 * attention and LayerNorms, default true; PyTorch 2.1's argument), {@code dtype}. More than three optional
 * arguments: see {@link #options}.
 *
 * <p>Shape: src (S, N, E) ((N, S, E) with batchFirst, (S, E) unbatched); srcMask (S, S) or (N * nhead, S, S),
 * bool (true: not allowed to attend) or float (added); srcKeyPaddingMask (N, S) ((S) unbatched), bool (true:
 * ignore that key) or float (added); output like src. Masks as current PyTorch (see {@link MultiheadAttention}).
 * {@code isCausal} (PyTorch 2.x) is the hint that srcMask is the causal mask; without a srcMask it applies the
 * causal mask.
 *
 * <p>Attributes: {@code self_attn} ({@link MultiheadAttention}), {@code linear1} (dModel to dimFeedforward),
 * {@code dropout}, {@code linear2} (dimFeedforward to dModel), {@code norm1}, {@code norm2} ({@link LayerNorm}),
 * {@code dropout1}, {@code dropout2}, registered in PyTorch's order with its initialisation, so a state dict
 * saved by PyTorch loads unchanged and a seed gives PyTorch's values.
 *
 * <p>Example:
 * <pre>{@code
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(TransformerEncoderLayer.options(512, 8).batchFirst(true));
 * Tensor y = layer.call(Torch.rand(32, 10, 512));                  // (32, 10, 512)
 * Tensor z = layer.call(src, TransformerEncoderLayer.args().srcKeyPaddingMask(pad).srcMask(mask));
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    /**
     * The optional arguments of a call, with PyTorch's names and defaults (all null or false). Made by
     * {@link TransformerEncoderLayer#args()}.
     */
    public static final class Args {
        Tensor srcMask;
        Tensor srcKeyPaddingMask;
        boolean isCausal;

        Args() {
        }

        /** (S, S) or (N * nhead, S, S): bool (true: not allowed to attend) or float (added); default null. */
        public Args srcMask(Tensor v) {
            srcMask = v;
            return this;
        }

        /** (N, S) or (S): bool (true: ignore that key) or float (added); default null. */
        public Args srcKeyPaddingMask(Tensor v) {
            srcKeyPaddingMask = v;
            return this;
        }

        /** The hint that srcMask is the causal mask; without a srcMask, the causal mask (default false). */
        public Args isCausal(boolean v) {
            isCausal = v;
            return this;
        }
    }

    /** The self-attention. */
    public final MultiheadAttention selfAttn;
    /** The feedforward network's first layer (dModel to dimFeedforward). */
    public final Linear linear1;
    /** Dropout after the activation. */
    public final Dropout dropout;
    /** The feedforward network's second layer (dimFeedforward to dModel). */
    public final Linear linear2;
    /** LayerNorm before (normFirst) or after the blocks. */
    public final boolean normFirst;
    /** The attention block's LayerNorm. */
    public final LayerNorm norm1;
    /** The feedforward block's LayerNorm. */
    public final LayerNorm norm2;
    /** Dropout on the attention block's output. */
    public final Dropout dropout1;
    /** Dropout on the feedforward block's output. */
    public final Dropout dropout2;
    /** The feedforward network's activation. */
    public final UnaryOperator<Tensor> activation;
    private final TransformerLayerOptions options;

    /** PyTorch's defaults otherwise: dimFeedforward 2048, dropout 0.1, relu, post-norm, (S, N, E), float32. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(options(dModel, nhead));
    }

    /** The options builder: {@code TransformerEncoderLayer.options(512, 8).dropout(0.2).normFirst(true)}. */
    public static TransformerLayerOptions options(int dModel, int nhead) {
        return new TransformerLayerOptions(dModel, nhead);
    }

    /** With every argument in PyTorch's order (activation a function: {@code F::relu}, {@code x -> ...}). */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout,
                                   UnaryOperator<Tensor> activation, double layerNormEps, boolean batchFirst,
                                   boolean normFirst, boolean bias, DType dtype) {
        this(options(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout).activation(activation)
                .layerNormEps(layerNormEps).batchFirst(batchFirst).normFirst(normFirst).bias(bias).dtype(dtype));
    }

    /** From options ({@link #options}). */
    public TransformerEncoderLayer(TransformerLayerOptions o) {
        options = TransformerLayerOptions.of(o, "TransformerEncoderLayer").copy();
        selfAttn = registerModule("self_attn", new MultiheadAttention(MultiheadAttention.options(o.dModel, o.nhead)
                .dropout(o.dropout).bias(o.bias).batchFirst(o.batchFirst).dtype(o.dtype)));
        linear1 = registerModule("linear1", new Linear(o.dModel, o.dimFeedforward, o.bias, o.dtype));
        dropout = registerModule("dropout", new Dropout(o.dropout));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, o.dModel, o.bias, o.dtype));
        normFirst = o.normFirst;
        norm1 = registerModule("norm1", layerNorm(o));
        norm2 = registerModule("norm2", layerNorm(o));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout));
        activation = o.activation;
    }

    static LayerNorm layerNorm(TransformerLayerOptions o) {
        return new LayerNorm(LayerNorm.options(o.dModel).eps(o.layerNormEps).bias(o.bias).dtype(o.dtype));
    }

    /**
     * A deep copy ({@code copy.deepcopy}): a layer of the same arguments with copies of this one's parameter
     * values, requires_grad flags and training modes, built without random draws. {@link TransformerEncoder}
     * stacks copies made this way; a subclass with more state overrides it.
     */
    protected TransformerEncoderLayer deepCopy() {
        return TransformerSupport.deepCopy(this, () -> new TransformerEncoderLayer(options));
    }

    /** The optional arguments of {@link #forward(Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /** Without masks: {@code layer(src)}. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, false);
    }

    /** {@code layer(src, src_mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor srcMask) {
        return forward(src, srcMask, null, false);
    }

    /** {@code layer(src, src_mask, src_key_padding_mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return forward(src, srcMask, srcKeyPaddingMask, false);
    }

    /** {@code layer(src, **args)}: {@code layer.forward(src, TransformerEncoderLayer.args().srcMask(m))}. */
    public Tensor forward(Tensor src, Args args) {
        Args a = checked(args);
        return forward(src, a.srcMask, a.srcKeyPaddingMask, a.isCausal);
    }

    /** {@link #forward(Tensor, Args)} through the module's hooks, which see {@code src} (PyTorch's positional input). */
    public Tensor call(Tensor src, Args args) {
        Args a = checked(args);
        return callWith(new Tensor[] {src}, in -> forward(in[0], a.srcMask, a.srcKeyPaddingMask, a.isCausal));
    }

    private static Args checked(Args args) {
        if (args == null) {
            throw new IllegalArgumentException("TransformerEncoderLayer: args must not be null "
                    + "(TransformerEncoderLayer.args() gives PyTorch's defaults)");
        }
        return args;
    }

    /** PyTorch's {@code forward(src, src_mask, src_key_padding_mask, is_causal)}; the masks may be null. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        TransformerSupport.requireInput(src, "TransformerEncoderLayer", "src");
        TransformerSupport.checkMaskDtype(srcKeyPaddingMask, "src_key_padding_mask");
        TransformerSupport.checkMaskDtype(srcMask, "src_mask");
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.call(x), srcMask, srcKeyPaddingMask, isCausal));
            x = x.add(feedForwardBlock(norm2.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
            x = norm2.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor attnMask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.call(attend(selfAttn, x, x, attnMask, keyPaddingMask, isCausal));
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.call(linear2.call(dropout.call(activation.apply(linear1.call(x)))));
    }

    /** {@code mha(q, kv, kv, attn_mask=m, key_padding_mask=k, need_weights=False, is_causal=c)[0]}, with hooks. */
    static Tensor attend(MultiheadAttention mha, Tensor q, Tensor kv, Tensor attnMask, Tensor keyPaddingMask,
                         boolean isCausal) {
        return mha.callWith(new Tensor[] {q, kv, kv}, in -> mha.forward(in[0], in[1], in[2], keyPaddingMask, false,
                attnMask, true, isCausal).attnOutput());
    }
}
