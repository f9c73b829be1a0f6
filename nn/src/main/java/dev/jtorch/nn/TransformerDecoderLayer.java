package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.util.function.UnaryOperator;

/**
 * A Transformer decoder layer, like {@code torch.nn.TransformerDecoderLayer}: self-attention, attention over the
 * encoder's output (memory) and a feedforward network, each in a residual block with dropout and a LayerNorm.
 * Post-norm (the default): {@code x = norm1(x + sa(x)); x = norm2(x + mha(x, mem)); x = norm3(x + ff(x))}; with
 * normFirst: {@code x = x + sa(norm1(x)); x = x + mha(norm2(x), mem); x = x + ff(norm3(x))}, where
 * {@code sa(x) = dropout1(self_attn(x, x, x))}, {@code mha(x, mem) = dropout2(multihead_attn(x, mem, mem))} and
 * {@code ff(x) = dropout3(linear2(dropout(activation(linear1(x)))))}.
 *
 * <p>Args: as {@link TransformerEncoderLayer}: {@code dModel}, {@code nhead}, {@code dimFeedforward} (2048),
 * {@code dropout} (0.1), {@code activation} (relu), {@code layerNormEps} (1e-5), {@code batchFirst} (false),
 * {@code normFirst} (false), {@code bias} (true), {@code dtype}; see {@link #options}.
 *
 * <p>Shape: tgt (T, N, E) ((N, T, E) with batchFirst, (T, E) unbatched); memory (S, N, E) likewise; tgtMask
 * (T, T) or (N * nhead, T, T); memoryMask (T, S) or (N * nhead, T, S); tgtKeyPaddingMask (N, T) ((T)
 * unbatched); memoryKeyPaddingMask (N, S) ((S) unbatched); masks bool (true: not allowed) or float (added), as
 * current PyTorch; output like tgt. {@code tgtIsCausal} and {@code memoryIsCausal} (PyTorch 2.x) are the hints
 * that tgtMask and memoryMask are causal; without the mask they apply the causal mask.
 *
 * <p>Attributes: {@code self_attn}, {@code multihead_attn} ({@link MultiheadAttention}), {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code norm3}, {@code dropout1},
 * {@code dropout2}, {@code dropout3}, in PyTorch's order with its initialisation.
 *
 * <p>Example:
 * <pre>{@code
 * TransformerDecoderLayer layer = new TransformerDecoderLayer(512, 8);
 * Tensor out = layer.call(Torch.rand(20, 32, 512), Torch.rand(10, 32, 512));   // (20, 32, 512)
 * Tensor causal = layer.call(tgt, memory, TransformerDecoderLayer.args()
 *         .tgtMask(Transformer.generateSquareSubsequentMask(20)).tgtIsCausal(true));
 * }</pre>
 */
public class TransformerDecoderLayer extends Module {
    /**
     * The optional arguments of a call, with PyTorch's names and defaults (all null or false). Made by
     * {@link TransformerDecoderLayer#args()}.
     */
    public static final class Args {
        Tensor tgtMask;
        Tensor memoryMask;
        Tensor tgtKeyPaddingMask;
        Tensor memoryKeyPaddingMask;
        boolean tgtIsCausal;
        boolean memoryIsCausal;

        Args() {
        }

        /** (T, T) or (N * nhead, T, T): bool (true: not allowed) or float (added); default null. */
        public Args tgtMask(Tensor v) {
            tgtMask = v;
            return this;
        }

        /** (T, S) or (N * nhead, T, S): bool (true: not allowed) or float (added); default null. */
        public Args memoryMask(Tensor v) {
            memoryMask = v;
            return this;
        }

        /** (N, T) or (T): bool (true: ignore that key) or float (added); default null. */
        public Args tgtKeyPaddingMask(Tensor v) {
            tgtKeyPaddingMask = v;
            return this;
        }

        /** (N, S) or (S): bool (true: ignore that key) or float (added); default null. */
        public Args memoryKeyPaddingMask(Tensor v) {
            memoryKeyPaddingMask = v;
            return this;
        }

        /** The hint that tgtMask is causal; without a tgtMask, the causal mask (default false). */
        public Args tgtIsCausal(boolean v) {
            tgtIsCausal = v;
            return this;
        }

        /** The hint that memoryMask is causal; without a memoryMask, the causal mask (default false). */
        public Args memoryIsCausal(boolean v) {
            memoryIsCausal = v;
            return this;
        }
    }

    /** The self-attention. */
    public final MultiheadAttention selfAttn;
    /** The attention over the memory. */
    public final MultiheadAttention multiheadAttn;
    /** The feedforward network's first layer (dModel to dimFeedforward). */
    public final Linear linear1;
    /** Dropout after the activation. */
    public final Dropout dropout;
    /** The feedforward network's second layer (dimFeedforward to dModel). */
    public final Linear linear2;
    /** LayerNorm before (normFirst) or after the blocks. */
    public final boolean normFirst;
    /** The self-attention block's LayerNorm. */
    public final LayerNorm norm1;
    /** The memory attention block's LayerNorm. */
    public final LayerNorm norm2;
    /** The feedforward block's LayerNorm. */
    public final LayerNorm norm3;
    /** Dropout on the self-attention block's output. */
    public final Dropout dropout1;
    /** Dropout on the memory attention block's output. */
    public final Dropout dropout2;
    /** Dropout on the feedforward block's output. */
    public final Dropout dropout3;
    /** The feedforward network's activation. */
    public final UnaryOperator<Tensor> activation;
    private final TransformerLayerOptions options;

