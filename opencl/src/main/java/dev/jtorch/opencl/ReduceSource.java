package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.util.List;

/**
 * Generates the OpenCL C of the reductions (ops of kind REDUCE) and of the softmax family as row kernels: one
 * work-item per output row, which walks its row along one strided dim in order, as the CPU backend's
 * {@code CpuReduce} does, so ties, NaN and the order of accumulation are the CPU's; rows of {@link #GROUP_ROW}
 * elements or more get one work-group each instead ({@link #reduceGroup}, {@link #softmaxGroup}), whose partial
 * results are combined in local memory (the CPU's ties and NaN rules kept). The rows are laid out by a
 * {@link Geometry} over the output's shape (the reduced dims, or the softmax dim, of size 1), so any strides of
 * input and output are read in place; the host only copies an input whose reduced dims do not merge into one
 * strided run.
 *
 * <p>Each op's body mirrors {@code CpuReduce}: AMAX/AMIN and ARGMAX/ARGMIN stop at the first NaN, ties go to the
 * first index, LOGSUMEXP shifts by the maximum (by 0 when that is infinite), NORM's order {@code p} selects max
 * or min of magnitudes (+-inf), a count of non-zeros (0), a sum of magnitudes (1), a square root of squares
 * (2) or the general power sum; VAR divides the squared deviations from the mean by {@code max(0, n - p)}.
 * Exact reductions (int64 and bool inputs of SUM, PROD, AMAX, AMIN, ARGMAX, ARGMIN, ANY, ALL) compute in
 * {@code long} with Java's wrapping.
 */
final class ReduceSource {
    private ReduceSource() {
    }

    /** Not a stride: the reduced dims of a view do not form one strided run. */
    static final int NO_RUN = Integer.MIN_VALUE;

    /**
     * The stride {@code rs} with which element {@code i} of the flattened reduced dims of {@code x} lies at
     * {@code i * rs} from its row's start, or {@link #NO_RUN}.
     */
    static int runStride(View x, int[] dims) {
        int rs = 0;
        long span = 0;
        boolean first = true;
        for (int k = dims.length - 1; k >= 0; k--) {
            int d = dims[k];
            int n = x.shape()[d];
            if (n == 1) {
                continue;
            }
            if (first) {
                first = false;
                rs = x.stride()[d];
                span = (long) rs * n;
            } else if (x.stride()[d] == span) {
                span *= n;
            } else {
                return NO_RUN;
            }
        }
        return rs;
    }

    /** The dims of an {@code nd}-dim view with {@code dims} moved last, in order. */
    static int[] reducedLast(int nd, int[] dims) {
        boolean[] red = new boolean[nd];
        for (int d : dims) {
            red[d] = true;
        }
        int[] perm = new int[nd];
        int k = 0;
        for (int i = 0; i < nd; i++) {
            if (!red[i]) {
                perm[k++] = i;
            }
        }
        for (int d : dims) {
            perm[k++] = d;
        }
        return perm;
    }

    /** Whether an op has an exact (int64) form for int64 and bool inputs, as the CPU backend's. */
    static boolean exact(Op op) {
        return switch (op) {
            case SUM, PROD, AMAX, AMIN, ARGMAX, ARGMIN, ANY, ALL -> true;
            default -> false;
        };
    }

    /**
     * The program of a reduction computing in {@code c}, from {@code in} to {@code out}: kernels {@code OP_c} and
     * {@code OP_s} with arguments {@code (out, x, geometry, inner, rs, p)}, reducing {@code inner} elements of
     * stride {@code rs} from each row's offset.
     */
    static String reduce(Op op, DType in, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("reduce " + op + " " + in + " -> " + out, c, List.of(in, out));
        String ld = ElementwiseSource.load(in, "x[o1 + t * rs]", c);
        boolean arg = op == Op.ARGMAX || op == Op.ARGMIN;
        String body = c == CType.LONG ? exactBody(op, ld) : floatingBody(op, ld);
        String result = arg ? ElementwiseSource.store(out, "(long) best", CType.LONG)
                : ElementwiseSource.store(out, "res", c);
        String params = ", const int inner, const int rs, const " + c.c + " p";
        for (boolean dense : new boolean[] {true, false}) {
            ElementwiseSource.kernel(s, op.name(), dense, new String[] {"out", "x"}, new DType[] {out, in}, params,
                    body, "out[o0] = " + result + ";\n");
        }
        return s.toString();
    }

