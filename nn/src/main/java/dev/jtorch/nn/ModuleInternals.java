package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.internal.ModuleAccess;

import java.util.function.Function;

/** The {@link ModuleAccess} implementation over Module's package-private members. */
final class ModuleInternals extends ModuleAccess {
    private ModuleInternals() {
    }

    static void install() {
        ModuleAccess.set(new ModuleInternals());
    }

    @Override
    public Parameter removeParameter(Module m, String name) {
        return m.removeParameter(name);
    }

    @Override
    public Tensor removeBuffer(Module m, String name) {
        return m.removeBuffer(name);
    }

    @Override
    public boolean isParameter(Module m, String name) {
        return m.hasParameter(name);
    }

    @Override
    public boolean isBuffer(Module m, String name) {
        return m.hasBuffer(name);
    }

    @Override
    public boolean isNonPersistentBuffer(Module m, String name) {
        return m.hasBuffer(name) && m.isNonPersistent(name);
    }

    @Override
    public void setComputed(Module m, String name, Function<Module, Tensor> fn) {
        m.setComputed(name, fn);
    }

    @Override
    public boolean isComputed(Module m, String name) {
        return m.isComputed(name);
    }

    @Override
    public Function<Module, Tensor> computed(Module m, String name) {
        return m.computedFn(name);
    }

    @Override
    public java.util.List<String> computedNames(Module m) {
        return m.computedNames();
    }

    @Override
    public java.util.LinkedHashMap<String, Tensor> ownBuffers(Module m) {
        return m.ownBuffers();
    }

    @Override
    public void removeChild(Module m, String name) {
        m.removeChild(name);
    }
}
