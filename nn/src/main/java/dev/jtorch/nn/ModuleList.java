package dev.jtorch.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of submodules that are registered (their parameters are the list's), like
 * {@code torch.nn.ModuleList}. Names are positions; insert renumbers as PyTorch does.
 *
 * <p>Args: the initial modules.
 *
 * <p>Example: {@code ModuleList layers = new ModuleList(new Linear(4, 4), new Linear(4, 4));}
 */
public class ModuleList extends Module implements Iterable<Module> {
    /** A list of the given modules. */
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            append(m);
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
        return childMap().get(Integer.toString(index(i)));
    }

    /** Replaces position i. */
    public void set(int i, Module m) {
        List<Module> all = new ArrayList<>(childMap().values());
        all.set(index(i), m);
        rebuild(all);
    }

    /** Appends; returns this. */
    public ModuleList append(Module m) {
        registerModule(Integer.toString(size()), m);
        return this;
    }

    /** Appends all; returns this. */
    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            append(m);
        }
        return this;
    }

    /** Inserts before position i (as Python's list.insert), renumbering the rest. */
    public void insert(int i, Module m) {
        List<Module> all = new ArrayList<>(childMap().values());
        int n = all.size();
        int k = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
        all.add(k, m);
        rebuild(all);
    }

    /** Removes position i and renumbers. */
    public Module remove(int i) {
        List<Module> all = new ArrayList<>(childMap().values());
        Module m = all.remove(index(i));
        rebuild(all);
        return m;
    }

    private void rebuild(List<Module> all) {
        clearChildren();
        for (Module m : all) {
            registerModule(Integer.toString(size()), m);
        }
    }

    @Override
    public Iterator<Module> iterator() {
        return new ArrayList<>(childMap().values()).iterator();
    }
}
