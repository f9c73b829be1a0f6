package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.nn.utils.rnn.PackedSequence;

/**
 * A multi-layer Elman RNN with tanh or ReLU, like {@code torch.nn.RNN}.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code numLayers} (default 1), {@code nonlinearity}
 * (TANH, the default, or RELU), {@code bias} (default true), {@code batchFirst} (default false),
 * {@code dropout} (between layers, training only, default 0), {@code bidirectional} (default false).
 *
 * <p>Shape: input (L, N, inputSize), (N, L, inputSize) with batchFirst, (L, inputSize) unbatched, or a
 * {@link PackedSequence}; h0 (D * numLayers, N, hiddenSize), zeros when null; output (L, N, D * hiddenSize);
 * h_n like h0.
 *
 * <p>Attributes: {@code weight_ih_l[k]} (hiddenSize, input), {@code weight_hh_l[k]} (hiddenSize,
 * hiddenSize), {@code bias_ih_l[k]}, {@code bias_hh_l[k]} (hiddenSize) and the {@code _reverse} twins, all
 * from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example:
 * <pre>{@code
 * RNN rnn = new RNN(RNN.options(10, 20).numLayers(2));
 * RNNBase.Output o = rnn.run(Torch.randn(5, 3, 10));   // o.output() (5, 3, 20), o.hN() (2, 3, 20)
 * }</pre>
 */
public class RNN extends RNNBase {
    /** TANH or RELU. */
    public final Nonlinearity nonlinearity;

    /** One tanh layer, defaults otherwise. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, Nonlinearity.TANH, true, false, 0, false);
    }

    /** The options builder: {@code RNN.options(inputSize, hiddenSize).numLayers(2).bidirectional(true)}. */
    public static RnnOptions options(int inputSize, int hiddenSize) {
        return new RnnOptions(inputSize, hiddenSize);
    }

    /** From options ({@link #options}). */
    public RNN(RnnOptions o) {
        this(RnnOptions.checked(o, "RNN").inputSize, o.hiddenSize, o.numLayers,
                o.nonlinearity == null ? Nonlinearity.TANH : o.nonlinearity, o.bias, o.batchFirst, o.dropout,
                o.bidirectional, o.dtype);
    }

    /** With every argument (float32). */
    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias,
               boolean batchFirst, double dropout, boolean bidirectional) {
        this(inputSize, hiddenSize, numLayers, nonlinearity, bias, batchFirst, dropout, bidirectional, DType.FLOAT32);
    }

    /** With every argument and a dtype. */
    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias,
               boolean batchFirst, double dropout, boolean bidirectional, DType dtype) {
        super(nonlinearity == Nonlinearity.RELU ? RnnMode.RNN_RELU : RnnMode.RNN_TANH, inputSize,
                hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype);
        this.nonlinearity = nonlinearity;
    }

    /** {@code rnn(input, h0)}: hx is {h0} or null (zeros); an array of another length fails. */
    public Output forward(Tensor input, Tensor[] hx) {
        Tensor[] s = states(hx, 1, "rnn");
        return runTensor(input, s == null ? null : s[0], null, "hx", null);
    }

    /** {@code output, h_n = rnn(input, h0)}, typed; h0 null for zeros. */
    public Output run(Tensor input, Tensor h0) {
        return runTensor(input, h0, null, "hx", null);
    }

    /** {@link #run(Tensor, Tensor)} over a packed input. */
    public PackedOutput run(PackedSequence input, Tensor h0) {
        return runPackedInput(input, h0, null, "hx", null);
    }

    /** {@code rnn(packed, h0)}: a packed output. */
    public PackedOutput forward(PackedSequence input, Tensor[] hx) {
        Tensor[] s = states(hx, 1, "rnn");
        return runPackedInput(input, s == null ? null : s[0], null, "hx", null);
    }
}
