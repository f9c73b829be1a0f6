package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.util.function.UnaryOperator;

/**
 * The arguments of {@link Transformer} with PyTorch's names and defaults: {@code dModel} 512, {@code nhead} 8,
 * {@code numEncoderLayers} 6, {@code numDecoderLayers} 6, {@code dimFeedforward} 2048, {@code dropout} 0.1,
 * {@code activation} relu, {@code customEncoder} and {@code customDecoder} null, {@code layerNormEps} 1e-5,
 * {@code batchFirst} false, {@code normFirst} false, {@code bias} true (PyTorch 2.1's argument), {@code dtype}
 * float32.
 *
 * <p>Example: {@code new Transformer(Transformer.options().dModel(256).nhead(4).numEncoderLayers(3)
 * .numDecoderLayers(3).dimFeedforward(1024).batchFirst(true))}.
 */
public final class TransformerOptions {
    int dModel = 512;
    int nhead = 8;
    int numEncoderLayers = 6;
    int numDecoderLayers = 6;
    TransformerEncoder customEncoder;
    TransformerDecoder customDecoder;
    private final TransformerLayerOptions layer = new TransformerLayerOptions(0, 0);

    /** PyTorch's defaults; every argument is optional. */
    public TransformerOptions() {
    }

    /** Features of the encoder and decoder inputs (default 512). */
    public TransformerOptions dModel(int v) {
        dModel = v;
        return this;
    }

    /** Attention heads (default 8). */
    public TransformerOptions nhead(int v) {
        nhead = v;
        return this;
    }

    /** Layers of the encoder (default 6). */
    public TransformerOptions numEncoderLayers(int v) {
        numEncoderLayers = v;
        return this;
    }

    /** Layers of the decoder (default 6). */
    public TransformerOptions numDecoderLayers(int v) {
        numDecoderLayers = v;
        return this;
    }

    /** Width of the feedforward networks (default 2048). */
    public TransformerOptions dimFeedforward(int v) {
        layer.dimFeedforward(v);
        return this;
    }

    /** Dropout probability (default 0.1). */
    public TransformerOptions dropout(double v) {
        layer.dropout(v);
        return this;
    }

    /** The feedforward networks' activation by PyTorch's names, "relu" (the default) or "gelu". */
    public TransformerOptions activation(String name) {
        layer.activation(name);
        return this;
    }

    /** The feedforward networks' activation as a function. */
    public TransformerOptions activation(UnaryOperator<Tensor> fn) {
        layer.activation(fn);
        return this;
    }

    /** An encoder to use instead of the standard one (default null). */
    public TransformerOptions customEncoder(TransformerEncoder v) {
        customEncoder = v;
        return this;
    }

    /** A decoder to use instead of the standard one (default null). */
    public TransformerOptions customDecoder(TransformerDecoder v) {
        customDecoder = v;
        return this;
    }

    /** eps of the LayerNorms (default 1e-5). */
    public TransformerOptions layerNormEps(double v) {
        layer.layerNormEps(v);
        return this;
    }

    /** Inputs and output as (batch, seq, feature) (default false: (seq, batch, feature)). */
    public TransformerOptions batchFirst(boolean v) {
        layer.batchFirst(v);
        return this;
    }

    /** LayerNorm before the blocks of every layer instead of after them (default false). */
    public TransformerOptions normFirst(boolean v) {
        layer.normFirst(v);
        return this;
    }

    /** Biases in the Linear layers, attention and LayerNorms (default true). */
    public TransformerOptions bias(boolean v) {
        layer.bias(v);
        return this;
    }

    /** The parameters' dtype (default float32). */
    public TransformerOptions dtype(DType v) {
        layer.dtype(v);
        return this;
    }

    /** The arguments of one encoder or decoder layer. */
    TransformerLayerOptions layerOptions() {
        TransformerLayerOptions o = new TransformerLayerOptions(dModel, nhead).dimFeedforward(layer.dimFeedforward)
                .dropout(layer.dropout).activation(layer.activation).layerNormEps(layer.layerNormEps)
                .batchFirst(layer.batchFirst).normFirst(layer.normFirst).bias(layer.bias).dtype(layer.dtype);
        return TransformerLayerOptions.of(o, "Transformer");
    }

    /** {@code o}, refusing null ({@code Transformer.options()} gives the defaults). */
    static TransformerOptions of(TransformerOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("Transformer: options must not be null (Transformer.options() gives "
                    + "PyTorch's defaults)");
        }
        return o;
    }
}
