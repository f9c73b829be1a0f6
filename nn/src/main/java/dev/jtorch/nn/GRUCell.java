package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/**
 * A gated recurrent unit cell, like {@code torch.nn.GRUCell}: r, z, n with
 * {@code n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn))} and {@code h' = (1 - z) n + z h}.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code bias} (default true).
 *
 * <p>Shape: input (N, inputSize) or (inputSize); hidden (N, hiddenSize) or (hiddenSize), zeros when absent;
 * output like hidden.
 *
 * <p>Attributes: weight_ih (3 hiddenSize, inputSize), weight_hh (3 hiddenSize, hiddenSize), bias_ih and
 * bias_hh (3 hiddenSize), all from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example: {@code Tensor h = new GRUCell(10, 20).forward(x, h0);}
 */
public class GRUCell extends RNNCellBase {
    /** With biases. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DType.FLOAT32);
    }

    /** With every argument. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, DType dtype) {
        super(inputSize, hiddenSize, bias, 3, dtype);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    @Override
    public Tensor forward(Tensor input, Tensor hx) {
        boolean unbatched = input.dim() == 1;
        Tensor x = batchedInput(input);
        Tensor h = batchedState(hx, x, unbatched, "hidden0");
        Tensor[] gi = gates(x, attr("weight_ih"), attr("bias_ih")).chunk(3, 1);
        Tensor[] gh = gates(h, attr("weight_hh"), attr("bias_hh")).chunk(3, 1);
        Tensor r = gi[0].add(gh[0]).sigmoid();
        Tensor z = gi[1].add(gh[1]).sigmoid();
        Tensor n = gi[2].add(r.mul(gh[2])).tanh();
        Tensor out = n.add(z.mul(h.sub(n)));
        return unbatched ? out.squeeze(0) : out;
    }

    /** {@code h' = cell(input, h)}, as the LSTM cell's {@link LSTMCell#run}: h null for zeros. */
    public Tensor run(Tensor input, Tensor h) {
        return forward(input, h);
    }

    /** {@code h' = cell(input)} from zero state. */
    public Tensor run(Tensor input) {
        return forward(input, (Tensor) null);
    }
}
