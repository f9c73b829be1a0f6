package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.nn.utils.rnn.PackedSequence;

/**
 * A multi-layer gated recurrent unit network, like {@code torch.nn.GRU}, on the fused GRU kernel.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code numLayers} (default 1), {@code bias} (default
 * true), {@code batchFirst} (default false), {@code dropout} (between layers, training only, default 0),
 * {@code bidirectional} (default false).
 *
 * <p>Shape: input (L, N, inputSize), (N, L, inputSize) with batchFirst, (L, inputSize) unbatched, or a
 * {@link PackedSequence}; h0 (D * numLayers, N, hiddenSize), zeros when null; output (L, N, D * hiddenSize);
 * h_n like h0.
 *
 * <p>Attributes: {@code weight_ih_l[k]} (3 hiddenSize, input), {@code weight_hh_l[k]} (3 hiddenSize,
 * hiddenSize), {@code bias_ih_l[k]}, {@code bias_hh_l[k]} (3 hiddenSize) and the {@code _reverse} twins,
 * gates r | z | n, all from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example:
 * <pre>{@code
 * GRU rnn = new GRU(GRU.options(10, 20).numLayers(2));
 * RNNBase.Output o = rnn.run(Torch.randn(5, 3, 10));   // o.output() (5, 3, 20), o.hN() (2, 3, 20)
 * }</pre>
 */
public class GRU extends RNNBase {
    /** One layer, defaults otherwise. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    /** The options builder: {@code GRU.options(inputSize, hiddenSize).numLayers(2).bidirectional(true)}. */
    public static RnnOptions options(int inputSize, int hiddenSize) {
        return new RnnOptions(inputSize, hiddenSize);
    }

    /** From options ({@link #options}). */
    public GRU(RnnOptions o) {
        this(RnnOptions.checked(o, "GRU").inputSize, o.hiddenSize, o.numLayers, o.bias, o.batchFirst, o.dropout,
                o.bidirectional, o.dtype);
    }

    /** With every argument (float32). */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        this(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, DType.FLOAT32);
    }

    /** With every argument and a dtype. */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional, DType dtype) {
        super(RnnMode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype);
    }

    /** {@code gru(input, h0)}: hx is {h0} or null (zeros); an array of another length fails. */
    public Output forward(Tensor input, Tensor[] hx) {
        Tensor[] s = states(hx, 1, "gru");
        return runTensor(input, s == null ? null : s[0], null, "hx", null);
    }

    /** {@code output, h_n = gru(input, h0)}, typed; h0 null for zeros. */
    public Output run(Tensor input, Tensor h0) {
        return runTensor(input, h0, null, "hx", null);
    }

    /** {@link #run(Tensor, Tensor)} over a packed input. */
    public PackedOutput run(PackedSequence input, Tensor h0) {
        return runPackedInput(input, h0, null, "hx", null);
    }

    /** {@code gru(packed, h0)}: a packed output. */
    public PackedOutput forward(PackedSequence input, Tensor[] hx) {
        Tensor[] s = states(hx, 1, "gru");
        return runPackedInput(input, s == null ? null : s[0], null, "hx", null);
    }
}