    private static String exactBody(Op op, String ld) {
        String loop = "for (int t = 0; t < inner; t++) ";
        return switch (op) {
            case SUM -> "ulong r = 0UL;\n    " + loop + "r += as_ulong(" + ld + ");\n    long res = as_long(r);\n";
            case PROD -> "ulong r = 1UL;\n    " + loop + "r *= as_ulong(" + ld + ");\n    long res = as_long(r);\n";
            case AMAX -> "long res = LONG_MIN;\n    " + loop + "res = max(res, " + ld + ");\n";
            case AMIN -> "long res = LONG_MAX;\n    " + loop + "res = min(res, " + ld + ");\n";
            case ARGMAX, ARGMIN -> "int best = 0;\n    long bv = 0L;\n    " + loop + "{\n        long v = " + ld
                    + ";\n        if (t == 0 || v " + (op == Op.ARGMAX ? ">" : "<")
                    + " bv) {\n            best = t;\n            bv = v;\n        }\n    }\n";
            case ANY -> "long res = 0L;\n    " + loop + "if (" + ld + " != 0) {\n        res = 1L;\n        break;\n"
                    + "    }\n";
            case ALL -> "long res = 1L;\n    " + loop + "if (" + ld + " == 0) {\n        res = 0L;\n        break;\n"
                    + "    }\n";
            default -> throw new IllegalArgumentException(op + " has no int64 reduction");
        };
    }

    private static String floatingBody(Op op, String ld) {
        String loop = "for (int t = 0; t < inner; t++) ";
        return switch (op) {
            case SUM -> "C res = K(0.0);\n    " + loop + "res += " + ld + ";\n";
            case PROD -> "C res = K(1.0);\n    " + loop + "res *= " + ld + ";\n";
            case AMAX, AMIN -> "C res = " + (op == Op.AMAX ? "-" : "") + "INFINITY;\n    " + loop + "{\n"
                    + "        C v = " + ld + ";\n        if (isnan(v)) {\n            res = v;\n            break;\n"
                    + "        }\n        res = " + (op == Op.AMAX ? "jt_max" : "jt_min") + "(res, v);\n    }\n";
            case ARGMAX, ARGMIN -> "int best = 0;\n    C bv = K(0.0);\n    " + loop + "{\n        C v = " + ld + ";\n"
                    + "        if (isnan(v)) {\n            best = t;\n            break;\n        }\n"
                    + "        if (t == 0 || v " + (op == Op.ARGMAX ? ">" : "<") + " bv) {\n            best = t;\n"
                    + "            bv = v;\n        }\n    }\n";
            case LOGSUMEXP -> "C m = -INFINITY;\n    " + loop + "m = jt_max(m, " + ld + ");\n"
                    + "    if (isinf(m)) {\n        m = K(0.0);\n    }\n    C sum = K(0.0);\n    " + loop
                    + "sum += exp(" + ld + " - m);\n    C res = log(sum) + m;\n";
            case NORM -> "C res = K(0.0);\n"
                    + "    if (isinf(p)) {\n        res = p > K(0.0) ? K(0.0) : (C) INFINITY;\n        " + loop + "{\n"
                    + "            C v = fabs(" + ld + ");\n            if (isnan(v)) {\n                res = v;\n"
                    + "                break;\n            }\n"
                    + "            res = p > K(0.0) ? jt_max(res, v) : jt_min(res, v);\n        }\n"
                    + "    } else if (p == K(0.0)) {\n        " + loop + "res += " + ld + " != K(0.0) ? K(1.0) : K(0.0);\n"
                    + "    } else if (p == K(1.0)) {\n        " + loop + "res += fabs(" + ld + ");\n"
                    + "    } else if (p == K(2.0)) {\n        " + loop + "{\n            C v = " + ld + ";\n"
                    + "            res += v * v;\n        }\n        res = sqrt(res);\n"
                    + "    } else {\n        " + loop + "res += jt_pow(fabs(" + ld + "), p);\n"
                    + "        res = jt_pow(res, K(1.0) / p);\n    }\n";
            case VAR -> "C mean = K(0.0);\n    " + loop + "mean += " + ld + ";\n    mean /= (C) inner;\n"
                    + "    C sq = K(0.0);\n    " + loop + "{\n        C d = " + ld + " - mean;\n        sq += d * d;\n"
                    + "    }\n    C res = sq / fmax(K(0.0), (C) inner - p);\n";
            case ANY -> "C res = K(0.0);\n    " + loop + "if (" + ld + " != K(0.0)) {\n        res = K(1.0);\n"
                    + "        break;\n    }\n";
            case ALL -> "C res = K(1.0);\n    " + loop + "if (" + ld + " == K(0.0)) {\n        res = K(0.0);\n"
                    + "        break;\n    }\n";
            default -> throw new IllegalArgumentException(op + " is not a reduction");
        };
    }

