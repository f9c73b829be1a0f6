package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.init.Init;

/**
 * The Transformer of "Attention Is All You Need", like {@code torch.nn.Transformer}: an encoder
 * ({@link TransformerEncoder} of {@code numEncoderLayers} {@link TransformerEncoderLayer}s and a final
 * {@link LayerNorm}) over the source, and a decoder ({@link TransformerDecoder}, likewise) over the target,
 * attending to the encoder's output. No embedding, positional encoding or output projection: those are the
 * user's, as in PyTorch.
 *
 * <p>Args: {@code dModel} (512), {@code nhead} (8), {@code numEncoderLayers} (6), {@code numDecoderLayers} (6),
 * {@code dimFeedforward} (2048), {@code dropout} (0.1), {@code activation} (relu), {@code customEncoder},
 * {@code customDecoder} (used instead of the standard ones; default null), {@code layerNormEps} (1e-5),
 * {@code batchFirst} (false), {@code normFirst} (false), {@code bias} (true; PyTorch 2.1's argument),
 * {@code dtype}: see {@link #options}.
 *
 * <p>Shape: src (S, N, E) ((N, S, E) with batchFirst, (S, E) unbatched); tgt (T, N, E) likewise; srcMask (S, S)
 * or (N * nhead, S, S); tgtMask (T, T) or (N * nhead, T, T); memoryMask (T, S); srcKeyPaddingMask (N, S);
 * tgtKeyPaddingMask (N, T); memoryKeyPaddingMask (N, S) ((S), (T), (S) unbatched); bool masks (true: not
 * allowed) or float (added), as current PyTorch; output (T, N, E) like tgt. The is_causal hints of PyTorch 2.x
 * (srcIsCausal, tgtIsCausal: null detects them from the masks; memoryIsCausal) go to the encoder and decoder.
 *
 * <p>Attributes: {@code encoder}, {@code decoder}; every parameter with more than one dimension is re-drawn by
 * xavier_uniform_ after construction (PyTorch's {@code _reset_parameters}), so a seed gives PyTorch's values
 * and a PyTorch state dict loads unchanged.
 *
 * <p>Example:
 * <pre>{@code
 * Transformer model = new Transformer(Transformer.options().nhead(16).numEncoderLayers(12));
 * Tensor out = model.call(Torch.rand(10, 32, 512), Torch.rand(20, 32, 512));   // (20, 32, 512)
 * Tensor causal = model.call(src, tgt, Transformer.args()
 *         .tgtMask(Transformer.generateSquareSubsequentMask(20)).srcKeyPaddingMask(pad));
 * }</pre>
 */
public class Transformer extends Module {
    /**
     * The optional arguments of a call, with PyTorch's names and defaults (masks null, srcIsCausal and tgtIsCausal
     * null: detected, memoryIsCausal false). Made by {@link Transformer#args()}.
     */
    public static final class Args {
        Tensor srcMask;
        Tensor tgtMask;
        Tensor memoryMask;
        Tensor srcKeyPaddingMask;
        Tensor tgtKeyPaddingMask;
        Tensor memoryKeyPaddingMask;
        Boolean srcIsCausal;
        Boolean tgtIsCausal;
        boolean memoryIsCausal;

        Args() {
        }

        /** (S, S) or (N * nhead, S, S): the encoder's self-attention mask; default null. */
        public Args srcMask(Tensor v) {
            srcMask = v;
            return this;
        }

        /** (T, T) or (N * nhead, T, T): the decoder's self-attention mask; default null. */
        public Args tgtMask(Tensor v) {
            tgtMask = v;
            return this;
        }

        /** (T, S) or (N * nhead, T, S): the decoder's mask over the memory; default null. */
        public Args memoryMask(Tensor v) {
            memoryMask = v;
            return this;
        }

        /** (N, S) or (S): source keys to ignore in the encoder; default null. */
        public Args srcKeyPaddingMask(Tensor v) {
            srcKeyPaddingMask = v;
            return this;
        }

