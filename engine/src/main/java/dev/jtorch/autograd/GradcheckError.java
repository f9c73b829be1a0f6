package dev.jtorch.autograd;

/** Thrown by {@link Autograd#gradcheck} when analytical and numerical gradients disagree. */
public final class GradcheckError extends AssertionError {
    private static final long serialVersionUID = 1L;

    GradcheckError(String message) {
        super(message);
    }
}
