package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;

import java.util.List;

/**
 * Generates the OpenCL C of the elementwise kernels from {@link OpTable}: one program per op and operand dtypes
 * (unary EXP float32 -&gt; float32, binary LT int64 x int64 -&gt; bool, ...), compiled when first used, holding two
 * kernels: {@code OP_c} for operands that are all dense and {@code OP_s} for strided ones (any strides, stride 0 for broadcasts, up to
 * {@link Geometry#MAX_DIMS} dims after merging). Operands are read into the compute type, the expression is
 * evaluated, and the result converted to the output's dtype, as the CPU backend does through its double and
 * long buffers.
 *
 * <p>Storage types: float32 {@code float}, float64 {@code double}, int64 {@code long}, bool {@code uchar} (0 or 1),
 * float16 and bfloat16 {@code ushort} bits, converted to and from float exactly as {@code Float.float16ToFloat},
 * {@code Float.floatToFloat16} and the CPU's bfloat16 rounding do (round to nearest even, NaN payloads kept), so
 * no device half support is needed. Conversions to int64 saturate and send NaN to 0 ({@code convert_long_sat}), as
 * Java's casts do.
 *
 * <p>Every argument that varies per call (offsets, strides, sizes, scalars) is a kernel argument, so a program
 * is compiled once per device and reused; see {@link Geometry} for the struct that carries the shape. Pointers
 * are not {@code restrict}: an in-place op reads and writes one buffer.
 */
final class ElementwiseSource {
    /** Bumped when the generated code changes, so that cached binaries of older code are not reused. */
    static final String VERSION = "jtorch-elementwise-2";

    /** The type an op computes in. */
    enum CType {
        FLOAT("float"), DOUBLE("double"), LONG("long");

        final String c;

        CType(String c) {
            this.c = c;
        }
    }

    private ElementwiseSource() {
    }

