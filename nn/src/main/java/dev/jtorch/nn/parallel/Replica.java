package dev.jtorch.nn.parallel;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.internal.ModuleAccess;
import dev.jtorch.nn.internal.Overrides;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One replica of {@link Parallel#replicate}: the original module run with its parameters and buffers replaced,
 * on the calling thread only, by this replica's tensors (as {@code stateless.functionalCall} does). So all
 * replicas share the module's structure, code, hooks and training flag, and run at once on different threads
 * without touching each other's tensors.
 *
 * <p>As PyTorch's replicas, a replica registers no parameters of its own ({@code parameters()} is empty); its
 * tensors are {@link #tensors()}, by the original's dotted names. Without {@code detach} they are differentiable
 * functions of the original parameters (views on the original's device, copies on another), so gradients
 * reach the original's {@code grad}.
 */
public final class Replica extends Module {
    private final Module original;
    private final Device device;
    private final Map<Module, Map<String, Tensor>> overrides;
    private final LinkedHashMap<String, Tensor> tensors;

    private Replica(Module original, Device device, Map<Module, Map<String, Tensor>> overrides,
                    LinkedHashMap<String, Tensor> tensors) {
        this.original = original;
        this.device = device;
        this.overrides = overrides;
        this.tensors = tensors;
    }

    /**
     * A replica of {@code module} whose parameter {@code p} (of module {@code m}) is {@code param.apply(p)} and
     * whose buffer {@code b} is {@code buffer.apply(b)}; the values start from {@code m.attr(name)} on the calling
     * thread, so a replica made inside a functional call sees the values given there. Tied tensors stay tied.
     */
    static Replica of(Module module, Device device, UnaryOperator<Tensor> param, UnaryOperator<Tensor> buffer) {
        ModuleAccess access = ModuleAccess.get();
        Map<Module, Map<String, Tensor>> overrides = new IdentityHashMap<>();
        LinkedHashMap<String, Tensor> named = new LinkedHashMap<>();
        IdentityHashMap<Tensor, Tensor> made = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : module.namedModules().entrySet()) {
            Module m = e.getValue();
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Map<String, Tensor> own = new LinkedHashMap<>();
            for (String name : m.namedParameters("", false).keySet()) {
                Tensor value = m.attr(name);
                Tensor r = made.computeIfAbsent(value, param);
                own.put(name, r);
                named.putIfAbsent(prefix + name, r);
            }
            for (String name : access.ownBuffers(m).keySet()) {
                Tensor value = m.attr(name);
                Tensor r = made.computeIfAbsent(value, buffer);
                own.put(name, r);
                named.putIfAbsent(prefix + name, r);
            }
            // what a functional call around this replica gives for computed names (a parametrized or pruned
            // weight) is the replica's too, as a parameter would be
            Map<String, Tensor> outer = Overrides.of(m);
            if (outer != null) {
                for (Map.Entry<String, Tensor> o : outer.entrySet()) {
                    if (!own.containsKey(o.getKey()) && o.getValue() != null) {
                        Tensor r = made.computeIfAbsent(o.getValue(), param);
                        own.put(o.getKey(), r);
                        named.putIfAbsent(prefix + o.getKey(), r);
                    }
                }
            }
            if (!own.isEmpty()) {
                overrides.put(m, own);
            }
        }
        return new Replica(module, device, overrides, named);
    }

    /** The module this replicates. */
    public Module original() {
        return original;
    }

    /** The device this replica's tensors are on. */
    public Device device() {
        return device;
    }

    /** This replica's parameters and buffers, by the original's dotted names (read-only). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    protected Tensor forwardInputs(Tensor[] inputs) {
        return Overrides.with(overrides, () -> original.call(inputs));
    }

    @Override
    public String name() {
        return original.name();
    }

    /** The original's mode (a replica has no mode of its own). */
    @Override
    public boolean isTraining() {
        return original.isTraining();
    }

    @Override
    public String toString() {
        return original.toString();
    }
}
