package dev.jtorch.nn;

import dev.jtorch.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modules applied in order, like {@code torch.nn.Sequential}: from varargs (named "0", "1", ...) or from a
 * LinkedHashMap of names (PyTorch's OrderedDict). Supports indexing (negative too), slicing (a new
 * Sequential sharing the modules), {@link #append}, {@link #size()} and iteration.
 *
 * <p>Args: the modules, or a LinkedHashMap from name to module.
 *
 * <p>Shape: whatever the first module takes; whatever the last returns.
 *
 * <p>Example: {@code Sequential s = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));}
 */
public class Sequential extends Module implements Iterable<Module> {
    /** Modules named "0", "1", .... */
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            registerModule(Integer.toString(i), modules[i]);
        }
    }

    /** Modules under the given names, in the map's order. */
    public Sequential(LinkedHashMap<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            registerModule(e.getKey(), e.getValue());
        }
    }

    /** Number of modules. */
    public int size() {
        return childMap().size();
    }

    private int index(int i) {
        int n = size();
        if (i < -n || i >= n) {
            throw new IndexOutOfBoundsException("index " + i + " is out of range");
        }
        return i < 0 ? i + n : i;
    }

    /** The module at position i (negative counts from the end). */
    public Module get(int i) {
        int k = index(i);
        Iterator<Module> it = childMap().values().iterator();
        for (int j = 0; j < k; j++) {
            it.next();
        }
        return it.next();
    }

    /** Modules start..end-1 as a new Sequential (names kept), like {@code seq[start:end]}. */
    public Sequential slice(int start, int end) {
        int n = size();
        int s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int e = Math.max(s, Math.min(n, end < 0 ? end + n : end));
        LinkedHashMap<String, Module> m = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Module> en : childMap().entrySet()) {
            if (i >= s && i < e) {
                m.put(en.getKey(), en.getValue());
            }
            i++;
        }
        return new Sequential(m);
    }

    /** Adds a module at the end (named by its position); returns this. */
    public Sequential append(Module module) {
        registerModule(Integer.toString(size()), module);
        return this;
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(new ArrayList<>(childMap().values())).iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : childMap().values()) {
            x = m.call(x);
        }
        return x;
    }
}
