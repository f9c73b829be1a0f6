package dev.jtorch.nn.internal;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;

import java.util.function.Function;

/**
 * Internal to the nn module (its package is not exported): what {@code nn.utils} (parametrize, weight_norm,
 * spectral_norm, prune) does to a module that Python does with {@code del module.weight} and properties: remove a
 * parameter or buffer, and install a computed attribute that {@link Module#attr} returns. {@link Module} installs
 * the implementation when it is initialised.
 */
public abstract class ModuleAccess {
    private static volatile ModuleAccess instance;

    /** Set once by {@link Module}. */
    public static void set(ModuleAccess access) {
        instance = access;
    }

    /** The implementation (Module is initialised before any module exists to pass in). */
    public static ModuleAccess get() {
        return instance;
    }

    /** Removes and returns the parameter {@code name} ({@code del module.name}); fails when there is none. */
    public abstract Parameter removeParameter(Module m, String name);

    /** Removes and returns the buffer {@code name}; fails when there is none. */
    public abstract Tensor removeBuffer(Module m, String name);

    /** Whether {@code name} is a parameter of {@code m} (absent ones count). */
    public abstract boolean isParameter(Module m, String name);

    /** Whether {@code name} is a buffer of {@code m}. */
    public abstract boolean isBuffer(Module m, String name);

    /** Whether {@code name} is a non-persistent buffer of {@code m}. */
    public abstract boolean isNonPersistentBuffer(Module m, String name);

    /** Makes {@link Module#attr}{@code (name)} return {@code fn(m)}; null removes it. */
    public abstract void setComputed(Module m, String name, Function<Module, Tensor> fn);

    /** Whether {@code name} is a computed attribute of {@code m}. */
    public abstract boolean isComputed(Module m, String name);

    /**
     * The function of the computed attribute {@code name} of {@code m}, or null: {@code weight_norm} and
     * {@code spectral_norm} recognise their own (PyTorch looks for its hook among the forward pre-hooks).
     */
    public abstract Function<Module, Tensor> computed(Module m, String name);

    /** The names of {@code m}'s computed attributes (a copy). */
    public abstract java.util.List<String> computedNames(Module m);

    /** The module's own non-null buffers by name, persistent or not, in registration order. */
    public abstract java.util.LinkedHashMap<String, Tensor> ownBuffers(Module m);

    /** Removes a child module (PyTorch's {@code delattr} of a submodule). */
    public abstract void removeChild(Module m, String name);
}