    /** The shortest row reduced by a work-group ({@link #reduceGroup}) rather than by one work-item. */
    static final int GROUP_ROW = 1024;
    /** Elements of a row that one work-group reduces in the first stage of a two-stage reduction. */
    static final int CHUNK = 16384;

    /** Whether partial results of an op reduce to its result by the op itself (two-stage reductions). */
    static boolean chunked(Op op) {
        return switch (op) {
            case SUM, PROD, AMAX, AMIN, ANY, ALL -> true;
            default -> false;
        };
    }

    /**
     * The program of a reduction of long rows by work-groups: kernels {@code OP_c} and {@code OP_s} with the
     * arguments of {@link #reduce} and then {@code nchunk, chunk}, launched with one work-group (of at most 256
     * work-items) per chunk of {@code chunk} elements of a row, {@code nchunk} chunks a row; chunk {@code kc} of a
     * row writes {@code out[o0 + kc]} (partial results of a first stage when {@code nchunk > 1}, which only
     * {@link #chunked} ops use; else the row's result). The
     * work-items of a group reduce the elements {@code lid, lid + size, ...} of the row, then combine their
     * partial results in local memory as a tree; two-pass ops (LOGSUMEXP's maximum, VAR's mean) run two such
     * reductions. The order of a float sum differs from the CPU's (within the dtype's rounding); ARGMAX/ARGMIN
     * still give the first NaN, else the first extreme, as the partials carry their indices.
     */
    static String reduceGroup(Op op, DType in, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("group reduce " + op + " " + in + " -> " + out, c,
                List.of(in, out));
        String ld = ElementwiseSource.load(in, "x[o1 + t * rs]", c);
        boolean exact = c == CType.LONG;
        String t = exact ? "long" : "C";
        boolean arg = op == Op.ARGMAX || op == Op.ARGMIN;
        StringBuilder b = new StringBuilder();
        b.append("int lid = (int) get_local_id(0);\n    int lsz = (int) get_local_size(0);\n    int p2 = 1;\n")
                .append("    while (p2 < lsz) {\n        p2 <<= 1;\n    }\n    __local ").append(t)
                .append(" lv[256];\n");
        if (arg) {
            String gt = op == Op.ARGMAX ? ">" : "<";
            String nan = exact ? "false" : "isnan(bv)";
            String vnan = exact ? "false" : "isnan(v)";
            b.append("    __local int li[256];\n    ").append(t).append(" bv = 0;\n    int bi = -1;\n")
                    .append("    for (int t = lid; t < inner; t += lsz) {\n        if (bi >= 0 && ").append(nan)
                    .append(") {\n            break;\n        }\n        ").append(t).append(" v = ").append(ld)
                    .append(";\n        if (bi < 0 || ").append(vnan).append(" || v ").append(gt)
                    .append(" bv) {\n            bv = v;\n            bi = t;\n        }\n    }\n")
                    .append("    lv[lid] = bv;\n    li[lid] = bi;\n    barrier(CLK_LOCAL_MEM_FENCE);\n")
                    .append("    for (int h = p2 / 2; h > 0; h >>= 1) {\n        if (lid < h && lid + h < lsz) {\n")
                    .append("            ").append(t).append(" a = lv[lid];\n            int ai = li[lid];\n")
                    .append("            ").append(t).append(" c = lv[lid + h];\n            int ci = li[lid + h];\n")
                    .append("            bool take;\n            if (ci < 0) {\n                take = false;\n")
                    .append("            } else if (ai < 0) {\n                take = true;\n");
            if (!exact) {
                b.append("            } else if (isnan(a) || isnan(c)) {\n")
                        .append("                take = isnan(c) && (!isnan(a) || ci < ai);\n");
            }
            b.append("            } else {\n                take = c ").append(gt).append(" a || (c == a && ci < ai);\n")
                    .append("            }\n            if (take) {\n                lv[lid] = c;\n")
                    .append("                li[lid] = ci;\n            }\n        }\n")
                    .append("        barrier(CLK_LOCAL_MEM_FENCE);\n    }\n")
                    .append("    int best = li[0] < 0 ? 0 : li[0];\n");
        } else {
            b.append("    ").append(exact ? exactGroup(op, ld) : floatingGroup(op, ld));
        }
        String result = arg ? ElementwiseSource.store(out, "(long) best", CType.LONG)
                : ElementwiseSource.store(out, "res", c);
        b.append("    if (lid == 0) {\n        out[o0 + kc] = ").append(result).append(";\n    }\n");
        String params = ", const int inner, const int rs, const " + c.c + " p, const int nchunk, const int chunk";
        for (boolean dense : new boolean[] {true, false}) {
            StringBuilder k = new StringBuilder();
            ElementwiseSource.kernel(k, op.name(), dense, new String[] {"out", "x"}, new DType[] {out, in}, params,
                    b.toString(), "");
            // one row (or chunk kc of a row) per work-group: a whole group leaves together
            s.append(k.toString().replace("int i = (int) get_global_id(0);", "int i = (int) get_group_id(0) / nchunk;\n"
                    + "    int kc = (int) get_group_id(0) - i * nchunk;\n    int t0 = kc * chunk;\n"
                    + "    int t1 = min(inner, t0 + chunk);"));
        }
        return s.toString();
    }

