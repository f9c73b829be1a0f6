package dev.jtorch.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registered parameters by name, in insertion order, like {@code torch.nn.ParameterDict}.
 *
 * <p>Args: an optional LinkedHashMap of initial parameters.
 *
 * <p>Example: {@code ParameterDict pd = new ParameterDict(); pd.put("scale", new Parameter(Torch.ones(1)));}
 */
public class ParameterDict extends Module {
    private final List<String> keys = new ArrayList<>();

    /** Empty. */
    public ParameterDict() {
    }

    /** With the given parameters. */
    public ParameterDict(LinkedHashMap<String, ? extends Parameter> params) {
        for (Map.Entry<String, ? extends Parameter> e : params.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Adds or replaces a parameter. */
    public void put(String key, Parameter p) {
        registerParameter(key, p);
        if (!keys.contains(key)) {
            keys.add(key);
        }
    }

    /** The parameter under key. */
    public Parameter get(String key) {
        if (!keys.contains(key)) {
            throw new IllegalArgumentException("KeyError: '" + key + "'");
        }
        return parameter(key);
    }

    /** The keys in order. */
    public Set<String> keySet() {
        return new java.util.LinkedHashSet<>(keys);
    }

    /** Number of parameters. */
    public int size() {
        return keys.size();
    }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (String k : keys) {
            Parameter p = get(k);
            String size = ParameterList.describe(p);
            lines.add("  (" + k + "): " + size.replace("[" + p.dtype() + " ", "[" + p.typeName() + " "));
        }
        return String.join("\n", lines);
    }
}
