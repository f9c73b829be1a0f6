package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reading scheduler state dicts: typed values with a clear message when an entry has the wrong kind. */
final class States {
    private States() {
    }

    static void ifPresent(Map<String, ?> sd, String key, Consumer<Object> action) {
        if (sd.containsKey(key)) {
            action.accept(sd.get(key));
        }
    }

    private static IllegalArgumentException wrong(String key, String expected, Object v) {
        return new IllegalArgumentException("state dict entry '" + key + "' should be " + expected + ", got "
                + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
    }

    static double toDouble(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number", v);
    }

    static int toInt(String key, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw wrong(key, "an int", v);
    }

    static boolean toBool(String key, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "a boolean", v);
    }

    static String toStr(String key, Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw wrong(key, "a string", v);
    }

    static List<Double> doubles(String key, Object v) {
        if (v instanceof List<?> l) {
            List<Double> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toDouble(key, o));
            }
            return out;
        }
        throw wrong(key, "a list of numbers", v);
    }

    static List<Integer> ints(String key, Object v) {
        if (v instanceof List<?> l) {
            List<Integer> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toInt(key, o));
            }
            return out;
        }
        throw wrong(key, "a list of ints", v);
    }

    static Map<?, ?> map(String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw wrong(key, "a map", v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stringMap(String key, Object v) {
        Map<?, ?> m = map(key, v);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw wrong(key, "a map with string keys", v);
            }
            out.put((String) e.getKey(), e.getValue());
        }
        return out;
    }

    /** PyTorch's {@code _format_param}: a Double for every group, or a list with one value per group. */
    static List<Double> perGroup(String name, Object value, int groups) {
        List<Double> out = new ArrayList<>();
        if (value instanceof Number n) {
            for (int i = 0; i < groups; i++) {
                out.add(n.doubleValue());
            }
            return out;
        }
        List<Double> l = doubles(name, value);
        if (l.size() != groups) {
            throw new IllegalArgumentException("expected " + groups + " values for " + name + ", got " + l.size());
        }
        return l;
    }
}