    /** The OpenCL C type holding one element of a dtype. */
    static String storageType(DType t) {
        return switch (t) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long";
            case BOOL -> "uchar";
            case FLOAT16, BFLOAT16 -> "ushort";
        };
    }

    /** An expression reading the element {@code e} of a {@code t} storage as compute type {@code c}. */
    static String load(DType t, String e, CType c) {
        return switch (t) {
            case FLOAT32 -> switch (c) {
                case FLOAT -> e;
                case DOUBLE -> "(double) " + e;
                case LONG -> "convert_long_sat(" + e + ")";
            };
            case FLOAT64 -> switch (c) {
                case FLOAT -> "convert_float(" + e + ")";
                case DOUBLE -> e;
                case LONG -> "convert_long_sat(" + e + ")";
            };
            case INT64 -> switch (c) {
                case FLOAT -> "convert_float(" + e + ")";
                case DOUBLE -> "convert_double(" + e + ")";
                case LONG -> e;
            };
            case BOOL -> switch (c) {
                case FLOAT -> "(" + e + " != 0 ? 1.0f : 0.0f)";
                case DOUBLE -> "(" + e + " != 0 ? 1.0 : 0.0)";
                case LONG -> "(" + e + " != 0 ? 1L : 0L)";
            };
            case FLOAT16, BFLOAT16 -> {
                String f = (t == DType.FLOAT16 ? "jt_h2f(" : "jt_bf2f(") + e + ")";
                yield switch (c) {
                    case FLOAT -> f;
                    case DOUBLE -> "(double) " + f;
                    case LONG -> "convert_long_sat(" + f + ")";
                };
            }
        };
    }

    /** An expression converting the compute-type value {@code v} to an element of a {@code t} storage. */
    static String store(DType t, String v, CType c) {
        return switch (t) {
            case FLOAT32 -> c == CType.FLOAT ? v : "convert_float(" + v + ")";
            case FLOAT64 -> c == CType.DOUBLE ? v : "convert_double(" + v + ")";
            case INT64 -> c == CType.LONG ? v : "convert_long_sat(" + v + ")";
            case BOOL -> "(uchar) (" + v + " != 0)";
            case FLOAT16, BFLOAT16 -> {
                String f = c == CType.FLOAT ? v : "convert_float(" + v + ")";
                yield (t == DType.FLOAT16 ? "jt_f2h(" : "jt_f2bf(") + f + ")";
            }
        };
    }

    // ---------------------------------------------------------------- programs

    /** The program of a unary op computing in {@code c}, from {@code in} to {@code out}. */
    static String unary(Op op, DType in, DType out, CType c) {
        StringBuilder s = header("unary " + op + " " + in + " -> " + out, c, List.of(in, out));
        String e = expression(op, c);
        String params = ", const " + c.c + " p0, const " + c.c + " p1";
        for (boolean dense : new boolean[] {true, false}) {
            kernel(s, op.name(), dense, new String[] {"out", "x"}, new DType[] {out, in}, params,
                    c.c + " a = " + load(in, "x[o1]", c) + ";\n",
                    "out[o0] = " + store(out, "(" + e + ")", c) + ";\n");
        }
        return s.toString();
    }

    /** The program of a binary op computing in {@code c}, {@code (a, b) -> out}. */
    static String binary(Op op, DType a, DType b, DType out, CType c) {
        StringBuilder s = header("binary " + op + " " + a + " x " + b + " -> " + out, c, List.of(a, b, out));
        String e = expression(op, c);
        String params = ", const " + c.c + " alpha, __global int* err";
        for (boolean dense : new boolean[] {true, false}) {
            kernel(s, op.name(), dense, new String[] {"out", "x", "y"}, new DType[] {out, a, b}, params,
                    c.c + " a = " + load(a, "x[o1]", c) + ";\n    " + c.c + " b = " + load(b, "y[o2]", c) + ";\n",
                    "out[o0] = " + store(out, "(" + e + ")", c) + ";\n");
        }
        return s.toString();
    }

    /** The where program: {@code out = cond != 0 ? a : b}, the condition read as the CPU reads it (as a long). */
    static String where(DType cond, DType a, DType b, DType out, CType c) {
        StringBuilder s = header("where " + cond + " ? " + a + " : " + b + " -> " + out, c,
                List.of(cond, a, b, out));
        for (boolean dense : new boolean[] {true, false}) {
            kernel(s, "WHERE", dense, new String[] {"out", "k", "x", "y"}, new DType[] {out, cond, a, b}, "",
                    "long q = " + load(cond, "k[o1]", CType.LONG) + ";\n",
                    "out[o0] = q != 0 ? " + store(out, load(a, "x[o2]", c), c) + " : "
                            + store(out, load(b, "y[o3]", c), c) + ";\n");
        }
        return s.toString();
    }

    /** The conversion program: {@code dst = (dst's dtype) src} through compute type {@code c}. */
    static String convert(DType src, DType dst, CType c) {
        StringBuilder s = header("copy " + src + " -> " + dst, c, List.of(src, dst));
        for (boolean dense : new boolean[] {true, false}) {
            kernel(s, "COPY", dense, new String[] {"out", "x"}, new DType[] {dst, src}, "", "",
                    "out[o0] = " + store(dst, load(src, "x[o1]", c), c) + ";\n");
        }
        return s.toString();
    }

    /**
     * Copies and fills by bit pattern for elements of {@code bytes} bytes (1, 2, 4 or 8): {@code COPY} moves
     * elements between two views of one dtype unchanged, {@code FILL} writes one pattern into a strided view.
     */
    static String raw(int bytes) {
        String t = switch (bytes) {
            case 1 -> "uchar";
            case 2 -> "ushort";
            case 4 -> "uint";
            case 8 -> "ulong";
            default -> throw new IllegalArgumentException("no element of " + bytes + " bytes");
        };
        StringBuilder s = new StringBuilder();
        s.append("// ").append(VERSION).append(": bit copies and fills of ").append(bytes).append("-byte elements\n");
        s.append(GEOMETRY);
        for (boolean dense : new boolean[] {true, false}) {
            kernel(s, "COPY", dense, new String[] {"out", "x"}, new String[] {t, t}, "", "", "out[o0] = x[o1];\n");
            kernel(s, "FILL", dense, new String[] {"out"}, new String[] {t}, ", const " + t + " v", "",
                    "out[o0] = v;\n");
        }
        return s.toString();
    }

    private static String expression(Op op, CType c) {
        return c == CType.LONG ? OpTable.exact(op) : OpTable.floating(op);
    }

    /** The struct every kernel takes by value: see {@link Geometry#pack()}. */
    private static final String GEOMETRY = """
            typedef struct {
                int n;              /* elements */
                int nd;             /* dims after merging, 1..8 */
                int size[8];        /* sizes, outermost first */
                int st[4][8];       /* strides per operand, in elements */
                int off[4];         /* storage offset per operand */
            } jt_geo;
            """;

    /** The common head of a program: version, fp64 pragma, the geometry struct, half conversions, helpers of c. */
    static StringBuilder header(String what, CType c, List<DType> dtypes) {
        StringBuilder s = new StringBuilder();
        s.append("// ").append(VERSION).append(": ").append(what).append(", computed in ").append(c.c).append('\n');
        boolean fp64 = c == CType.DOUBLE || dtypes.contains(DType.FLOAT64);
        if (fp64) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        // Java evaluates a * b + c with two roundings: no fused multiply-add behind our back
        s.append("#pragma OPENCL FP_CONTRACT OFF\n");
        s.append(GEOMETRY);
        s.append(HALF);
        switch (c) {
            case FLOAT -> s.append("#define C float\n#define K(x) x##f\n#define JT_TANH_ONE 9.1f\n");
            case DOUBLE -> s.append("#define C double\n#define K(x) x\n#define JT_TANH_ONE 19.1\n");
            case LONG -> s.append(EXACT);
        }
        if (c != CType.LONG) {
            s.append(FLOATING);
        }
        return s;
    }

    /**
     * Appends kernel {@code name_c} or {@code name_s}: operands {@code args} (the first written, the others
     * const) of dtypes {@code types}, the geometry {@code g}, then {@code params}; each work-item computes its
     * operands' element offsets {@code o0, o1, ...} and runs {@code read} and {@code write}.
     */
    static void kernel(StringBuilder s, String name, boolean dense, String[] args, DType[] types,
                               String params, String read, String write) {
        String[] t = new String[types.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = storageType(types[i]);
        }
        kernel(s, name, dense, args, t, params, read, write);
    }

    private static void kernel(StringBuilder s, String name, boolean dense, String[] args, String[] types,
                               String params, String read, String write) {
        s.append("\n__kernel void ").append(name).append(dense ? "_c" : "_s").append('(');
        for (int i = 0; i < args.length; i++) {
            s.append(i == 0 ? "__global " : ", __global const ").append(types[i]).append("* ")
                    .append(args[i]);
        }
        s.append(", const jt_geo g").append(params).append(") {\n");
        s.append("    int i = (int) get_global_id(0);\n    if (i >= g.n) return;\n");
        int k = args.length;
        if (dense) {
            for (int j = 0; j < k; j++) {
                s.append("    int o").append(j).append(" = g.off[").append(j).append("] + i;\n");
            }
        } else {
            s.append("    int rem = i;\n");
            for (int j = 0; j < k; j++) {
                s.append("    int o").append(j).append(" = g.off[").append(j).append("];\n");
            }
            s.append("    for (int d = g.nd - 1; d > 0; d--) {\n");
            s.append("        int q = rem / g.size[d];\n        int j = rem - q * g.size[d];\n        rem = q;\n");
            for (int j = 0; j < k; j++) {
                s.append("        o").append(j).append(" += j * g.st[").append(j).append("][d];\n");
            }
            s.append("    }\n");
            for (int j = 0; j < k; j++) {
                s.append("    o").append(j).append(" += rem * g.st[").append(j).append("][0];\n");
            }
        }
        s.append("    ").append(read).append("    ").append(write).append("}\n");
    }

    /** float16 and bfloat16 bits to and from float, bit for bit as java.lang.Float and CpuStorage convert. */
    private static final String HALF = """
            float jt_h2f(ushort h) {
                uint bits = h;
                uint sign = bits & 0x8000u;
                int e = (int) ((bits & 0x7c00u) >> 10) - 15;
                uint m = bits & 0x03ffu;
                if (e == -15) {
                    return (sign != 0u ? -1.0f : 1.0f) * (0x1p-24f * (float) m);
                }
                if (e == 16) {
                    return as_float((sign << 16) | 0x7f800000u | (m << 13));
                }
                return as_float((sign << 16) | ((uint) (e + 127) << 23) | (m << 13));
            }
            ushort jt_f2h(float f) {
                uint doppel = as_uint(f);
                uint sign = (doppel & 0x80000000u) >> 16;
                if (isnan(f)) {
                    return (ushort) (sign | 0x7c00u | (doppel & 0x007fe000u) >> 13 | (doppel & 0x00001ff0u) >> 4
                            | (doppel & 0x0000000fu));
                }
                float af = fabs(f);
                if (af >= 65520.0f) {
                    return (ushort) (sign | 0x7c00u);
                }
                if (af <= 0x1p-25f) {
                    return (ushort) sign;
                }
                int e = (int) ((doppel >> 23) & 0xffu) - 127;
                int delta = 0;
                uint msb = 0u;
                if (e < -14) {
                    delta = -14 - e;
                    e = -15;
                    msb = 0x00800000u;
                }
                uint fs = (doppel & 0x007fffffu) | msb;
                uint sig = fs >> (13 + delta);
                uint lsb = fs & (1u << (13 + delta));
                uint rnd = fs & (1u << (12 + delta));
                uint sticky = fs & ((1u << (12 + delta)) - 1u);
                if (rnd != 0u && (lsb | sticky) != 0u) {
                    sig++;
                }
                return (ushort) (sign | (((uint) (e + 15) << 10) + sig));
            }
            float jt_bf2f(ushort h) {
                return as_float(((uint) h) << 16);
            }
            ushort jt_f2bf(float f) {
                uint bits = as_uint(f);
                if (isnan(f)) {
                    return (ushort) ((bits >> 16) | 0x40u);
                }
                return (ushort) ((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
            }
            """;

    /** Helpers of the floating expressions (C is float or double), as CpuMath and ScalarActivations define them. */
    private static final String FLOATING = """
            #define JT_SQRT1_2 K(0.70710678118654752440)
            #define JT_GELU_K K(0.79788456080286535588)
            #define JT_GELU_C K(0.044715)
            #define JT_INV_SQRT_2PI K(0.39894228040143267794)
            /*
             * tanh, exactly +-1 where the correctly rounded result is (|x| >= 9.02 in float, 19.07 in double) and at
             * +-inf, as the spec requires: PoCL 3.1's float tanh returns 1 - 1 ulp there, which gelu_tanh's
             * 1 + tanh(-inf) turns into -inf instead of NaN, and its backward's 1 - t * t into noise
             */
            C jt_tanh(C x) {
                return fabs(x) >= JT_TANH_ONE ? copysign(K(1.0), x) : tanh(x);
            }
            C jt_sigmoid(C x) {
                if (x >= K(0.0)) {
                    return K(1.0) / (K(1.0) + exp(-x));
                }
                C e = exp(x);
                return e / (K(1.0) + e);
            }
            C jt_softplus(C x, C beta, C threshold) {
                C bx = beta * x;
                return bx > threshold ? x : log1p(exp(bx)) / beta;
            }
            /* Java's Math.pow: NaN for a NaN exponent, and for |x| = 1 with an infinite one (C99 gives 1) */
            C jt_pow(C x, C y) {
                if (isnan(y) || (fabs(x) == K(1.0) && isinf(y))) {
                    return (C) NAN;
                }
                return pow(x, y);
            }
            /* NaN if either is NaN; +0 above -0, as Math.max */
            C jt_max(C a, C b) {
                if (isnan(a) || isnan(b)) {
                    return (C) NAN;
                }
                return a > b ? a : (b > a ? b : (signbit(a) ? b : a));
            }
            C jt_min(C a, C b) {
                if (isnan(a) || isnan(b)) {
                    return (C) NAN;
                }
                return a < b ? a : (b < a ? b : (signbit(a) ? a : b));
            }
            /* NaN bounds are absent */
            C jt_clamp(C x, C lo, C hi) {
                C v = x;
                if (!isnan(lo) && v < lo) {
                    v = lo;
                }
                if (!isnan(hi) && v > hi) {
                    v = hi;
                }
                return v;
            }
            C jt_gelu_grad(C x) {
                return K(0.5) * (K(1.0) + erf(x * JT_SQRT1_2)) + x * JT_INV_SQRT_2PI * exp(K(-0.5) * x * x);
            }
            C jt_gelu_tanh_grad(C x) {
                C t = jt_tanh(JT_GELU_K * (x + JT_GELU_C * x * x * x));
                return K(0.5) * (K(1.0) + t) + K(0.5) * x * (K(1.0) - t * t) * JT_GELU_K
                        * (K(1.0) + K(3.0) * JT_GELU_C * x * x);
            }
            """;

    /** Helpers of the int64 expressions: wrapping arithmetic, and no trap on /0 or MIN / -1 (the CPU's long path). */
    private static final String EXACT = """
            long jt_ipow(long base, long e) {
                if (e < 0) {
                    return base == 1 ? 1L : (base == -1 ? ((e & 1) == 0 ? 1L : -1L) : 0L);
                }
                ulong r = 1UL;
                ulong b = as_ulong(base);
                while (e > 0) {
                    if ((e & 1) != 0) {
                        r *= b;
                    }
                    b *= b;
                    e >>= 1;
                }
                return as_long(r);
            }
            long jt_clampl(long x, long lo, long hi) {
                long v = x < lo ? lo : x;
                return v > hi ? hi : v;
            }
            /* Math.floorDiv; a zero divisor raises *err (the host then throws) */
            long jt_floordiv(long a, long b, __global int* err) {
                if (b == 0) {
                    *err = 1;
                    return 0L;
                }
                if (b == -1) {
                    return as_long(0UL - as_ulong(a));
                }
                long q = a / b;
                if ((a ^ b) < 0 && q * b != a) {
                    q--;
                }
                return q;
            }
            """;
}
