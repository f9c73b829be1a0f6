package dev.jtorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code Tensor.toString()} in the format of PyTorch's {@code repr} with its default print options
 * (precision 4, line width 80, summarised with 3 edge items above 1000 elements).
 */
final class TensorFormatter {
    private static final int PRECISION = 4;
    private static final int LINEWIDTH = 80;
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormatter() {
    }

    private interface Fmt {
        String format(double v);
    }

    static String format(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        StringBuilder sb = new StringBuilder(prefix);
        boolean summarize = t.numel() > THRESHOLD;
        if (t.numel() == 0 && t.dim() > 0) {
            sb.append("[]");
        } else {
            double[] values = t.dtype == DType.INT64 ? null : t.toDoubleArray();
            long[] longs = t.dtype == DType.INT64 ? t.toLongArray() : null;
            int[] shown = shownIndices(t, summarize);
            double[] shownValues = null;
            if (values != null) {
                shownValues = new double[shown.length];
                for (int i = 0; i < shown.length; i++) {
                    shownValues[i] = values[shown[i]];
                }
            }
            Fmt fmt = formatter(t, shownValues, longs, summarize);
            int width = 0;
            for (int i : shown) {
                width = Math.max(width, render(fmt, t.dtype, values, longs, i).length());
            }
            int w = width;
            recurse(sb, t, values, longs, fmt, w, 0, 0, indent, summarize);
        }
        java.util.List<String> suffixes = new java.util.ArrayList<>();
        if (t.numel() == 0 && !(t.dim() == 1 && t.shape[0] == 0)) {
            StringBuilder s = new StringBuilder("size=(");
            for (int i = 0; i < t.dim(); i++) {
                s.append(t.shape[i]).append(i + 1 < t.dim() || t.dim() == 1 ? ", " : "");
            }
            suffixes.add(s.toString().replaceAll(", $", ",") + ")");
        }
        // an empty tensor has no elements to show that it is int64 or bool, so PyTorch names every dtype but the
        // default there
        boolean shownByValues = t.numel() > 0 && (t.dtype == DType.INT64 || t.dtype == DType.BOOL);
        if (t.dtype != DType.FLOAT32 && !shownByValues) {
            suffixes.add("dtype=" + t.dtype);
        }
        if (t.gradFn() != null) {
            suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        for (String s : suffixes) {
            sb.append(", ").append(s);
        }
        return sb.append(')').toString();
    }

    /** Flat indices of the elements printed (all, or the edge items of every dim when summarising). */
    private static int[] shownIndices(Tensor t, boolean summarize) {
        org.eclipse.collections.impl.list.mutable.primitive.IntArrayList out =
                new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
        collect(t, 0, 0, summarize, out);
        return out.toArray();
    }

    private static void collect(Tensor t, int dim, int base, boolean summarize,
                                org.eclipse.collections.impl.list.mutable.primitive.IntArrayList out) {
        if (dim == t.dim()) {
            out.add(base);
            return;
        }
        int size = t.shape[dim];
        int inner = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            inner *= t.shape[d];
        }
        for (int i = 0; i < size; i++) {
            if (summarize && size > 2 * EDGE && i == EDGE) {
                i = size - EDGE - 1;
                continue;
            }
            collect(t, dim + 1, base + i * inner, summarize, out);
        }
    }

    private static String render(Fmt fmt, DType dt, double[] v, long[] l, int i) {
        if (l != null) {
            return Long.toString(l[i]);
        }
        if (dt == DType.BOOL) {
            return v[i] != 0 ? "True" : "False";
        }
        return fmt.format(v[i]);
    }

    private static Fmt formatter(Tensor t, double[] values, long[] longs, boolean summarize) {
        if (!t.dtype.isFloatingPoint()) {
            return v -> Long.toString((long) v);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean intMode = true;
        boolean any = false;
        for (double v : values) {
            if (Double.isFinite(v)) {
                if (v != Math.ceil(v)) {
                    intMode = false;
                }
                if (v != 0) {
                    any = true;
                    min = Math.min(min, Math.abs(v));
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        if (!any) {
            return intMode ? TensorFormatter::intStyle : v -> fixed(v);
        }
        if (intMode) {
            if (max / min > 1000 || max > 1e8) {
                return TensorFormatter::sci;
            }
            return TensorFormatter::intStyle;
        }
        if (max / min > 1000 || max > 1e8 || min < 1e-4) {
            return TensorFormatter::sci;
        }
        return TensorFormatter::fixed;
    }

    private static String special(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        return v > 0 ? "inf" : "-inf";
    }

    private static String intStyle(double v) {
        if (!Double.isFinite(v)) {
            return special(v);
        }
        String s = new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        if (v == 0 && 1 / v < 0) {
            s = "-0";
        }
        return s + ".";
    }

    private static String fixed(double v) {
        if (!Double.isFinite(v)) {
            return special(v);
        }
        String s = new BigDecimal(v).setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    private static String sci(double v) {
        if (!Double.isFinite(v)) {
            return special(v);
        }
        if (v == 0) {
            return (1 / v < 0 ? "-" : "") + "0.0000e+00";
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        int exp = b.precision() - b.scale() - 1;
        BigDecimal mant = b.movePointLeft(exp).setScale(PRECISION, RoundingMode.HALF_EVEN);
        String e = String.format("%02d", Math.abs(exp));
        return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + e;
    }

    private static void recurse(StringBuilder sb, Tensor t, double[] v, long[] l, Fmt fmt, int width, int dim,
                                int base, int indent, boolean summarize) {
        if (t.dim() == 0) {
            sb.append(render(fmt, t.dtype, v, l, 0));
            return;
        }
        int size = t.shape[dim];
        int inner = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            inner *= t.shape[d];
        }
        sb.append('[');
        if (dim == t.dim() - 1) {
            java.util.List<String> items = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (summarize && size > 2 * EDGE && i == EDGE) {
                    items.add(" ...");
                    i = size - EDGE - 1;
                    continue;
                }
                String s = render(fmt, t.dtype, v, l, base + i);
                items.add(" ".repeat(width - s.length()) + s);
            }
            int perLine = Math.max(1, (LINEWIDTH - indent) / (width + 2));
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                sb.append(items.get(i));
            }
        } else {
            String sep = "," + "\n".repeat(t.dim() - dim - 1) + " ".repeat(indent + 1);
            boolean first = true;
            for (int i = 0; i < size; i++) {
                if (summarize && size > 2 * EDGE && i == EDGE) {
                    sb.append(sep).append("...");
                    i = size - EDGE - 1;
                    continue;
                }
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                recurse(sb, t, v, l, fmt, width, dim + 1, base + i * inner, indent + 1, summarize);
            }
        }
        sb.append(']');
    }
}
