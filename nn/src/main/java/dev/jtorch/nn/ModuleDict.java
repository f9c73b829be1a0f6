package dev.jtorch.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Submodules by name, registered in insertion order, like {@code torch.nn.ModuleDict}.
 *
 * <p>Args: an optional LinkedHashMap of initial modules.
 *
 * <p>Example: {@code ModuleDict acts = new ModuleDict(); acts.put("relu", new ReLU());}
 */
public class ModuleDict extends Module {
    /** Empty. */
    public ModuleDict() {
    }

    /** With the given modules, in the map's order. */
    public ModuleDict(LinkedHashMap<String, ? extends Module> modules) {
        update(modules);
    }

    /** Adds or replaces a module. */
    public void put(String key, Module m) {
        if (childMap().containsKey(key)) {
            removeChild(key);
        }
        registerModule(key, m);
    }

    /** The module under key. */
    public Module get(String key) {
        Module m = childMap().get(key);
        if (m == null) {
            throw new IllegalArgumentException("KeyError: '" + key + "'");
        }
        return m;
    }

    /** Removes and returns the module under key. */
    public Module pop(String key) {
        Module m = get(key);
        removeChild(key);
        return m;
    }

    /** Whether key is present. */
    public boolean containsKey(String key) {
        return childMap().containsKey(key);
    }

    /** The keys in order. */
    public Set<String> keySet() {
        return childMap().keySet();
    }

    /** Number of modules. */
    public int size() {
        return childMap().size();
    }

    /** Adds or replaces all. */
    public void update(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }
}
