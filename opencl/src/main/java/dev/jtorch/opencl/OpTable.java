package dev.jtorch.opencl;

import dev.jtorch.backend.Op;

/**
 * The elementwise ops as OpenCL C expressions: one per op and compute type, mirroring the scalar definitions
 * of the CPU backend (CpuMath, and the kernels' ScalarActivations for the activations and their backwards).
 * {@link ElementwiseSource} wraps each into a kernel; nothing else is written per op.
 *
 * <p>Names in the expressions: {@code a} (the input, or the first of two), {@code b} (the second), {@code p0},
 * {@code p1} (the unary parameters: POW_SCALAR's exponent, CLAMP's bounds with NaN for none, SOFTPLUS's beta and
 * threshold, LEAKY_RELU's slope), {@code alpha} (ADD's and SUB's scale of b), {@code err} (a flag the int64
 * division raises on a zero divisor). Floating expressions are written once for float and double: {@code C} is
 * the compute type and {@code K(x)} a literal of it; the {@code jt_*} helpers are in {@link ElementwiseSource}.
 */
final class OpTable {
    private OpTable() {
    }

    /** The floating-point (float or double) expression of an UNARY or BINARY op, or null for another kind. */
    static String floating(Op op) {
        return switch (op) {
            case NEG -> "-a";
            case ABS -> "fabs(a)";
            case SIGN -> "(isnan(a) ? K(0.0) : sign(a))";
            case EXP -> "exp(a)";
            case EXPM1 -> "expm1(a)";
            case LOG -> "log(a)";
            case LOG1P -> "log1p(a)";
            case SQRT -> "sqrt(a)";
            case RSQRT -> "K(1.0) / sqrt(a)";
            case RECIPROCAL -> "K(1.0) / a";
            case SIN -> "sin(a)";
            case COS -> "cos(a)";
            case TANH -> "jt_tanh(a)";
            case SIGMOID -> "jt_sigmoid(a)";
            case RELU -> "((a > K(0.0) || isnan(a)) ? a : K(0.0))";
            case LEAKY_RELU -> "(a > K(0.0) ? a : a * p0)";
            case ERF -> "erf(a)";
            case GELU -> "K(0.5) * a * (K(1.0) + erf(a * JT_SQRT1_2))";
            case GELU_TANH -> "K(0.5) * a * (K(1.0) + jt_tanh(JT_GELU_K * (a + JT_GELU_C * a * a * a)))";
            case SOFTPLUS -> "jt_softplus(a, p0, p1)";
            case FLOOR -> "floor(a)";
            case CEIL -> "ceil(a)";
            case ROUND -> "rint(a)";
            case TRUNC -> "trunc(a)";
            case POW_SCALAR -> "(p0 == K(2.0) ? a * a : (p0 == K(0.5) ? sqrt(a) : jt_pow(a, p0)))";
            case CLAMP -> "jt_clamp(a, p0, p1)";
            case LOGICAL_NOT -> "(a == K(0.0) ? K(1.0) : K(0.0))";
            case ISNAN -> "(isnan(a) ? K(1.0) : K(0.0))";
            case ADD -> "a + alpha * b";
            case SUB -> "a - alpha * b";
            case MUL -> "a * b";
            case DIV -> "a / b";
            case POW -> "jt_pow(a, b)";
            case MAXIMUM -> "jt_max(a, b)";
            case MINIMUM -> "jt_min(a, b)";
            case EQ -> "(a == b ? K(1.0) : K(0.0))";
            case NE -> "(a != b ? K(1.0) : K(0.0))";
            case LT -> "(a < b ? K(1.0) : K(0.0))";
            case LE -> "(a <= b ? K(1.0) : K(0.0))";
            case GT -> "(a > b ? K(1.0) : K(0.0))";
            case GE -> "(a >= b ? K(1.0) : K(0.0))";
            case LOGICAL_AND -> "((a != K(0.0) && b != K(0.0)) ? K(1.0) : K(0.0))";
            case LOGICAL_OR -> "((a != K(0.0) || b != K(0.0)) ? K(1.0) : K(0.0))";
            case LOGICAL_XOR -> "(((a != K(0.0)) != (b != K(0.0))) ? K(1.0) : K(0.0))";
            case SIGMOID_BACKWARD -> "b * a * (K(1.0) - a)";
            case TANH_BACKWARD -> "b * (K(1.0) - a * a)";
            case GELU_BACKWARD -> "b * jt_gelu_grad(a)";
            case GELU_TANH_BACKWARD -> "b * jt_gelu_tanh_grad(a)";
            default -> null;
        };
    }

    /**
     * The exact int64 expression of an op (the CPU backend's long path: wrapping arithmetic, floor division,
     * comparisons as 0/1), or null where the CPU has no int64 form either. For CLAMP, p0 and p1 arrive as the
     * integer bounds ({@link #exactParams}); for POW_SCALAR p0 is the integer exponent.
     */
    static String exact(Op op) {
        return switch (op) {
            case NEG -> "as_long(0UL - as_ulong(a))";
            case ABS -> "as_long(abs(a))";
            case SIGN -> "(long) ((a > 0) - (a < 0))";
            case RELU -> "(a > 0 ? a : 0L)";
            case FLOOR, CEIL, ROUND, TRUNC -> "a";
            case CLAMP -> "jt_clampl(a, p0, p1)";
            case POW_SCALAR -> "jt_ipow(a, p0)";
            case LOGICAL_NOT -> "(a == 0 ? 1L : 0L)";
            case ISNAN -> "0L";
            case ADD -> "as_long(as_ulong(a) + as_ulong(alpha) * as_ulong(b))";
            case SUB -> "as_long(as_ulong(a) - as_ulong(alpha) * as_ulong(b))";
            case MUL -> "as_long(as_ulong(a) * as_ulong(b))";
            case DIV -> "jt_floordiv(a, b, err)";
            case POW -> "jt_ipow(a, b)";
            case MAXIMUM -> "max(a, b)";
            case MINIMUM -> "min(a, b)";
            case EQ -> "(a == b ? 1L : 0L)";
            case NE -> "(a != b ? 1L : 0L)";
            case LT -> "(a < b ? 1L : 0L)";
            case LE -> "(a <= b ? 1L : 0L)";
            case GT -> "(a > b ? 1L : 0L)";
            case GE -> "(a >= b ? 1L : 0L)";
            case LOGICAL_AND -> "((a != 0 && b != 0) ? 1L : 0L)";
            case LOGICAL_OR -> "((a != 0 || b != 0) ? 1L : 0L)";
            case LOGICAL_XOR -> "(((a != 0) != (b != 0)) ? 1L : 0L)";
            default -> null;
        };
    }

    /**
     * The int64 parameters of an exact unary op, as the CPU's long path reads its double parameters: CLAMP's
     * bounds rounded inwards (ceil of the minimum, floor of the maximum; NaN for none becomes the long range), the
     * exponent truncated.
     */
    static long[] exactParams(Op op, double p0, double p1) {
        return switch (op) {
            case CLAMP -> new long[] {Double.isNaN(p0) ? Long.MIN_VALUE : (long) Math.ceil(p0),
                Double.isNaN(p1) ? Long.MAX_VALUE : (long) Math.floor(p1)};
            case POW_SCALAR -> new long[] {(long) p0, 0};
            default -> new long[] {0, 0};
        };
    }

    /** The comparisons and logical ops: their inputs decide whether they compute exactly, their output is bool. */
    static boolean comparison(Op op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
            default -> false;
        };
    }
}
