package dev.jtorch.io;

/** A PyTorch checkpoint that cannot be loaded safely or is corrupt; the message names the problem. */
public final class TorchLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public TorchLoadException(String message) {
        super(message);
    }

    /** An exception with a cause. */
    public TorchLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
