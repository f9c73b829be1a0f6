package dev.jtorch.io;

/** A safetensors file or buffer that breaks the format's rules; the message says which rule and where. */
public final class SafeTensorsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message naming the problem. */
    public SafeTensorsException(String message) {
        super(message);
    }

    /** An exception caused by an I/O error. */
    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