    /**
     * The program of a softmax op over long lines, one work-group per line: kernels {@code OP_c} and {@code OP_s}
     * with the arguments of {@link #softmax} ({@code cols} named {@code inner}); the line's maximum and sum are
     * reduced by the group as in {@link #reduceGroup}, then each work-item writes its strided part of the line.
     */
    static String softmaxGroup(Op op, DType in, DType grad, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("group softmax " + op + " " + in + ", " + grad + " -> " + out, c,
                List.of(in, grad, out));
        String a = ElementwiseSource.load(in, "x[o1 + t * xs]", c);
        String d = ElementwiseSource.load(grad, "dy[o2 + t * gs]", c);
        String write = "    for (int t = lid; t < inner; t += lsz) {\n        out[o0 + t * ys] = ";
        String max = pass("C", "m", "-INFINITY", a, "m = jt_max(m, v);", "jt_max(a, c)");
        String sum = "    " + pass("C", "s", "K(0.0)", a, "s += exp(v - m);", "a + c");
        String body = "int lid = (int) get_local_id(0);\n    int lsz = (int) get_local_size(0);\n    int p2 = 1;\n"
                + "    while (p2 < lsz) {\n        p2 <<= 1;\n    }\n    __local C lv[256];\n"
                + "    int t0 = 0;\n    int t1 = inner;\n    "
                + switch (op) {
                    case SOFTMAX -> max + sum + "    C inv = K(1.0) / s;\n" + write
                            + ElementwiseSource.store(out, "exp(" + a + " - m) * inv", c) + ";\n    }\n";
                    case LOG_SOFTMAX -> max + sum + "    C shift = m + log(s);\n" + write
                            + ElementwiseSource.store(out, "(" + a + ") - shift", c) + ";\n    }\n";
                    case SOFTMAX_BACKWARD -> pass("C", "s", "K(0.0)", "(" + d + ") * (" + a + ")", "s += v;", "a + c")
                            + write + ElementwiseSource.store(out, "(" + a + ") * ((" + d + ") - s)", c) + ";\n    }\n";
                    case LOG_SOFTMAX_BACKWARD -> pass("C", "s", "K(0.0)", d, "s += v;", "a + c") + write
                            + ElementwiseSource.store(out, "(" + d + ") - exp(" + a + ") * s", c) + ";\n    }\n";
                    default -> throw new IllegalArgumentException(op + " is not a softmax op");
                };
        String params = ", const int inner, const int xs, const int gs, const int ys";
        for (boolean dense : new boolean[] {true, false}) {
            StringBuilder k = new StringBuilder();
            ElementwiseSource.kernel(k, op.name(), dense, new String[] {"out", "x", "dy"},
                    new DType[] {out, in, grad}, params, body, "");
            s.append(k.toString().replace("int i = (int) get_global_id(0);", "int i = (int) get_group_id(0);"));
        }
        return s.toString();
    }

