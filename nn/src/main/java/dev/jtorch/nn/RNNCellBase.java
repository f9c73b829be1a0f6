package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.init.Init;

/**
 * Shared state of RNNCell, LSTMCell and GRUCell (PyTorch's RNNCellBase): {@code weight_ih} (gates * H, I),
 * {@code weight_hh} (gates * H, H) and optional {@code bias_ih}, {@code bias_hh} (gates * H), all initialised
 * from U(-1/sqrt(H), 1/sqrt(H)) in that order.
 */
public abstract class RNNCellBase extends Module {
    /** Features of the input. */
    public final int inputSize;
    /** Features of the hidden state. */
    public final int hiddenSize;
    /** Whether the two biases exist. */
    public final boolean bias;
    /** Input-hidden weights. */
    public final Parameter weightIh;
    /** Hidden-hidden weights. */
    public final Parameter weightHh;
    /** Input-hidden bias, or null. */
    public final Parameter biasIh;
    /** Hidden-hidden bias, or null. */
    public final Parameter biasHh;

    RNNCellBase(int inputSize, int hiddenSize, boolean bias, int gates, DType dtype) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("input_size and hidden_size must be positive, got " + inputSize
                    + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.weightIh = registerParameter("weight_ih", new Parameter(Torch.empty(dtype, gates * hiddenSize, inputSize)));
        this.weightHh = registerParameter("weight_hh",
                new Parameter(Torch.empty(dtype, gates * hiddenSize, hiddenSize)));
        this.biasIh = registerParameter("bias_ih", bias ? new Parameter(Torch.empty(dtype, gates * hiddenSize)) : null);
        this.biasHh = registerParameter("bias_hh", bias ? new Parameter(Torch.empty(dtype, gates * hiddenSize)) : null);
        resetParameters();
    }

    /** Every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), in registration order. */
    public void resetParameters() {
        double stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
        for (Parameter p : parameters()) {
            Init.uniform_(p, -stdv, stdv);
        }
    }

    /** Checks the input (1-D or 2-D, inputSize features) and returns it batched, with whether it was. */
    Tensor batchedInput(Tensor input) {
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException(name() + ": Expected input to be 1-D or 2-D but received "
                    + input.dim() + "-D tensor");
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException("input has inconsistent input_size: got " + input.size(-1)
                    + " expected " + inputSize);
        }
        return input.dim() == 1 ? input.unsqueeze(0) : input;
    }

    /** A state for a batched input: zeros when null, else checked and batched like the input. */
    Tensor batchedState(Tensor hx, Tensor input, boolean unbatched, String what) {
        int n = unbatched ? 1 : input.size(0);
        if (hx == null) {
            return input.newZeros(input.dtype(), n, hiddenSize);
        }
        Tensor h = unbatched ? hx.unsqueeze(0) : hx;
        if (h.dim() != 2 || h.size(1) != hiddenSize) {
            throw new IllegalArgumentException(what + " has inconsistent hidden_size: got " + hx.size(-1)
                    + ", expected " + hiddenSize);
        }
        if (h.size(0) != n) {
            throw new IllegalArgumentException("Input batch size " + n + " doesn't match " + what + " batch size "
                    + h.size(0));
        }
        return h;
    }

    Tensor gates(Tensor x, Tensor w, Tensor b) {
        return b == null ? x.matmul(w.t()) : b.addmm(x, w.t());
    }

    @Override
    public String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
