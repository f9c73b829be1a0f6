package dev.jtorch.nn.utils;

import dev.jtorch.nn.Module;
import dev.jtorch.nn.internal.ModuleAccess;

/** The check that a reparametrization's new attribute names are free, made before the module is changed. */
final class NamesFree {
    private NamesFree() {
    }

    /** Fails with PyTorch's "attribute '...' already exists" when a name is taken on {@code module}. */
    static void check(Module module, String... names) {
        ModuleAccess access = ModuleAccess.get();
        for (String n : names) {
            if (access.isParameter(module, n) || access.isBuffer(module, n) || access.isComputed(module, n)
                    || module.namedChildren().containsKey(n)) {
                throw new IllegalArgumentException("attribute '" + n + "' already exists");
            }
        }
    }
}