        /** (N, T) or (T): target keys to ignore in the decoder's self-attention; default null. */
        public Args tgtKeyPaddingMask(Tensor v) {
            tgtKeyPaddingMask = v;
            return this;
        }

        /** (N, S) or (S): memory keys to ignore in the decoder; default null. */
        public Args memoryKeyPaddingMask(Tensor v) {
            memoryKeyPaddingMask = v;
            return this;
        }

        /** The hint that srcMask is causal (default null: detected from the mask). */
        public Args srcIsCausal(Boolean v) {
            srcIsCausal = v;
            return this;
        }

        /** The hint that tgtMask is causal (default null: detected from the mask). */
        public Args tgtIsCausal(Boolean v) {
            tgtIsCausal = v;
            return this;
        }

        /** The hint that memoryMask is causal; without a memoryMask, the causal mask (default false). */
        public Args memoryIsCausal(boolean v) {
            memoryIsCausal = v;
            return this;
        }
    }

    /** The encoder. */
    public final TransformerEncoder encoder;
    /** The decoder. */
    public final TransformerDecoder decoder;
    /** Features of the inputs. */
    public final int dModel;
    /** Attention heads. */
    public final int nhead;
    /** Inputs and output as (batch, seq, feature). */
    public final boolean batchFirst;

    /** PyTorch's defaults: dModel 512, 8 heads, 6 + 6 layers, dimFeedforward 2048, dropout 0.1. */
    public Transformer() {
        this(options());
    }

    /** dModel and nhead, PyTorch's defaults otherwise. */
    public Transformer(int dModel, int nhead) {
        this(options().dModel(dModel).nhead(nhead));
    }

    /** The options builder: {@code Transformer.options().dModel(256).nhead(4).batchFirst(true)}. */
    public static TransformerOptions options() {
        return new TransformerOptions();
    }

    /** From options ({@link #options}). */
    public Transformer(TransformerOptions o) {
        TransformerLayerOptions layer = TransformerOptions.of(o).layerOptions();
        if (o.customEncoder != null) {
            encoder = registerModule("encoder", o.customEncoder);
        } else {
            TransformerEncoderLayer encoderLayer = new TransformerEncoderLayer(layer);
            LayerNorm encoderNorm = TransformerEncoderLayer.layerNorm(layer);
            encoder = registerModule("encoder", new TransformerEncoder(encoderLayer, o.numEncoderLayers,
                    encoderNorm));
        }
        if (o.customDecoder != null) {
            decoder = registerModule("decoder", o.customDecoder);
        } else {
            TransformerDecoderLayer decoderLayer = new TransformerDecoderLayer(layer);
            LayerNorm decoderNorm = TransformerEncoderLayer.layerNorm(layer);
            decoder = registerModule("decoder", new TransformerDecoder(decoderLayer, o.numDecoderLayers,
                    decoderNorm));
        }
        resetParameters();
        dModel = o.dModel;
        nhead = o.nhead;
        batchFirst = layer.batchFirst;
    }

    /** PyTorch's {@code _reset_parameters}: xavier_uniform_ on every parameter with more than one dimension. */
    public void resetParameters() {
        for (Parameter p : parameters()) {
            if (p.dim() > 1) {
                Init.xavierUniform_(p, 1.0);
            }
        }
    }

    /**
     * {@code generate_square_subsequent_mask(sz)}: the (sz, sz) float32 causal mask, -inf above the diagonal (a
     * position may not attend to later ones) and 0 elsewhere.
     */
    public static Tensor generateSquareSubsequentMask(int sz) {
        return generateSquareSubsequentMask(sz, DType.FLOAT32, Device.CPU);
    }

    /** {@link #generateSquareSubsequentMask(int)} on {@code device}. */
    public static Tensor generateSquareSubsequentMask(int sz, Device device) {
        return generateSquareSubsequentMask(sz, DType.FLOAT32, device);
    }

