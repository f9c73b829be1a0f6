package dev.jtorch.nn;

import dev.jtorch.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of registered parameters, like {@code torch.nn.ParameterList} (names "0", "1", ...).
 *
 * <p>Args: the initial parameters.
 *
 * <p>Example: {@code ParameterList ps = new ParameterList(new Parameter(Torch.randn(3)));}
 */
public class ParameterList extends Module implements Iterable<Parameter> {
    private int count;

    /** A list of the given parameters. */
    public ParameterList(Parameter... params) {
        for (Parameter p : params) {
            append(p);
        }
    }

    /** Number of parameters. */
    public int size() {
        return count;
    }

    /** The parameter at position i (negative counts from the end). */
    public Parameter get(int i) {
        if (i < -count || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " is out of range");
        }
        return parameter(Integer.toString(i < 0 ? i + count : i));
    }

    /** Appends; returns this. */
    public ParameterList append(Parameter p) {
        registerParameter(Integer.toString(count++), p);
        return this;
    }

    /** Appends all; returns this. */
    public ParameterList extend(Iterable<? extends Parameter> ps) {
        for (Parameter p : ps) {
            append(p);
        }
        return this;
    }

    @Override
    public Iterator<Parameter> iterator() {
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(get(i));
        }
        return all.iterator();
    }

    static String describe(Tensor p) {
        StringBuilder size = new StringBuilder();
        int[] s = p.shape();
        for (int i = 0; i < s.length; i++) {
            size.append(i > 0 ? "x" : "").append(s[i]);
        }
        return (p instanceof Parameter ? "Parameter" : "Tensor") + " containing: [" + p.dtype() + " of size " + size
                + "]";
    }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("  (" + i + "): " + describe(get(i)));
        }
        return String.join("\n", lines);
    }
}
