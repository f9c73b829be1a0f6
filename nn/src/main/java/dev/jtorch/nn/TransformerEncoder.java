package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * A stack of {@code numLayers} encoder layers, like {@code torch.nn.TransformerEncoder}: the input through each
 * layer in turn, then through {@code norm} when given.
 *
 * <p>Args: {@code encoderLayer} (the layer to stack: each of {@code layers} is a deep copy of it, with its values,
 * as PyTorch's {@code _get_clones} makes them with {@code copy.deepcopy}; the copies draw no random numbers),
 * {@code numLayers}, {@code norm} (a module applied to the output, usually a {@link LayerNorm}; default null).
 * PyTorch's {@code enable_nested_tensor} and {@code mask_check} only choose its inference fast path, which jtorch
 * does not have, so they are not taken.
 *
 * <p>Shape: src (S, N, E) ((N, S, E) with batchFirst, (S, E) unbatched); mask (S, S) or (N * nhead, S, S);
 * srcKeyPaddingMask (N, S) ((S) unbatched); output like src. {@code isCausal} (PyTorch 2.x): null (the default)
 * detects whether mask is the causal mask of {@link Transformer#generateSquareSubsequentMask}, true or false is
 * passed to the layers as the hint.
 *
 * <p>Attributes: {@code layers} (a {@link ModuleList} of {@link TransformerEncoderLayer}), {@code norm} (absent
 * from the module tree when null, as in PyTorch).
 *
 * <p>Example:
 * <pre>{@code
 * TransformerEncoder encoder = new TransformerEncoder(new TransformerEncoderLayer(512, 8), 6);
 * Tensor out = encoder.call(Torch.rand(10, 32, 512));
 * Tensor masked = encoder.call(src, TransformerEncoder.args().srcKeyPaddingMask(pad));
 * }</pre>
 */
public class TransformerEncoder extends Module {
    /**
     * The optional arguments of a call, with PyTorch's names and defaults (masks null, isCausal null: detected).
     * Made by {@link TransformerEncoder#args()}.
     */
    public static final class Args {
        Tensor mask;
        Tensor srcKeyPaddingMask;
        Boolean isCausal;

        Args() {
        }

        /** (S, S) or (N * nhead, S, S): bool (true: not allowed) or float (added); default null. */
        public Args mask(Tensor v) {
            mask = v;
            return this;
        }

        /** (N, S) or (S): bool (true: ignore that key) or float (added); default null. */
        public Args srcKeyPaddingMask(Tensor v) {
            srcKeyPaddingMask = v;
            return this;
        }

        /** The hint that mask is the causal mask (default null: detected from the mask). */
        public Args isCausal(Boolean v) {
            isCausal = v;
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
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers) {
        this(encoderLayer, numLayers, null);
    }

    /** With a final norm (null for none). */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        this.layers = registerModule("layers", TransformerSupport.clones(encoderLayer, numLayers,
                () -> encoderLayer.deepCopy(), "TransformerEncoder"));
        this.numLayers = numLayers;
        this.norm = norm;
        if (norm != null) {
            registerModule("norm", norm);
        }
    }

    /** The optional arguments of {@link #forward(Tensor, Args)}, at PyTorch's defaults. */
    public static Args args() {
        return new Args();
    }

    /** Without masks: {@code encoder(src)}. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, (Boolean) null);
    }

    /** {@code encoder(src, mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor mask) {
        return forward(src, mask, null, (Boolean) null);
    }

    /** {@code encoder(src, mask, src_key_padding_mask)}. */
    @Override
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        return forward(src, mask, srcKeyPaddingMask, (Boolean) null);
    }

    /** {@code encoder(src, **args)}: {@code encoder.forward(src, TransformerEncoder.args().mask(m))}. */
    public Tensor forward(Tensor src, Args args) {
        Args a = checked(args);
        return forward(src, a.mask, a.srcKeyPaddingMask, a.isCausal);
    }

    /** {@link #forward(Tensor, Args)} through the module's hooks, which see {@code src}. */
    public Tensor call(Tensor src, Args args) {
        Args a = checked(args);
        return callWith(new Tensor[] {src}, in -> forward(in[0], a.mask, a.srcKeyPaddingMask, a.isCausal));
    }

    private static Args checked(Args args) {
        if (args == null) {
            throw new IllegalArgumentException("TransformerEncoder: args must not be null "
                    + "(TransformerEncoder.args() gives PyTorch's defaults)");
        }
        return args;
    }

    /**
     * PyTorch's {@code forward(src, mask, src_key_padding_mask, is_causal)}: the masks may be null, isCausal null
     * to detect it from the mask.
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, Boolean isCausal) {
        TransformerSupport.requireInput(src, "TransformerEncoder", "src");
        TransformerSupport.checkMaskDtype(srcKeyPaddingMask, "src_key_padding_mask");
        TransformerSupport.checkMaskDtype(mask, "mask");
        Tensor output = src;
        if (layers.size() > 0) {
            boolean batchFirst = layer(0).selfAttn.batchFirst;
            boolean causal = TransformerSupport.detectIsCausalMask(mask, isCausal,
                    TransformerSupport.seqLen(src, batchFirst));
            TransformerEncoderLayer.Args layerArgs = TransformerEncoderLayer.args().srcMask(mask)
                    .srcKeyPaddingMask(srcKeyPaddingMask).isCausal(causal);
            for (int i = 0; i < layers.size(); i++) {
                output = layer(i).call(output, layerArgs);
            }
        }
        return norm != null ? norm.call(output) : output;
    }

    private TransformerEncoderLayer layer(int i) {
        if (layers.get(i) instanceof TransformerEncoderLayer l) {
            return l;
        }
        throw new IllegalStateException("TransformerEncoder: layers[" + i + "] is a " + layers.get(i).name()
                + ", not a TransformerEncoderLayer");
    }
}
