package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Op;
import dev.jtorch.kernels.Activations;

/**
 * The scalar definitions of the elementwise ops, on row buffers: double for floating point and bool, long for
 * int64 (exact). Transcendental functions reuse the double kernels of dev.jtorch.kernels on the buffer.
 */
final class CpuMath {
    private CpuMath() {
    }

    /** x = op(x) over n elements of a double buffer. */
    static void unary(Op op, double[] x, int n, double p0, double p1) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) x[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) x[i] = Double.isNaN(x[i]) ? 0 : Math.signum(x[i]); }
            case EXP -> Activations.exp(x, 0, x, 0, n);
            case EXPM1 -> { for (int i = 0; i < n; i++) x[i] = Math.expm1(x[i]); }
            case LOG -> { for (int i = 0; i < n; i++) x[i] = Math.log(x[i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) x[i] = Math.log1p(x[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) x[i] = Math.sqrt(x[i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) x[i] = 1 / Math.sqrt(x[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) x[i] = 1 / x[i]; }
            case SIN -> { for (int i = 0; i < n; i++) x[i] = Math.sin(x[i]); }
            case COS -> { for (int i = 0; i < n; i++) x[i] = Math.cos(x[i]); }
            case TANH -> Activations.tanh(x, 0, x, 0, n);
            case SIGMOID -> Activations.sigmoid(x, 0, x, 0, n);
            case RELU -> { for (int i = 0; i < n; i++) x[i] = x[i] > 0 || Double.isNaN(x[i]) ? x[i] : 0; }
            case LEAKY_RELU -> { for (int i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : x[i] * p0; }
            case ERF -> Activations.erf(x, 0, x, 0, n);
            case GELU -> Activations.gelu(x, 0, x, 0, n);
            case GELU_TANH -> Activations.geluTanh(x, 0, x, 0, n);
            case SOFTPLUS -> Activations.softplus(x, 0, x, 0, n, p0, p1);
            case FLOOR -> { for (int i = 0; i < n; i++) x[i] = Math.floor(x[i]); }
            case CEIL -> { for (int i = 0; i < n; i++) x[i] = Math.ceil(x[i]); }
            case ROUND -> { for (int i = 0; i < n; i++) x[i] = Math.rint(x[i]); }
            case TRUNC -> { for (int i = 0; i < n; i++) x[i] = x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i]); }
            case POW_SCALAR -> pow(x, n, p0);
            case CLAMP -> clamp(x, n, p0, p1);
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) x[i] = x[i] == 0 ? 1 : 0; }
            case ISNAN -> { for (int i = 0; i < n; i++) x[i] = Double.isNaN(x[i]) ? 1 : 0; }
            default -> throw new IllegalArgumentException(op + " is not a unary op");
        }
    }

    private static void pow(double[] x, int n, double p) {
        if (p == 2) {
            for (int i = 0; i < n; i++) x[i] = x[i] * x[i];
        } else if (p == 0.5) {
            for (int i = 0; i < n; i++) x[i] = Math.sqrt(x[i]);
        } else {
            for (int i = 0; i < n; i++) x[i] = Math.pow(x[i], p);
        }
    }

    private static void clamp(double[] x, int n, double lo, double hi) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            if (!Double.isNaN(lo) && v < lo) {
                v = lo;
            }
            if (!Double.isNaN(hi) && v > hi) {
                v = hi;
            }
            x[i] = v;
        }
    }

    /** x = op(x) over an int64 buffer (ops that keep int64). */
    static void unaryLong(Op op, long[] x, int n, double p0, double p1) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) x[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) x[i] = Long.signum(x[i]); }
            case RELU -> { for (int i = 0; i < n; i++) x[i] = Math.max(x[i], 0); }
            case FLOOR, CEIL, ROUND, TRUNC -> { }
            case CLAMP -> {
                for (int i = 0; i < n; i++) {
                    long v = x[i];
                    if (!Double.isNaN(p0) && v < p0) v = (long) Math.ceil(p0);
                    if (!Double.isNaN(p1) && v > p1) v = (long) Math.floor(p1);
                    x[i] = v;
                }
            }
            case POW_SCALAR -> {
                for (int i = 0; i < n; i++) x[i] = ipow(x[i], (long) p0);
            }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) x[i] = x[i] == 0 ? 1 : 0; }
            case ISNAN -> { for (int i = 0; i < n; i++) x[i] = 0; }
            default -> throw new IllegalArgumentException(op + " has no int64 form");
        }
    }

    static long ipow(long base, long exp) {
        if (exp < 0) {
            return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) {
                r *= base;
            }
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    /** a = op(a, b) over double buffers. */
    static void binary(Op op, double[] a, double[] b, int n, double alpha) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) a[i] = a[i] + alpha * b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) a[i] = a[i] - alpha * b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) a[i] = a[i] * b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) a[i] = a[i] / b[i]; }
            case POW -> { for (int i = 0; i < n; i++) a[i] = Math.pow(a[i], b[i]); }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) a[i] = Double.isNaN(a[i]) || Double.isNaN(b[i]) ? Double.NaN : Math.max(a[i], b[i]);
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) a[i] = Double.isNaN(a[i]) || Double.isNaN(b[i]) ? Double.NaN : Math.min(a[i], b[i]);
            }
            case EQ -> { for (int i = 0; i < n; i++) a[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) a[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) a[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) a[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) a[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) a[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) a[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) a[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) a[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            case SIGMOID_BACKWARD -> Activations.sigmoidBackward(a, 0, b, 0, a, 0, n);
            case TANH_BACKWARD -> Activations.tanhBackward(a, 0, b, 0, a, 0, n);
            case GELU_BACKWARD -> Activations.geluBackward(a, 0, b, 0, a, 0, n);
            case GELU_TANH_BACKWARD -> Activations.geluTanhBackward(a, 0, b, 0, a, 0, n);
            default -> throw new IllegalArgumentException(op + " is not a binary op");
        }
    }

    /** a = op(a, b) over int64 buffers (exact integer arithmetic; comparisons give 0/1). */
    static void binaryLong(Op op, long[] a, long[] b, int n, long alpha) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) a[i] = a[i] + alpha * b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) a[i] = a[i] - alpha * b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) a[i] = a[i] * b[i]; }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    if (b[i] == 0) {
                        throw new ArithmeticException("ZeroDivisionError: integer division by zero");
                    }
                    a[i] = Math.floorDiv(a[i], b[i]);
                }
            }
            case POW -> { for (int i = 0; i < n; i++) a[i] = ipow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) a[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) a[i] = Math.min(a[i], b[i]); }
            case EQ -> { for (int i = 0; i < n; i++) a[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) a[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) a[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) a[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) a[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) a[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) a[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) a[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) a[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            default -> throw new IllegalArgumentException(op + " has no int64 form");
        }
    }
}