    /**
     * One reduction of the row by a work-group into {@code var} (in every work-item): each work-item folds its
     * elements {@code v} with {@code fold}, then the partials are combined pairwise by {@code combine} of
     * {@code a} and {@code c}.
     */
    private static String pass(String type, String var, String init, String ld, String fold, String combine) {
        return type + " " + var + " = " + init + ";\n"
                + "    for (int t = t0 + lid; t < t1; t += lsz) {\n        " + type + " v = " + ld + ";\n        "
                + fold + "\n    }\n"
                + "    lv[lid] = " + var + ";\n    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "    for (int h = p2 / 2; h > 0; h >>= 1) {\n        if (lid < h && lid + h < lsz) {\n"
                + "            " + type + " a = lv[lid];\n            " + type + " c = lv[lid + h];\n"
                + "            lv[lid] = " + combine + ";\n        }\n        barrier(CLK_LOCAL_MEM_FENCE);\n    }\n"
                + "    " + var + " = lv[0];\n    barrier(CLK_LOCAL_MEM_FENCE);\n";
    }

    private static String exactGroup(Op op, String ld) {
        String l = "long";
        return switch (op) {
            case SUM -> pass(l, "res", "0L", ld, "res = as_long(as_ulong(res) + as_ulong(v));",
                    "as_long(as_ulong(a) + as_ulong(c))");
            case PROD -> pass(l, "res", "1L", ld, "res = as_long(as_ulong(res) * as_ulong(v));",
                    "as_long(as_ulong(a) * as_ulong(c))");
            case AMAX -> pass(l, "res", "LONG_MIN", ld, "res = max(res, v);", "max(a, c)");
            case AMIN -> pass(l, "res", "LONG_MAX", ld, "res = min(res, v);", "min(a, c)");
            case ANY -> pass(l, "res", "0L", ld, "if (v != 0) {\n            res = 1L;\n        }",
                    "(a != 0 || c != 0) ? 1L : 0L");
            case ALL -> pass(l, "res", "1L", ld, "if (v == 0) {\n            res = 0L;\n        }",
                    "(a != 0 && c != 0) ? 1L : 0L");
            default -> throw new IllegalArgumentException(op + " has no int64 reduction");
        };
    }

    private static String floatingGroup(Op op, String ld) {
        String f = "C";
        return switch (op) {
            case SUM -> pass(f, "res", "K(0.0)", ld, "res += v;", "a + c");
            case PROD -> pass(f, "res", "K(1.0)", ld, "res *= v;", "a * c");
            case AMAX -> pass(f, "res", "-INFINITY", ld, "res = jt_max(res, v);", "jt_max(a, c)");
            case AMIN -> pass(f, "res", "INFINITY", ld, "res = jt_min(res, v);", "jt_min(a, c)");
            case ANY -> pass(f, "res", "K(0.0)", ld, "if (v != K(0.0)) {\n            res = K(1.0);\n        }",
                    "(a != K(0.0) || c != K(0.0)) ? K(1.0) : K(0.0)");
            case ALL -> pass(f, "res", "K(1.0)", ld, "if (v == K(0.0)) {\n            res = K(0.0);\n        }",
                    "(a != K(0.0) && c != K(0.0)) ? K(1.0) : K(0.0)");
            case LOGSUMEXP -> pass(f, "m", "-INFINITY", ld, "m = jt_max(m, v);", "jt_max(a, c)")
                    + "    if (isinf(m)) {\n        m = K(0.0);\n    }\n    "
                    + pass(f, "sum", "K(0.0)", ld, "sum += exp(v - m);", "a + c") + "    C res = log(sum) + m;\n";
            case VAR -> pass(f, "mean", "K(0.0)", ld, "mean += v;", "a + c") + "    mean /= (C) inner;\n    "
                    + pass(f, "sq", "K(0.0)", ld, "C d = v - mean;\n        sq += d * d;", "a + c")
                    + "    C res = sq / fmax(K(0.0), (C) inner - p);\n";
            case NORM -> pass(f, "res", "isinf(p) ? (p > K(0.0) ? K(0.0) : (C) INFINITY) : K(0.0)", ld,
                    "C u = fabs(v);\n        if (isinf(p)) {\n            res = p > K(0.0) ? jt_max(res, u) : "
                            + "jt_min(res, u);\n        } else if (p == K(0.0)) {\n"
                            + "            res += v != K(0.0) ? K(1.0) : K(0.0);\n        } else if (p == K(1.0)) {\n"
                            + "            res += u;\n        } else if (p == K(2.0)) {\n            res += u * u;\n"
                            + "        } else {\n            res += jt_pow(u, p);\n        }",
                    "isinf(p) ? (p > K(0.0) ? jt_max(a, c) : jt_min(a, c)) : a + c")
                    + "    if (!isinf(p) && p != K(0.0) && p != K(1.0)) {\n"
                    + "        res = p == K(2.0) ? sqrt(res) : jt_pow(res, K(1.0) / p);\n    }\n";
            default -> throw new IllegalArgumentException(op + " is not a reduction");
        };
    }

    /**
     * The program of a softmax op computing in {@code c} (not LONG): kernels {@code OP_c} and {@code OP_s} with
     * arguments {@code (out, x, dy, geometry, cols, xs, gs, ys)}, one work-item per row of {@code cols} elements
     * of strides {@code xs} (x, or y for the backwards), {@code gs} (dy; x again for the forwards) and
     * {@code ys} (out).
     */
    static String softmax(Op op, DType in, DType grad, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("softmax " + op + " " + in + ", " + grad + " -> " + out, c,
                List.of(in, grad, out));
        String a = ElementwiseSource.load(in, "x[o1 + t * xs]", c);
        String d = ElementwiseSource.load(grad, "dy[o2 + t * gs]", c);
        String loop = "for (int t = 0; t < cols; t++) ";
        String y = "out[o0 + t * ys] = ";
        String body = switch (op) {
            case SOFTMAX -> "C m = -INFINITY;\n    " + loop + "m = jt_max(m, " + a + ");\n    C s = K(0.0);\n    "
                    + loop + "s += exp(" + a + " - m);\n    C inv = K(1.0) / s;\n    " + loop + y
                    + ElementwiseSource.store(out, "exp(" + a + " - m) * inv", c) + ";\n";
            case LOG_SOFTMAX -> "C m = -INFINITY;\n    " + loop + "m = jt_max(m, " + a + ");\n    C s = K(0.0);\n"
                    + "    " + loop + "s += exp(" + a + " - m);\n    C shift = m + log(s);\n    " + loop + y
                    + ElementwiseSource.store(out, "(" + a + ") - shift", c) + ";\n";
            case SOFTMAX_BACKWARD -> "C s = K(0.0);\n    " + loop + "s += (" + d + ") * (" + a + ");\n    "
                    + loop + y + ElementwiseSource.store(out, "(" + a + ") * ((" + d + ") - s)", c) + ";\n";
            case LOG_SOFTMAX_BACKWARD -> "C s = K(0.0);\n    " + loop + "s += " + d + ";\n    " + loop + y
                    + ElementwiseSource.store(out, "(" + d + ") - exp(" + a + ") * s", c) + ";\n";
            default -> throw new IllegalArgumentException(op + " is not a softmax op");
        };
        String params = ", const int cols, const int xs, const int gs, const int ys";
        for (boolean dense : new boolean[] {true, false}) {
            ElementwiseSource.kernel(s, op.name(), dense, new String[] {"out", "x", "dy"},
                    new DType[] {out, in, grad}, params, body, "");
        }
        return s.toString();
    }
}