    /** {@link #generateSquareSubsequentMask(int)} of a floating point {@code dtype} on {@code device}. */
    public static Tensor generateSquareSubsequentMask(int sz, DType dtype, Device device) {
        if (sz < 0) {
            throw new IllegalArgumentException("Trying to create tensor with negative dimension " + sz + ": ["
                    + sz + ", " + sz + "]");
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("generateSquareSubsequentMask: dtype must be a floating point dtype "
                    + "(the mask holds -inf), got " + dtype);
        }
        return Torch.full(new int[] {sz, sz}, Double.NEGATIVE_INFINITY, dtype, device).triu(1);
    }

    /** The optional arguments of {@link #forward(Tensor, Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /** Without masks: {@code model(src, tgt)}. */
    @Override
    public Tensor forward(Tensor src, Tensor tgt) {
        return forward(src, tgt, args());
    }

    /** {@code model(src, tgt, src_mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask) {
        return forward(src, tgt, args().srcMask(srcMask));
    }

    /** {@code model(src, tgt, src_mask, tgt_mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask) {
        return forward(src, tgt, args().srcMask(srcMask).tgtMask(tgtMask));
    }

    /**
     * PyTorch 1.13's {@code forward(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask,
     * tgt_key_padding_mask, memory_key_padding_mask)}; the masks may be null.
     */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask,
                          Tensor srcKeyPaddingMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        return forward(src, tgt, args().srcMask(srcMask).tgtMask(tgtMask).memoryMask(memoryMask)
                .srcKeyPaddingMask(srcKeyPaddingMask).tgtKeyPaddingMask(tgtKeyPaddingMask)
                .memoryKeyPaddingMask(memoryKeyPaddingMask));
    }

    /** {@link #forward(Tensor, Tensor, Args)} through the module's hooks, which see {@code src} and {@code tgt}. */
    public Tensor call(Tensor src, Tensor tgt, Args args) {
        Args a = checked(args);
        return callWith(new Tensor[] {src, tgt}, in -> forward(in[0], in[1], a));
    }

    private static Args checked(Args args) {
        if (args == null) {
            throw new IllegalArgumentException("Transformer: args must not be null (Transformer.args() gives "
                    + "PyTorch's defaults)");
        }
        return args;
    }

    /**
     * {@code model(src, tgt, **args)}: the encoder over src with srcMask, srcKeyPaddingMask and srcIsCausal, then
     * the decoder over tgt and that memory with the rest.
     */
    public Tensor forward(Tensor src, Tensor tgt, Args args) {
        Args a = checked(args);
        TransformerSupport.requireInput(src, "Transformer", "src");
        TransformerSupport.requireInput(tgt, "Transformer", "tgt");
        boolean isBatched = src.dim() == 3;
        if (isBatched && src.size(batchFirst ? 0 : 1) != tgt.size(batchFirst ? 0 : 1)) {
            throw new IllegalArgumentException("the batch number of src and tgt must be equal");
        }
        if (src.dim() == 0 || tgt.dim() == 0 || src.size(-1) != dModel || tgt.size(-1) != dModel) {
            throw new IllegalArgumentException("the feature number of src and tgt must be equal to d_model");
        }
        Tensor memory = encoder.call(src, TransformerEncoder.args().mask(a.srcMask)
                .srcKeyPaddingMask(a.srcKeyPaddingMask).isCausal(a.srcIsCausal));
        return decoder.call(tgt, memory, TransformerDecoder.args().tgtMask(a.tgtMask).memoryMask(a.memoryMask)
                .tgtKeyPaddingMask(a.tgtKeyPaddingMask).memoryKeyPaddingMask(a.memoryKeyPaddingMask)
                .tgtIsCausal(a.tgtIsCausal).memoryIsCausal(a.memoryIsCausal));
    }
}
