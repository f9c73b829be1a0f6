package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/**
 * A long short-term memory cell, like {@code torch.nn.LSTMCell}: gates i, f, g, o from
 * {@code x W_ih^T + b_ih + h W_hh^T + b_hh}; {@code c' = f c + i g}, {@code h' = o tanh(c')}.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code bias} (default true).
 *
 * <p>Shape: input (N, inputSize) or (inputSize); h and c (N, hiddenSize) or (hiddenSize), zeros when
 * absent; returns {h', c'} shaped like h.
 *
 * <p>Attributes: weight_ih (4 hiddenSize, inputSize), weight_hh (4 hiddenSize, hiddenSize), bias_ih and
 * bias_hh (4 hiddenSize), all from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example: {@code LSTMCell.State s = new LSTMCell(10, 20).run(x, h, c);   // s.h(), s.c()}
 */
public class LSTMCell extends RNNCellBase {
    /** The cell's state: hidden h and cell c, as PyTorch's tuple {@code (h, c)}. */
    public record State(Tensor h, Tensor c) {
    }

    /** With biases. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DType.FLOAT32);
    }

    /** With every argument. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, DType dtype) {
        super(inputSize, hiddenSize, bias, 4, dtype);
    }

    /** One step from {h, c} (null: zeros; {h} alone fails as ATen's lstm_cell does); returns {h', c'}. */
    public Tensor[] forward(Tensor input, Tensor[] hx) {
        if (hx != null && hx.length != 2) {
            throw new IllegalArgumentException("lstm_cell expects two hidden states");
        }
        boolean unbatched = input.dim() == 1;
        Tensor x = batchedInput(input);
        Tensor h = batchedState(hx == null ? null : hx[0], x, unbatched, "hx[0]");
        Tensor c = batchedState(hx == null ? null : hx[1], x, unbatched, "hx[1]");
        Tensor g = gates(x, attr("weight_ih"), attr("bias_ih")).add(gates(h, attr("weight_hh"), attr("bias_hh")));
        Tensor[] q = g.chunk(4, 1);
        Tensor i = q[0].sigmoid();
        Tensor f = q[1].sigmoid();
        Tensor cand = q[2].tanh();
        Tensor o = q[3].sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(cand));
        Tensor h2 = o.mul(c2.tanh());
        return unbatched ? new Tensor[] {h2.squeeze(0), c2.squeeze(0)} : new Tensor[] {h2, c2};
    }

    /** {@code h', c' = cell(input, (h, c))}, typed: h and c both given, or both null for zeros. */
    public State run(Tensor input, Tensor h, Tensor c) {
        RNNBase.bothOrNeither(h, c);
        Tensor[] r = forward(input, h == null ? null : new Tensor[] {h, c});
        return new State(r[0], r[1]);
    }

    /** {@code h', c' = cell(input)} from zero state. */
    public State run(Tensor input) {
        return run(input, null, null);
    }

    /** {@code forward(input, null)[0]}: the new hidden state from zero state (for {@link #call}). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, (Tensor[]) null)[0];
    }
}
