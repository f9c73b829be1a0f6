package dev.jtorch.autograd;

/**
 * Whether autograd records operations on this thread (on by default), like {@code torch.is_grad_enabled()}.
 * Change it through {@link Autograd#noGrad()} and {@link Autograd#enableGrad()}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when operations on this thread build a graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    static boolean set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return previous;
    }
}
