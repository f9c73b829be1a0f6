package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

import java.util.function.UnaryOperator;

/**
 * The arguments of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} with PyTorch's names and
 * defaults: {@code dimFeedforward} 2048, {@code dropout} 0.1, {@code activation} relu, {@code layerNormEps} 1e-5,
 * {@code batchFirst} false, {@code normFirst} false, {@code bias} true (PyTorch 2.1's argument), {@code dtype}
 * float32.
 *
 * <p>Example: {@code new TransformerEncoderLayer(TransformerEncoderLayer.options(512, 8).dimFeedforward(1024)
 * .activation("gelu").batchFirst(true).normFirst(true))}.
 */
public final class TransformerLayerOptions {
    final int dModel;
    final int nhead;
    int dimFeedforward = 2048;
    double dropout = 0.1;
    UnaryOperator<Tensor> activation = F::relu;
    double layerNormEps = 1e-5;
    boolean batchFirst;
    boolean normFirst;
    boolean bias = true;
    DType dtype = DType.FLOAT32;

    /** The required arguments: the model's width and the number of attention heads, which must divide it. */
    public TransformerLayerOptions(int dModel, int nhead) {
        this.dModel = dModel;
        this.nhead = nhead;
    }

    /** Width of the feedforward network's hidden layer (default 2048). */
    public TransformerLayerOptions dimFeedforward(int v) {
        dimFeedforward = v;
        return this;
    }

    /** Dropout probability in attention, after each block and inside the feedforward network (default 0.1). */
    public TransformerLayerOptions dropout(double v) {
        dropout = v;
        return this;
    }

    /**
     * The feedforward network's activation by PyTorch's names, "relu" (the default) or "gelu" (exact); other
     * names fail with PyTorch's message.
     */
    public TransformerLayerOptions activation(String name) {
        activation = activationByName(name);
        return this;
    }

    /** The feedforward network's activation as a function, e.g. {@code x -> F.gelu(x, "tanh")}. */
    public TransformerLayerOptions activation(UnaryOperator<Tensor> fn) {
        if (fn == null) {
            throw new IllegalArgumentException("activation must not be null (\"relu\", \"gelu\" or a function)");
        }
        activation = fn;
        return this;
    }

    /** eps of the LayerNorms (default 1e-5). */
    public TransformerLayerOptions layerNormEps(double v) {
        layerNormEps = v;
        return this;
    }

    /** Inputs and output as (batch, seq, feature) (default false: (seq, batch, feature)). */
    public TransformerLayerOptions batchFirst(boolean v) {
        batchFirst = v;
        return this;
    }

    /** LayerNorm before the attention and feedforward blocks instead of after them (default false). */
    public TransformerLayerOptions normFirst(boolean v) {
        normFirst = v;
        return this;
    }

    /** Biases in the Linear layers, the attention projections and the LayerNorms (default true). */
    public TransformerLayerOptions bias(boolean v) {
        bias = v;
        return this;
    }

    /** The parameters' dtype (default float32). */
    public TransformerLayerOptions dtype(DType v) {
        dtype = v;
        return this;
    }

    /** A copy, for building one more layer with the same arguments. */
    TransformerLayerOptions copy() {
        TransformerLayerOptions o = new TransformerLayerOptions(dModel, nhead);
        o.dimFeedforward = dimFeedforward;
        o.dropout = dropout;
        o.activation = activation;
        o.layerNormEps = layerNormEps;
        o.batchFirst = batchFirst;
        o.normFirst = normFirst;
        o.bias = bias;
        o.dtype = dtype;
        return o;
    }

    /** PyTorch's {@code _get_activation_fn}: "relu" or "gelu". */
    static UnaryOperator<Tensor> activationByName(String name) {
        if ("relu".equals(name)) {
            return F::relu;
        }
        if ("gelu".equals(name)) {
            return x -> F.gelu(x, "none");
        }
        throw new IllegalArgumentException("activation should be relu/gelu, not " + name);
    }

    /** {@code o} checked, refusing null ({@code options(dModel, nhead)} gives the defaults). */
    static TransformerLayerOptions of(TransformerLayerOptions o, String layer) {
        if (o == null) {
            throw new IllegalArgumentException(layer + ": options must not be null (" + layer
                    + ".options(dModel, nhead) gives PyTorch's defaults)");
        }
        if (o.dimFeedforward < 0) {
            throw new IllegalArgumentException(layer + ": dim_feedforward must be non-negative, got "
                    + o.dimFeedforward);
        }
        if (o.dtype == null || !o.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(layer + ": dtype must be a floating point dtype, got " + o.dtype);
        }
        return o;
    }
}
