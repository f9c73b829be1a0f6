package dev.jtorch.nn.internal;

import dev.jtorch.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Internal to the nn module (its package is not exported): the attribute overrides of
 * {@code stateless.functionalCall} and of {@code DataParallel}'s replicas, per thread. While a scope is open on a
 * thread, {@link dev.jtorch.nn.Module#attr} on that thread returns the override for a (module, name) pair instead
 * of the module's own parameter, buffer or parametrized value; other threads see the module unchanged, so one
 * module serves several replicas at once.
 */
public final class Overrides {
    private static final ThreadLocal<IdentityHashMap<Object, Map<String, Tensor>>> ACTIVE = new ThreadLocal<>();

    private Overrides() {
    }

    /** Whether any override is in force on this thread. */
    public static boolean active() {
        IdentityHashMap<Object, Map<String, Tensor>> m = ACTIVE.get();
        return m != null && !m.isEmpty();
    }

    /** The overrides of {@code module} on this thread, or null. */
    public static Map<String, Tensor> of(Object module) {
        IdentityHashMap<Object, Map<String, Tensor>> m = ACTIVE.get();
        return m == null ? null : m.get(module);
    }

    /**
     * Runs {@code body} with {@code overrides} (per module, per attribute name) in force on this thread, on top of
     * any already open (inner scopes win for the same pair); restores the previous state afterwards.
     */
    public static <T> T with(Map<?, Map<String, Tensor>> overrides, Supplier<T> body) {
        IdentityHashMap<Object, Map<String, Tensor>> previous = ACTIVE.get();
        IdentityHashMap<Object, Map<String, Tensor>> next = new IdentityHashMap<>();
        if (previous != null) {
            for (Map.Entry<Object, Map<String, Tensor>> e : previous.entrySet()) {
                next.put(e.getKey(), new java.util.HashMap<>(e.getValue()));
            }
        }
        for (Map.Entry<?, Map<String, Tensor>> e : overrides.entrySet()) {
            next.computeIfAbsent(e.getKey(), k -> new java.util.HashMap<>()).putAll(e.getValue());
        }
        ACTIVE.set(next);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        }
    }
}
