package dev.jtorch;

/**
 * The cell of a recurrent layer, named as PyTorch's {@code RNNBase.mode} strings are ({@code 'RNN_TANH'},
 * {@code 'RNN_RELU'}, {@code 'LSTM'}, {@code 'GRU'}), with its number of gates: the rows of
 * {@code weight_ih} and {@code weight_hh} are {@code gates() * hidden_size}, in PyTorch's gate order (LSTM
 * i | f | g | o, GRU r | z | n). A value type, like {@link DType}: the op layer and the backends both use it.
 */
public enum RnnMode {
    /** Elman RNN, {@code h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)}. */
    RNN_TANH(1),
    /** Elman RNN with ReLU. */
    RNN_RELU(1),
    /** Long short-term memory, optionally with a projection of the hidden state. */
    LSTM(4),
    /** Gated recurrent unit. */
    GRU(3);

    private final int gates;

    RnnMode(int gates) {
        this.gates = gates;
    }

    /** Gate blocks in the weights: 1, 1, 4, 3. */
    public int gates() {
        return gates;
    }
}
