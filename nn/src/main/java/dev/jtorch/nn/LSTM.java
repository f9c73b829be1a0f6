package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.nn.utils.rnn.PackedSequence;

/**
 * A multi-layer long short-term memory network, like {@code torch.nn.LSTM}, on the fused LSTM kernel.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code numLayers} (default 1), {@code bias} (default
 * true), {@code batchFirst} (default false), {@code dropout} (between layers, training only, default 0),
 * {@code bidirectional} (default false), {@code projSize} (default 0: no projection).
 *
 * <p>Shape: input (L, N, inputSize), (N, L, inputSize) with batchFirst, (L, inputSize) unbatched, or a
 * {@link PackedSequence}; h0 (D * numLayers, N, H_out) and c0 (D * numLayers, N, hiddenSize), zeros when
 * null, with H_out = projSize or hiddenSize; output (L, N, D * H_out); h_n and c_n like h0 and c0.
 *
 * <p>Attributes: {@code weight_ih_l[k]} (4 hiddenSize, input), {@code weight_hh_l[k]} (4 hiddenSize, H_out),
 * {@code bias_ih_l[k]}, {@code bias_hh_l[k]} (4 hiddenSize), {@code weight_hr_l[k]} (projSize, hiddenSize),
 * and the {@code _reverse} twins, gates in PyTorch's order i | f | g | o, all from
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example:
 * <pre>{@code
 * LSTM lstm = new LSTM(LSTM.options(10, 20).numLayers(2));
 * RNNBase.Output o = lstm.run(Torch.randn(5, 3, 10));   // o.output() (5, 3, 20), o.hN(), o.cN() (2, 3, 20)
 * RNNBase.Output p = lstm.run(Torch.randn(5, 3, 10), o.hN(), o.cN());   // from given states
 * }</pre>
 */
public class LSTM extends RNNBase {
    /** One layer, defaults otherwise. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false, 0);
    }

    /** The options builder: {@code LSTM.options(inputSize, hiddenSize).numLayers(2).bidirectional(true)}. */
    public static RnnOptions options(int inputSize, int hiddenSize) {
        return new RnnOptions(inputSize, hiddenSize);
    }

    /** From options ({@link #options}). */
    public LSTM(RnnOptions o) {
        this(RnnOptions.checked(o, "LSTM").inputSize, o.hiddenSize, o.numLayers, o.bias, o.batchFirst, o.dropout,
                o.bidirectional, o.projSize, o.dtype);
    }

    /** With every argument (float32). */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional, int projSize) {
        this(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize, DType.FLOAT32);
    }

    /** With every argument and a dtype. */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional, int projSize, DType dtype) {
        super(RnnMode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize,
                dtype);
    }

    /**
     * {@code lstm(input, (h0, c0))}: hx is {h0, c0} or null (zeros); {h0} alone fails with ATen's "lstm expects
     * two hidden states".
     */
    public Output forward(Tensor input, Tensor[] hx) {
        Tensor[] s = states(hx, 2, "lstm");
        return runTensor(input, s == null ? null : s[0], s == null ? null : s[1], "hidden[0]", "hidden[1]");
    }

    /**
     * {@code output, (h_n, c_n) = lstm(input, (h0, c0))}, typed: h0 and c0 both given, or both null for zeros.
     */
    public Output run(Tensor input, Tensor h0, Tensor c0) {
        bothOrNeither(h0, c0);
        return runTensor(input, h0, c0, "hidden[0]", "hidden[1]");
    }

    /** {@link #run(Tensor, Tensor, Tensor)} over a packed input. */
    public PackedOutput run(PackedSequence input, Tensor h0, Tensor c0) {
        bothOrNeither(h0, c0);
        return runPackedInput(input, h0, c0, "hidden[0]", "hidden[1]");
    }

    /** {@code lstm(packed, (h0, c0))}: a packed output. */
    public PackedOutput forward(PackedSequence input, Tensor[] hx) {
        Tensor[] s = states(hx, 2, "lstm");
        return runPackedInput(input, s == null ? null : s[0], s == null ? null : s[1], "hidden[0]", "hidden[1]");
    }
}
