package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.util.List;

/**
 * OpenCL C of the sort ({@link OpenClBackend#sort}) and the scans ({@link OpenClBackend#scan}): one work-item per
 * line along the dim, the lines laid out by a {@link Geometry} over the shape with the dim of size 1 (as the
 * softmax kernels), each work-item walking its line with the dim's strides, so any strides are read and written in
 * place and the order of operations is the CPU backend's ({@code CpuSort}).
 *
 * <ul>
 * <li>{@code SORT}: loads the line's keys (float for float32, float16 and bfloat16, double for float64, long for
 * int64 and bool) into its part of a global scratch buffer, sorts the line's positions by a bottom-up merge sort
 * that ping-pongs between two int arrays of the line's length in a second scratch buffer (stable: an element of
 * the right run goes first only when it sorts strictly before; NaN above every number, -0.0 equal to 0.0), then
 * writes the values (the input's elements themselves, bit for bit) and the int64 positions.</li>
 * <li>{@code CUMSUM}, {@code CUMPROD}: a running sum or product along the line, forwards or from the end, in double
 * for floating types (float where the device lacks cl_khr_fp64), in long with Java's wrapping for int64 and
 * bool; each element is read before it is written, so the output may be the input.</li>
 * </ul>
 */
final class SortSource {
    private SortSource() {
    }

    /** The type the keys of a dtype are compared in. */
    static CType keyType(DType t) {
        return switch (t) {
            case FLOAT64 -> CType.DOUBLE;
            case INT64, BOOL -> CType.LONG;
            case FLOAT32, FLOAT16, BFLOAT16 -> CType.FLOAT;
        };
    }

    /**
     * Per-work-item element offsets {@code o0 .. o(k-1)} of {@code k} operands from the geometry {@code g}
     * (as {@code ElementwiseSource}'s strided kernels compute them).
     */
    private static String offsets(int k) {
        StringBuilder s = new StringBuilder("    int rem = i;\n");
        for (int j = 0; j < k; j++) {
            s.append("    int o").append(j).append(" = g.off[").append(j).append("];\n");
        }
        s.append("    for (int d = g.nd - 1; d > 0; d--) {\n")
                .append("        int q = rem / g.size[d];\n        int j = rem - q * g.size[d];\n        rem = q;\n");
        for (int j = 0; j < k; j++) {
            s.append("        o").append(j).append(" += j * g.st[").append(j).append("][d];\n");
        }
        s.append("    }\n");
        for (int j = 0; j < k; j++) {
            s.append("    if (g.nd > 0) {\n        o").append(j).append(" += rem * g.st[").append(j)
                    .append("][0];\n    }\n");
        }
        return s.toString();
    }

    /**
     * The sort program of {@code dtype}: kernel {@code SORT(values, indices, x, g, keys, perm, n, vs, is, xs,
     * descending)} over the lines of {@code g} (operands values, indices, x), each line of {@code n} elements with
     * strides {@code vs, is, xs}; work-item i uses {@code keys[i n, i n + n)} and {@code perm[2 i n, 2 i n + 2 n)}.
     */
    static String sort(DType dtype) {
        CType k = keyType(dtype);
        String v = ElementwiseSource.storageType(dtype);
        StringBuilder s = ElementwiseSource.header("sort " + dtype + ", keys in " + k.c, k, List.of(dtype));
        String before = k == CType.LONG ? "(desc ? a > b : a < b)"
                : "(desc ? (a > b || (isnan(a) && !isnan(b))) : (a < b || (!isnan(a) && isnan(b))))";
        s.append("\n/* whether key a sorts strictly before key b */\n")
                .append("bool jt_before(const ").append(k.c).append(" a, const ").append(k.c)
                .append(" b, const int desc) {\n    return ").append(before).append(";\n}\n");
        s.append("\n__kernel void SORT(__global ").append(v).append("* values, __global long* indices, __global const ")
                .append(v).append("* x, const jt_geo g, __global ").append(k.c)
                .append("* keys, __global int* perm, const int n, const int vs, const int is, const int xs, "
                        + "const int desc) {\n")
                .append("    int i = (int) get_global_id(0);\n    if (i >= g.n) return;\n")
                .append(offsets(3))
                .append("    __global ").append(k.c).append("* key = keys + (long) i * n;\n")
                .append("    __global int* src = perm + (long) i * 2 * n;\n")
                .append("    __global int* dst = src + n;\n")
                .append("    for (int t = 0; t < n; t++) {\n        key[t] = ")
                .append(ElementwiseSource.load(dtype, "x[o2 + t * xs]", k)).append(";\n        src[t] = t;\n    }\n")
                .append("""
                            for (long w = 1; w < n; w *= 2) {
                                for (long lo = 0; lo < n; lo += 2 * w) {
                                    int mid = (int) min(lo + w, (long) n);
                                    int hi = (int) min(lo + 2 * w, (long) n);
                                    int a = (int) lo;
                                    int b = mid;
                                    int t = (int) lo;
                                    while (a < mid && b < hi) {
                                        /* the right run's element goes first only when it sorts strictly before */
                                        if (jt_before(key[src[b]], key[src[a]], desc)) {
                                            dst[t++] = src[b++];
                                        } else {
                                            dst[t++] = src[a++];
                                        }
                                    }
                                    while (a < mid) {
                                        dst[t++] = src[a++];
                                    }
                                    while (b < hi) {
                                        dst[t++] = src[b++];
                                    }
                                }
                                __global int* swap = src;
                                src = dst;
                                dst = swap;
                            }
                            for (int t = 0; t < n; t++) {
                                int p = src[t];
                                values[o0 + t * vs] = x[o2 + p * xs];
                                indices[o1 + t * is] = (long) p;
                            }
                        }
                        """);
        return s.toString();
    }

    /**
     * The scan program of {@code op} (CUMSUM or CUMPROD) from {@code in} to {@code out} computing in {@code c}:
     * kernel {@code SCAN(out, x, g, n, os, xs, reverse)} over the lines of {@code g} (operands out, x).
     */
    static String scan(Op op, DType in, DType out, CType c) {
        if (op != Op.CUMSUM && op != Op.CUMPROD) {
            throw new IllegalArgumentException(op + " is not a scan");
        }
        StringBuilder s = ElementwiseSource.header("scan " + op + " " + in + " -> " + out, c, List.of(in, out));
        boolean sum = op == Op.CUMSUM;
        String load = ElementwiseSource.load(in, "x[o1 + t * xs]", c);
        String step = c == CType.LONG
                ? "acc = as_long(as_ulong(acc) " + (sum ? "+" : "*") + " as_ulong(" + load + "));"
                : "acc = acc " + (sum ? "+" : "*") + " " + load + ";";
        String init = c == CType.LONG ? (sum ? "0L" : "1L") : (sum ? "K(0.0)" : "K(1.0)");
        String type = c == CType.LONG ? "long" : "C";
        s.append("\n__kernel void SCAN(__global ").append(ElementwiseSource.storageType(out))
                .append("* out, __global const ").append(ElementwiseSource.storageType(in))
                .append("* x, const jt_geo g, const int n, const int os, const int xs, const int reverse) {\n")
                .append("    int i = (int) get_global_id(0);\n    if (i >= g.n) return;\n")
                .append(offsets(2))
                .append("    ").append(type).append(" acc = ").append(init).append(";\n")
                .append("    for (int k = 0; k < n; k++) {\n        int t = reverse ? n - 1 - k : k;\n        ")
                .append(step).append("\n        out[o0 + t * os] = ")
                .append(ElementwiseSource.store(out, "acc", c)).append(";\n    }\n}\n");
        return s.toString();
    }
}
