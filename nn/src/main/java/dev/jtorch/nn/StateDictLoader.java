package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Module#loadStateDict}: PyTorch's {@code load_state_dict} walk (every module under each of its names,
 * missing and unexpected keys per module, shape checks), all errors collected with PyTorch's wording, and the
 * copies made only when nothing failed.
 */
final class StateDictLoader {
    private final Map<String, Tensor> sd;
    private final List<String> missing = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Tensor[]> copies = new ArrayList<>();

    private StateDictLoader(Map<String, Tensor> sd) {
        this.sd = sd;
    }

    static Module.IncompatibleKeys load(Module root, Map<String, Tensor> stateDict, boolean strict) {
        StateDictLoader l = new StateDictLoader(stateDict);
        l.walk(root, "");
        if (strict) {
            if (!l.unexpected.isEmpty()) {
                l.errors.add(0, "Unexpected key(s) in state_dict: " + quoted(l.unexpected) + ". ");
            }
            if (!l.missing.isEmpty()) {
                l.errors.add(0, "Missing key(s) in state_dict: " + quoted(l.missing) + ". ");
            }
        }
        if (!l.errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + root.name() + ":\n\t"
                    + String.join("\n\t", l.errors));
        }
        try (var _ = Autograd.noGrad()) {
            for (Tensor[] c : l.copies) {
                c[0].copy_(c[1]);
            }
        }
        return new Module.IncompatibleKeys(l.missing, l.unexpected);
    }

    /** Visits a module and then its children, depth first; shared modules are visited under each name. */
    private void walk(Module m, String name) {
        loadInto(m, name.isEmpty() ? "" : name + ".");
        for (Map.Entry<String, Module> c : m.childMap().entrySet()) {
            if (c.getValue() != null) {
                walk(c.getValue(), name.isEmpty() ? c.getKey() : name + "." + c.getKey());
            }
        }
    }

    private void loadInto(Module m, String prefix) {
        LinkedHashMap<String, Tensor> local = m.localState();
        for (Map.Entry<String, Tensor> l : local.entrySet()) {
            String key = prefix + l.getKey();
            Tensor input = sd.get(key);
            if (input == null) {
                missing.add(key);
                continue;
            }
            Tensor mine = l.getValue();
            if (!Arrays.equals(input.shape(), mine.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + size(input.shape())
                        + " from checkpoint, the shape in current model is " + size(mine.shape()) + ".");
                continue;
            }
            copies.add(new Tensor[] {mine, input});
        }
        for (String key : sd.keySet()) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                String first = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                if (!m.childMap().containsKey(first) && !local.containsKey(first)) {
                    unexpected.add(key);
                }
            }
        }
    }

    private static String quoted(List<String> keys) {
        List<String> q = new ArrayList<>();
        for (String k : keys) {
            q.add("\"" + k + "\"");
        }
        return String.join(", ", q);
    }

    private static String size(int[] shape) {
        return "torch.Size(" + Arrays.toString(shape) + ")";
    }
}
