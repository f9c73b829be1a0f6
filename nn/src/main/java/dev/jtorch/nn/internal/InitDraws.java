package dev.jtorch.nn.internal;

import java.util.function.Supplier;

/**
 * Internal to the nn module (its package is not exported): a scope in which {@code Init}'s draws from the global
 * generator are skipped on the current thread, so that a module can be built as a copy of another without
 * consuming random numbers, as PyTorch's {@code copy.deepcopy} consumes none (the Transformer stacks' clones).
 * The values it leaves are the freshly allocated tensors' (zeros); the caller overwrites them.
 */
public final class InitDraws {
    private static final ThreadLocal<int[]> SKIPPING = ThreadLocal.withInitial(() -> new int[1]);

    private InitDraws() {
    }

    /** Whether the current thread is inside {@link #skipped}. */
    public static boolean skipping() {
        return SKIPPING.get()[0] > 0;
    }

    /** Runs {@code build} with the global generator's initialisation draws skipped on this thread. */
    public static <T> T skipped(Supplier<T> build) {
        int[] depth = SKIPPING.get();
        depth[0]++;
        try {
            return build.get();
        } finally {
            depth[0]--;
        }
    }
}
