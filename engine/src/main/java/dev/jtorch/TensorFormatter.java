package dev.jtorch;

import dev.jtorch.autograd.Autograd;

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
            // only the printed elements are read, so a view too large to materialise (an expand past 2^31
            // elements) prints as PyTorch prints it
            Tensor shown;
            try (var _ = Autograd.noGrad()) {
                shown = summarize ? summarized(t) : t;
            }
            double[] values = t.dtype == DType.INT64 ? null : shown.toDoubleArray();
            long[] longs = t.dtype == DType.INT64 ? shown.toLongArray() : null;
            Fmt fmt = formatter(t, values, longs);
            int width = 0;
            for (int i = 0, n = values != null ? values.length : longs.length; i < n; i++) {
                width = Math.max(width, render(fmt, t.dtype, values, longs, i).length());
            }
            recurse(sb, t, shown.shape, values, longs, fmt, width, 0, 0, indent, summarize);
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

    /**
     * PyTorch's get_summarized_data: along every dim longer than 2 * EDGE, only the first and last EDGE items,
     * gathered slice by slice so that nothing larger than the result is ever materialised.
     */
    private static Tensor summarized(Tensor t) {
        if (t.dim() == 0) {
            return t;
        }
        int size = t.shape[0];
        if (t.dim() == 1) {
            return size > 2 * EDGE ? Torch.cat(new Tensor[] {t.narrow(0, 0, EDGE), t.narrow(0, size - EDGE, EDGE)}, 0)
                    : t;
        }
        boolean elide = size > 2 * EDGE;
        Tensor[] parts = new Tensor[elide ? 2 * EDGE : size];
        for (int i = 0; i < parts.length; i++) {
            int row = elide && i >= EDGE ? size - 2 * EDGE + i : i;
            parts[i] = summarized(t.select(0, row));
        }
        return Torch.stack(parts, 0);
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

    private static Fmt formatter(Tensor t, double[] values, long[] longs) {
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

    /**
     * Prints dim {@code dim} of t from the values shown (row-major over {@code shown}, t's shape with every
     * elided dim cut to 2 * EDGE), starting at flat index {@code base}.
     */
    private static void recurse(StringBuilder sb, Tensor t, int[] shown, double[] v, long[] l, Fmt fmt, int width,
                                int dim, int base, int indent, boolean summarize) {
        if (t.dim() == 0) {
            sb.append(render(fmt, t.dtype, v, l, 0));
            return;
        }
        boolean elide = summarize && t.shape[dim] > 2 * EDGE;
        int size = shown[dim];
        int inner = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            inner *= shown[d];
        }
        sb.append('[');
        if (dim == t.dim() - 1) {
            java.util.List<String> items = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (elide && i == EDGE) {
                    items.add(" ...");
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
                if (elide && i == EDGE) {
                    sb.append(sep).append("...");
                }
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                recurse(sb, t, shown, v, l, fmt, width, dim + 1, base + i * inner, indent + 1, summarize);
            }
        }
        sb.append(']');
    }
}
