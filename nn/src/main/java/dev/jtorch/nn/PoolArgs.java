package dev.jtorch.nn;

import java.util.Arrays;

/**
 * How pooling layers keep per-dim arguments: one value (printed as a number, as PyTorch prints an int it was
 * given) or one per dim (printed as a tuple), expanded to one per dim for the functional call.
 */
final class PoolArgs {
    private PoolArgs() {
    }

    static int[] expand(String name, int[] v, int nd) {
        if (v.length == nd) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(name + " must be one value or " + nd + " values, got " + Arrays.toString(v));
    }

    /** As given: "3" for one value, "(3, 2)" for several. */
    static String asGiven(int[] v) {
        return v.length == 1 ? String.valueOf(v[0]) : Repr.tuple(v);
    }

    /** Adaptive output sizes as given: numbers, None for null. */
    static String asGiven(Integer[] v) {
        if (v.length == 1) {
            return v[0] == null ? "None" : String.valueOf(v[0]);
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(v[i] == null ? "None" : String.valueOf(v[i]));
        }
        return s.append(')').toString();
    }
}
