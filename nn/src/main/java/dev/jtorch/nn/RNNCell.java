package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

/**
 * An Elman RNN cell, {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)}, like {@code torch.nn.RNNCell}.
 *
 * <p>Args: {@code inputSize}, {@code hiddenSize}, {@code bias} (default true), {@code nonlinearity} (TANH,
 * the default, or RELU).
 *
 * <p>Shape: input (N, inputSize) or (inputSize); hidden (N, hiddenSize) or (hiddenSize), zeros when absent;
 * output like hidden.
 *
 * <p>Attributes: weight_ih (hiddenSize, inputSize), weight_hh (hiddenSize, hiddenSize), bias_ih and bias_hh
 * (hiddenSize), all from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)).
 *
 * <p>Example: {@code Tensor h = new RNNCell(10, 20).forward(Torch.randn(3, 10), h0);}
 */
public class RNNCell extends RNNCellBase {
    /** TANH or RELU. */
    public final Nonlinearity nonlinearity;

    /** tanh, with biases. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Nonlinearity.TANH, DType.FLOAT32);
    }

    /** With every argument. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, Nonlinearity nonlinearity, DType dtype) {
        super(inputSize, hiddenSize, bias, 1, dtype);
        this.nonlinearity = nonlinearity;
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
        Tensor pre = gates(x, attr("weight_ih"), attr("bias_ih")).add(gates(h, attr("weight_hh"), attr("bias_hh")));
        Tensor out = nonlinearity == Nonlinearity.TANH ? pre.tanh() : pre.relu();
        return unbatched ? out.squeeze(0) : out;
    }

    @Override
    public String extraRepr() {
        return super.extraRepr() + (nonlinearity == Nonlinearity.TANH ? "" : ", nonlinearity=relu");
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
