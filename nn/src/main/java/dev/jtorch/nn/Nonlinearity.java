package dev.jtorch.nn;

/**
 * The activation of {@link RNN} and {@link RNNCell}: PyTorch's {@code nonlinearity} argument, {@code 'tanh'}
 * (the default) or {@code 'relu'}.
 */
public enum Nonlinearity {
    /** {@code h' = tanh(...)}. */
    TANH,
    /** {@code h' = relu(...)}. */
    RELU;

    /** PyTorch's spelling of the value: {@code "tanh"} or {@code "relu"}. */
    public String pytorchName() {
        return this == TANH ? "tanh" : "relu";
    }

    /**
     * The value PyTorch's string names, {@code "tanh"} or {@code "relu"}; anything else fails with PyTorch's
     * "Unknown nonlinearity 'x'. Select from 'tanh' or 'relu'.".
     */
    public static Nonlinearity of(String name) {
        return switch (name) {
            case "tanh" -> TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("Unknown nonlinearity '" + name
                    + "'. Select from 'tanh' or 'relu'.");
        };
    }
}
