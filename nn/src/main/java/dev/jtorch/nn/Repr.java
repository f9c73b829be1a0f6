package dev.jtorch.nn;

import java.math.BigDecimal;

/** Python's {@code str()} of numbers and tuples, for extraRepr strings that match PyTorch's. */
public final class Repr {
    private Repr() {
    }

    /** Python's repr of a float: shortest digits, fixed between 1e-4 and 1e16, else d.ddde-05 style. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = b.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - b.scale();
        String sign = v < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = b.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    /** A number that Python holds as an int when whole (PyTorch defaults such as Softplus's beta=1). */
    public static String intOrNum(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : num(v);
    }

    /** Python's repr of a tuple of ints: (2,) or (2, 5). */
    public static String tuple(int... v) {
        if (v.length == 1) {
            return "(" + v[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(v[i]);
        }
        return s.append(')').toString();
    }
}
