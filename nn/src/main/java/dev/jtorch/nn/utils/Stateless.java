package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.internal.ModuleAccess;
import dev.jtorch.nn.internal.Overrides;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code torch.nn.utils.stateless} (and {@code torch.func.functional_call}): run a module with some of its
 * parameters and buffers replaced by given tensors, without changing the module.
 *
 * <p>Args: {@code module}; {@code parametersAndBuffers} (dotted names as in the state dict, e.g.
 * {@code "0.weight"}, to tensors; the name of a parametrized tensor, e.g. {@code "weight"} of a module under
 * {@code parametrize}, replaces the computed value, and {@code "parametrizations.weight.original"} the
 * original); {@code args} (the inputs of {@code module.call}); {@code tieWeights} (default true: a tensor
 * registered under several names, as tied embeddings, is replaced under all of them by the value given for
 * one; different values for tied names fail); {@code strict} (default false: with true, every parameter and
 * buffer must be given and no other name).
 *
 * <p>The replacement holds on the calling thread only, for the duration of the call: the module may serve
 * other threads meanwhile (this is how {@code DataParallel} runs its replicas). Gradients flow to the given
 * tensors, not to the module's parameters; in-place updates of buffers (batch norm's running statistics in
 * training mode) go to the given buffers.
 *
 * <p>Example:
 * <pre>{@code
 * Linear lin = new Linear(3, 2);
 * Tensor w = Torch.zeros(2, 3).requiresGrad_(true);
 * Tensor y = Stateless.functionalCall(lin, Map.of("weight", w), x);   // x W'^T + b with W' = w
 * }</pre>
 */
public final class Stateless {
    private Stateless() {
    }

    /** {@code functionalCall(module, parametersAndBuffers, args)} with tieWeights true and strict false. */
    public static Tensor functionalCall(Module module, Map<String, ? extends Tensor> parametersAndBuffers,
                                        Tensor... args) {
        return functionalCall(module, parametersAndBuffers, true, false, m -> m.call(args));
    }

    /**
     * Runs {@code body} (which calls the module any way it likes, e.g. {@code m -> lstm.run(x, h0, c0)}) with
     * the replacements in force; returns what it returns.
     */
    public static <T> T functionalCall(Module module, Map<String, ? extends Tensor> parametersAndBuffers,
                                       boolean tieWeights, boolean strict, Function<Module, T> body) {
        if (module == null || parametersAndBuffers == null || body == null) {
            throw new IllegalArgumentException("functional_call: module, parameters_and_buffers and the call must "
                    + "not be null");
        }
        return Overrides.with(overrides(module, parametersAndBuffers, tieWeights, strict), () -> body.apply(module));
    }

    /**
     * Several dictionaries ({@code functional_call(module, (params, buffers), args)}): merged, a name given in
     * more than one fails.
     */
    public static Tensor functionalCall(Module module, List<? extends Map<String, ? extends Tensor>> dicts,
                                        Tensor... args) {
        if (dicts == null) {
            throw new IllegalArgumentException("functional_call: the dictionaries must not be null");
        }
        Map<String, Tensor> merged = new LinkedHashMap<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (Map<String, ? extends Tensor> d : dicts) {
            if (d == null) {
                throw new IllegalArgumentException("functional_call: a dictionary of the list is null");
            }
            for (Map.Entry<String, ? extends Tensor> e : d.entrySet()) {
                if (merged.containsKey(e.getKey())) {
                    repeated.add(e.getKey());
                }
                merged.put(e.getKey(), e.getValue());
            }
        }
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException("functional_call: " + repeated + " appeared in multiple dictionaries; "
                    + "behavior of functional call is ambiguous");
        }
        return functionalCall(module, merged, args);
    }

    /** A (module, attribute name) pair: where a dotted name lands. */
    record Slot(Module module, String name) {
    }

    /** Every registered (module, name) of a parameter or buffer under its dotted names, shared ones repeated. */
    static LinkedHashMap<String, Tensor> allNamedTensors(Module root) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect(root, "", out, new IdentityHashMap<>());
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, IdentityHashMap<Module, Boolean> path) {
        if (path.put(m, Boolean.TRUE) != null) {
            return;
        }
        for (Map.Entry<String, ? extends Tensor> e : m.namedParameters("", false).entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> c : m.namedChildren().entrySet()) {
            collect(c.getValue(), prefix + c.getKey() + ".", out, path);
        }
        for (Map.Entry<String, Tensor> e : ModuleAccess.get().ownBuffers(m).entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        path.remove(m);
    }

    static Slot slot(Module root, String key) {
        int dot = key.lastIndexOf('.');
        Module owner;
        try {
            owner = root.getSubmodule(dot < 0 ? "" : key.substring(0, dot));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("functional_call: no submodule for '" + key + "': " + e.getMessage(), e);
        }
        if (owner == null) {
            throw new IllegalArgumentException("functional_call: the submodule of '" + key + "' is None");
        }
        return new Slot(owner, key.substring(dot + 1));
    }

    static Map<Module, Map<String, Tensor>> overrides(Module root, Map<String, ? extends Tensor> given,
                                                      boolean tieWeights, boolean strict) {
        LinkedHashMap<String, Tensor> all = allNamedTensors(root);
        for (String k : given.keySet()) {
            if (k == null) {
                throw new IllegalArgumentException("functional_call: a name of parameters_and_buffers is null");
            }
        }
        Map<String, Tensor> wanted = new LinkedHashMap<>(given);
        if (tieWeights) {
            // names sharing one tensor: a value given for one goes to all; two different values fail
            IdentityHashMap<Tensor, List<String>> groups = new IdentityHashMap<>();
            for (Map.Entry<String, Tensor> e : all.entrySet()) {
                groups.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            }
            for (List<String> names : groups.values()) {
                if (names.size() < 2) {
                    continue;
                }
                Tensor value = null;
                List<String> givenNames = new ArrayList<>();
                for (String n : names) {
                    if (given.containsKey(n)) {
                        if (value != null && given.get(n) != value) {
                            throw new IllegalArgumentException("functional_call got multiple values for keys "
                                    + names + ", which are tied. Consider using tie_weights=False");
                        }
                        value = given.get(n);
                        givenNames.add(n);
                    }
                }
                if (value != null) {
                    for (String n : names) {
                        wanted.put(n, value);
                    }
                }
            }
        }
        if (strict) {
            List<String> missing = new ArrayList<>();
            for (String n : all.keySet()) {
                if (!wanted.containsKey(n)) {
                    missing.add("'" + n + "'");
                }
            }
            List<String> unexpected = new ArrayList<>();
            for (String n : wanted.keySet()) {
                if (!all.containsKey(n)) {
                    unexpected.add("'" + n + "'");
                }
            }
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                List<String> msgs = new ArrayList<>();
                if (!unexpected.isEmpty()) {
                    msgs.add("Unexpected key(s): " + String.join(", ", unexpected) + ".");
                }
                if (!missing.isEmpty()) {
                    msgs.add("Missing key(s): " + String.join(", ", missing) + ".");
                }
                throw new IllegalArgumentException("Error(s) in reparametrizing for " + root.name() + ":\n\t"
                        + String.join("\n\t", msgs));
            }
        }
        Map<Module, Map<String, Tensor>> out = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : wanted.entrySet()) {
            Slot s = slot(root, e.getKey());
            out.computeIfAbsent(s.module(), k -> new LinkedHashMap<>()).put(s.name(), e.getValue());
        }
        return out;
    }
}