    /** PyTorch's defaults otherwise: dimFeedforward 2048, dropout 0.1, relu, post-norm, (T, N, E), float32. */
    public TransformerDecoderLayer(int dModel, int nhead) {
        this(options(dModel, nhead));
    }

    /** The options builder: {@code TransformerDecoderLayer.options(512, 8).dropout(0.2).normFirst(true)}. */
    public static TransformerLayerOptions options(int dModel, int nhead) {
        return new TransformerLayerOptions(dModel, nhead);
    }

    /** With every argument in PyTorch's order (activation a function: {@code F::relu}, {@code x -> ...}). */
    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout,
                                   UnaryOperator<Tensor> activation, double layerNormEps, boolean batchFirst,
                                   boolean normFirst, boolean bias, DType dtype) {
        this(options(dModel, nhead).dimFeedforward(dimFeedforward).dropout(dropout).activation(activation)
                .layerNormEps(layerNormEps).batchFirst(batchFirst).normFirst(normFirst).bias(bias).dtype(dtype));
    }

    /** From options ({@link #options}). */
    public TransformerDecoderLayer(TransformerLayerOptions o) {
        options = TransformerLayerOptions.of(o, "TransformerDecoderLayer").copy();
        selfAttn = registerModule("self_attn", attention(o));
        multiheadAttn = registerModule("multihead_attn", attention(o));
        linear1 = registerModule("linear1", new Linear(o.dModel, o.dimFeedforward, o.bias, o.dtype));
        dropout = registerModule("dropout", new Dropout(o.dropout));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, o.dModel, o.bias, o.dtype));
        normFirst = o.normFirst;
        norm1 = registerModule("norm1", TransformerEncoderLayer.layerNorm(o));
        norm2 = registerModule("norm2", TransformerEncoderLayer.layerNorm(o));
        norm3 = registerModule("norm3", TransformerEncoderLayer.layerNorm(o));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout));
        dropout3 = registerModule("dropout3", new Dropout(o.dropout));
        activation = o.activation;
    }

    private static MultiheadAttention attention(TransformerLayerOptions o) {
        return new MultiheadAttention(MultiheadAttention.options(o.dModel, o.nhead).dropout(o.dropout).bias(o.bias)
                .batchFirst(o.batchFirst).dtype(o.dtype));
    }

    /**
     * A deep copy ({@code copy.deepcopy}): a layer of the same arguments with copies of this one's parameter
     * values, requires_grad flags and training modes, built without random draws. {@link TransformerDecoder}
     * stacks copies made this way; a subclass with more state overrides it.
     */
    protected TransformerDecoderLayer deepCopy() {
        return TransformerSupport.deepCopy(this, () -> new TransformerDecoderLayer(options));
    }

    /** The optional arguments of {@link #forward(Tensor, Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /** Without masks: {@code layer(tgt, memory)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /** {@code layer(tgt, memory, tgt_mask)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask) {
        return forward(tgt, memory, tgtMask, null, null, null, false, false);
    }

    /** {@code layer(tgt, memory, tgt_mask, memory_mask)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask) {
        return forward(tgt, memory, tgtMask, memoryMask, null, null, false, false);
    }

    /** {@code layer(tgt, memory, **args)}: {@code layer.forward(tgt, mem, TransformerDecoderLayer.args()...)}. */
    public Tensor forward(Tensor tgt, Tensor memory, Args args) {
        Args a = checked(args);
        return forward(tgt, memory, a.tgtMask, a.memoryMask, a.tgtKeyPaddingMask, a.memoryKeyPaddingMask,
                a.tgtIsCausal, a.memoryIsCausal);
    }

    /**
     * {@link #forward(Tensor, Tensor, Args)} through the module's hooks, which see {@code tgt} and {@code memory}
     * (PyTorch's positional inputs).
     */
    public Tensor call(Tensor tgt, Tensor memory, Args args) {
        Args a = checked(args);
        return callWith(new Tensor[] {tgt, memory}, in -> forward(in[0], in[1], a.tgtMask, a.memoryMask,
                a.tgtKeyPaddingMask, a.memoryKeyPaddingMask, a.tgtIsCausal, a.memoryIsCausal));
    }

    private static Args checked(Args args) {
        if (args == null) {
            throw new IllegalArgumentException("TransformerDecoderLayer: args must not be null "
                    + "(TransformerDecoderLayer.args() gives PyTorch's defaults)");
        }
        return args;
    }

    /**
     * PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
     * tgt_is_causal, memory_is_causal)}; the masks may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
        TransformerSupport.requireInput(tgt, "TransformerDecoderLayer", "tgt");
        TransformerSupport.requireInput(memory, "TransformerDecoderLayer", "memory");
        TransformerSupport.checkMaskDtype(tgtKeyPaddingMask, "tgt_key_padding_mask");
        TransformerSupport.checkMaskDtype(memoryKeyPaddingMask, "memory_key_padding_mask");
        TransformerSupport.checkMaskDtype(tgtMask, "tgt_mask");
        TransformerSupport.checkMaskDtype(memoryMask, "memory_mask");
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = x.add(memoryBlock(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal));
            x = x.add(feedForwardBlock(norm3.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal)));
            x = norm2.call(x.add(memoryBlock(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal)));
            x = norm3.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor attnMask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.call(TransformerEncoderLayer.attend(selfAttn, x, x, attnMask, keyPaddingMask, isCausal));
    }

    private Tensor memoryBlock(Tensor x, Tensor mem, Tensor attnMask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout2.call(TransformerEncoderLayer.attend(multiheadAttn, x, mem, attnMask, keyPaddingMask,
                isCausal));
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout3.call(linear2.call(dropout.call(activation.apply(linear1.call(x)))));
    }
}
