package dev.jtorch.spark;

import dev.jtorch.nn.Module;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The models of one JVM (an executor's, or the driver's in local mode), built once per broadcast and shared
 * read-only by the task threads: an eval-mode forward under no-grad writes nothing into the module, so
 * concurrent tasks may call it together. A few entries are kept, the least recently used dropped.
 */
final class ExecutorModels {
    private static final int CAPACITY = 4;
    private static final Map<String, Holder> MODELS = new LinkedHashMap<>(8, 0.75f, true);
    private static final AtomicInteger BUILDS = new AtomicInteger();

    private ExecutorModels() {
    }

    /**
     * The model for broadcast {@code id} of application {@code app} (broadcast ids restart with each Spark
     * context, and a JVM may see several), built by {@code build} the first time any thread asks.
     */
    static Module get(String app, long id, Supplier<Module> build) {
        String key = app + "/" + id;
        Holder h;
        synchronized (MODELS) {
            h = MODELS.computeIfAbsent(key, _ -> new Holder());
            if (MODELS.size() > CAPACITY) {
                String eldest = MODELS.keySet().iterator().next();
                MODELS.remove(eldest);
            }
        }
        return h.get(build);
    }

    /** How many models this JVM has built (the tests check that tasks share one). */
    static int builds() {
        return BUILDS.get();
    }

    private static final class Holder {
        private Module model;

        synchronized Module get(Supplier<Module> build) {
            if (model == null) {
                model = build.get();
                BUILDS.incrementAndGet();
            }
            return model;
        }
    }
}
