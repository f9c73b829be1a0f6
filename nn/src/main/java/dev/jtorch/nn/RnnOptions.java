package dev.jtorch.nn;

import dev.jtorch.DType;

/**
 * The arguments of the recurrent layers ({@link RNN}, {@link LSTM}, {@link GRU}) with PyTorch's names and
 * defaults: {@code numLayers} 1, {@code bias} true, {@code batchFirst} false, {@code dropout} 0 (between layers,
 * training only), {@code bidirectional} false, {@code projSize} 0 (LSTM only), {@code nonlinearity} TANH (RNN
 * only), {@code dtype} float32.
 *
 * <p>Example: {@code new LSTM(LSTM.options(7, 11).numLayers(2).bidirectional(true).dtype(DType.FLOAT64))}.
 */
public final class RnnOptions {
    final int inputSize;
    final int hiddenSize;
    int numLayers = 1;
    boolean bias = true;
    boolean batchFirst;
    double dropout;
    boolean bidirectional;
    int projSize;
    Nonlinearity nonlinearity;
    DType dtype = DType.FLOAT32;

    /** The required arguments: features of the input and of the hidden state. */
    public RnnOptions(int inputSize, int hiddenSize) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
    }

    /** Stacked layers (default 1). */
    public RnnOptions numLayers(int v) {
        numLayers = v;
        return this;
    }

    /** Whether the layers have the biases b_ih and b_hh (default true). */
    public RnnOptions bias(boolean v) {
        bias = v;
        return this;
    }

    /** Input and output as (batch, seq, feature) (default false: (seq, batch, feature)). */
    public RnnOptions batchFirst(boolean v) {
        batchFirst = v;
        return this;
    }

    /** Dropout on the outputs of each layer but the last, in training (default 0). */
    public RnnOptions dropout(double v) {
        dropout = v;
        return this;
    }

    /** Both directions (default false). */
    public RnnOptions bidirectional(boolean v) {
        bidirectional = v;
        return this;
    }

    /** LSTM only: project the hidden state to this size (default 0: no projection). */
    public RnnOptions projSize(int v) {
        projSize = v;
        return this;
    }

    /** RNN only: TANH (default) or RELU. */
    public RnnOptions nonlinearity(Nonlinearity v) {
        nonlinearity = v;
        return this;
    }

    /** The parameters' dtype (default float32). */
    public RnnOptions dtype(DType v) {
        dtype = v;
        return this;
    }

    /** {@code o}, after refusing what the layer does not take, as PyTorch's constructors do. */
    static RnnOptions checked(RnnOptions o, String layer) {
        if (o == null) {
            throw new IllegalArgumentException(layer + ": options must not be null (" + layer + ".options(inputSize, "
                    + "hiddenSize))");
        }
        return o.check(layer);
    }

    private RnnOptions check(String layer) {
        if (projSize != 0 && !layer.equals("LSTM")) {
            throw new IllegalArgumentException("proj_size argument is only supported for LSTM, not RNN or GRU");
        }
        if (nonlinearity != null && !layer.equals("RNN")) {
            throw new IllegalArgumentException(layer + " got an unexpected keyword argument 'nonlinearity' (only "
                    + "RNN takes one)");
        }
        if (dtype == null) {
            throw new IllegalArgumentException(layer + ": dtype must not be null");
        }
        return this;
    }
}
