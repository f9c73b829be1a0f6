package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * A stack of {@code numLayers} decoder layers, like {@code torch.nn.TransformerDecoder}: the target through each
 * layer in turn (each attending to the same memory), then through {@code norm} when given.
 *
 * <p>Args: {@code decoderLayer} (the layer to stack: each of {@code layers} is a deep copy of it, with its values,
 * as PyTorch's {@code _get_clones}; the copies draw no random numbers), {@code numLayers}, {@code norm} (a module
 * applied to the output, usually a {@link LayerNorm}; default null).
 *
 * <p>Shape: tgt (T, N, E) ((N, T, E) with batchFirst, (T, E) unbatched); memory (S, N, E) likewise; masks as
 * {@link TransformerDecoderLayer}; output like tgt. {@code tgtIsCausal} (PyTorch 2.x): null (the default)
 * detects whether tgtMask is the causal mask of {@link Transformer#generateSquareSubsequentMask}, true or false
 * is passed to the layers as the hint; {@code memoryIsCausal} is passed as given.
 *
 * <p>Attributes: {@code layers} (a {@link ModuleList} of {@link TransformerDecoderLayer}), {@code norm} (absent
 * from the module tree when null, as in PyTorch).
 *
 * <p>Example:
 * <pre>{@code
 * TransformerDecoder decoder = new TransformerDecoder(new TransformerDecoderLayer(512, 8), 6);
 * Tensor out = decoder.call(Torch.rand(20, 32, 512), Torch.rand(10, 32, 512));
 * Tensor causal = decoder.call(tgt, memory, TransformerDecoder.args()
 *         .tgtMask(Transformer.generateSquareSubsequentMask(20)));
 * }</pre>
 */
public class TransformerDecoder extends Module {
    /**
     * The optional arguments of a call, with PyTorch's names and defaults (masks null, tgtIsCausal null:
     * detected, memoryIsCausal false). Made by {@link TransformerDecoder#args()}.
     */
    public static final class Args {
        Tensor tgtMask;
        Tensor memoryMask;
        Tensor tgtKeyPaddingMask;
        Tensor memoryKeyPaddingMask;
        Boolean tgtIsCausal;
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

    /** The stacked layers. */
    public final ModuleList layers;
    /** How many layers. */
    public final int numLayers;
    /** Applied to the last layer's output, or null. */
    public final Module norm;

    /** Without a final norm. */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers) {
        this(decoderLayer, numLayers, null);
    }

    /** With a final norm (null for none). */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, Module norm) {
        this.layers = registerModule("layers", TransformerSupport.clones(decoderLayer, numLayers,
                () -> decoderLayer.deepCopy(), "TransformerDecoder"));
        this.numLayers = numLayers;
        this.norm = norm;
        if (norm != null) {
            registerModule("norm", norm);
        }
    }

    /** The optional arguments of {@link #forward(Tensor, Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /** Without masks: {@code decoder(tgt, memory)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, null, false);
    }

    /** {@code decoder(tgt, memory, tgt_mask)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask) {
        return forward(tgt, memory, tgtMask, null, null, null, null, false);
    }

    /** {@code decoder(tgt, memory, tgt_mask, memory_mask)}. */
    @Override
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask) {
        return forward(tgt, memory, tgtMask, memoryMask, null, null, null, false);
    }

    /** {@code decoder(tgt, memory, **args)}: {@code decoder.forward(tgt, mem, TransformerDecoder.args()...)}. */
    public Tensor forward(Tensor tgt, Tensor memory, Args args) {
        Args a = checked(args);
        return forward(tgt, memory, a.tgtMask, a.memoryMask, a.tgtKeyPaddingMask, a.memoryKeyPaddingMask,
                a.tgtIsCausal, a.memoryIsCausal);
    }

    /** {@link #forward(Tensor, Tensor, Args)} through the module's hooks, which see {@code tgt} and {@code memory}. */
    public Tensor call(Tensor tgt, Tensor memory, Args args) {
        Args a = checked(args);
        return callWith(new Tensor[] {tgt, memory}, in -> forward(in[0], in[1], a.tgtMask, a.memoryMask,
                a.tgtKeyPaddingMask, a.memoryKeyPaddingMask, a.tgtIsCausal, a.memoryIsCausal));
    }

    private static Args checked(Args args) {
        if (args == null) {
            throw new IllegalArgumentException("TransformerDecoder: args must not be null "
                    + "(TransformerDecoder.args() gives PyTorch's defaults)");
        }
        return args;
    }

    /**
     * PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
     * tgt_is_causal, memory_is_causal)}: the masks may be null, tgtIsCausal null to detect it from tgtMask.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, Boolean tgtIsCausal, boolean memoryIsCausal) {
        TransformerSupport.requireInput(tgt, "TransformerDecoder", "tgt");
        TransformerSupport.requireInput(memory, "TransformerDecoder", "memory");
        TransformerSupport.checkMaskDtype(tgtKeyPaddingMask, "tgt_key_padding_mask");
        TransformerSupport.checkMaskDtype(memoryKeyPaddingMask, "memory_key_padding_mask");
        TransformerSupport.checkMaskDtype(tgtMask, "tgt_mask");
        TransformerSupport.checkMaskDtype(memoryMask, "memory_mask");
        Tensor output = tgt;
        if (layers.size() > 0) {
            boolean batchFirst = layer(0).selfAttn.batchFirst;
            boolean causal = TransformerSupport.detectIsCausalMask(tgtMask, tgtIsCausal,
                    TransformerSupport.seqLen(tgt, batchFirst));
            TransformerDecoderLayer.Args layerArgs = TransformerDecoderLayer.args().tgtMask(tgtMask)
                    .memoryMask(memoryMask).tgtKeyPaddingMask(tgtKeyPaddingMask)
                    .memoryKeyPaddingMask(memoryKeyPaddingMask).tgtIsCausal(causal).memoryIsCausal(memoryIsCausal);
            for (int i = 0; i < layers.size(); i++) {
                output = layer(i).call(output, memory, layerArgs);
            }
        }
        return norm != null ? norm.call(output) : output;
    }

    private TransformerDecoderLayer layer(int i) {
        if (layers.get(i) instanceof TransformerDecoderLayer l) {
            return l;
        }
        throw new IllegalStateException("TransformerDecoder: layers[" + i + "] is a " + layers.get(i).name()
                + ", not a TransformerDecoderLayer");
    }
}
