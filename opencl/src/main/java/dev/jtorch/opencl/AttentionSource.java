package dev.jtorch.opencl;

import dev.jtorch.DType;

/**
 * OpenCL C of scaled dot-product attention ({@link OpenClBackend#attention}) in the CPU backend's formulas
 * ({@code CpuAttention}): the scores {@code q . k * scale}, then the causal and given masks, an online softmax
 * over tiles of {@value #KT} keys held in private memory, and FlashAttention-2's backward from the saved
 * log-sum-exp. Elements are of type {@code T} (float or double, which is also the compute type); a mask is read
 * as {@code M} (uchar for bool, float, or T). Every view is strided: the struct {@code jt_attn} holds each view's
 * row and column strides, and an int64 buffer {@code offs} the storage offset of each batch item's matrix
 * ({@code offs[b * 12 + view]}, views in the order q, k, v, mask, drop, o, lse, dO, dq, dk, dv, ds).
 *
 * <ul>
 * <li>{@code attn_fwd}: a work-group per (batch item, tile of query rows), a work-item per query row: the running
 * maximum and sum in registers, the output row (in the output buffer) rescaled and accumulated once per key
 * tile; writes the row's lse (+inf for a fully masked row, whose output is 0).</li>
 * <li>{@code attn_bwd_d}: {@code D_i = rowsum(dO_i * O_i)} into a temporary.</li>
 * <li>{@code attn_bwd_dq}: a work-item per query row: the probabilities {@code exp(s - lse)} recomputed by key
 * tiles, {@code dS = P (dO V^T * drop - D)}, {@code dQ_i += scale dS K}; writes the rows of the score gradient
 * when asked.</li>
 * <li>{@code attn_bwd_dkv}: a work-item per key row: the same quantities by query tiles,
 * {@code dV_j += (P * drop)^T dO}, {@code dK_j += scale dS^T Q}.</li>
 * </ul>
 * Splitting the backward by query rows and by key rows recomputes the scores twice but needs no atomics, so the
 * results do not depend on scheduling. Multiplications and additions are not contracted (FP_CONTRACT OFF).
 */
final class AttentionSource {
    private AttentionSource() {
    }

    /** Keys (or query rows, in attn_bwd_dkv) per tile: the tile's scores live in a private array of this size. */
    static final int KT = 16;
    /** Views per batch item in {@code offs}, and their positions. */
    static final int VIEWS = 12;
    static final int Q = 0, K = 1, V = 2, MASK = 3, DROP = 4, O = 5, LSE = 6, DO = 7, DQ = 8, DK = 9, DV = 10, DS = 11;

    /** The geometry as the kernels' {@code jt_attn} struct. */
    static int[] pack(int b, int l, int s, int e, int ev, boolean causal, int maskKind, boolean drop, boolean ds,
                      int[] rowStrides, int[] colStrides) {
        int[] g = new int[9 + 2 * VIEWS];
        int[] head = {b, l, s, e, ev, causal ? 1 : 0, maskKind, drop ? 1 : 0, ds ? 1 : 0};
        System.arraycopy(head, 0, g, 0, head.length);
        System.arraycopy(rowStrides, 0, g, 9, VIEWS);
        System.arraycopy(colStrides, 0, g, 9 + VIEWS, VIEWS);
        return g;
    }

    private static final String BODY = """
            typedef struct {
                int B, L, S, E, EV, causal, mask, drop, ds;
                int rs[12];
                int cs[12];
            } jt_attn;

            // element (r, c) of batch item b's matrix of view w in buffer p
            #define AT(p, w, b, r, c) p[offs[(b) * 12 + (w)] + (long) (r) * g.rs[w] + (long) (c) * g.cs[w]]
            // NaN-propagating maximum (as Java's Math.max)
            #define JMAX(a, b) ((a) > (b) || isnan(a) ? (a) : (b))

            inline T score(__global const T* q, __global const T* k, __global const M* mk,
                           __global const long* offs, const jt_attn g, int b, int i, int j, T scale) {
                T dot = (T) 0;
                for (int e = 0; e < g.E; e++) {
                    dot += AT(q, 0, b, i, e) * AT(k, 1, b, j, e);
                }
                T s = dot * scale;
                if (g.causal && j > i) {
                    s = -INFINITY;
                }
                if (g.mask == 1) {
                    if (AT(mk, 3, b, i, j) == 0) {
                        s = -INFINITY;
                    }
                } else if (g.mask == 2) {
                    s += (T) AT(mk, 3, b, i, j);
                }
                return s;
            }

            __kernel void attn_fwd(__global const T* q, __global const T* k, __global const T* v,
                                   __global const M* mk, __global const T* dr, __global T* o, __global T* lse,
                                   __global const long* offs, const jt_attn g, const T scale, const int wantLse) {
                int i = (int) get_global_id(0);
                int b = (int) get_global_id(1);
                if (i >= g.L) {
                    return;
                }
                for (int c = 0; c < g.EV; c++) {
                    AT(o, 5, b, i, c) = (T) 0;
                }
                T m = -INFINITY;
                T l = (T) 0;
                T s[KT];
                int jEnd = g.causal ? min(g.S, i + 1) : g.S;
                for (int j0 = 0; j0 < jEnd; j0 += KT) {
                    int kt = min(KT, jEnd - j0);
                    T tmax = -INFINITY;
                    for (int jj = 0; jj < kt; jj++) {
                        s[jj] = score(q, k, mk, offs, g, b, i, j0 + jj, scale);
                        tmax = JMAX(tmax, s[jj]);
                    }
                    T mNew = JMAX(m, tmax);
                    if (mNew == -INFINITY) {
                        continue;
                    }
                    T alpha = exp(m - mNew);
                    T sum = (T) 0;
                    for (int jj = 0; jj < kt; jj++) {
                        T p = exp(s[jj] - mNew);
                        sum += p;
                        s[jj] = g.drop ? p * AT(dr, 4, b, i, j0 + jj) : p;
                    }
                    l = l * alpha + sum;
                    m = mNew;
                    for (int c = 0; c < g.EV; c++) {
                        T t = (T) 0;
                        for (int jj = 0; jj < kt; jj++) {
                            t += s[jj] * AT(v, 2, b, j0 + jj, c);
                        }
                        AT(o, 5, b, i, c) = AT(o, 5, b, i, c) * alpha + t;
                    }
                }
                bool none = m == -INFINITY;
                T inv = none ? (T) 0 : (T) 1 / l;
                for (int c = 0; c < g.EV; c++) {
                    AT(o, 5, b, i, c) = AT(o, 5, b, i, c) * inv;
                }
                if (wantLse) {
                    AT(lse, 6, b, i, 0) = none ? (T) INFINITY : m + log(l);
                }
            }

            __kernel void attn_bwd_d(__global const T* o, __global const T* dout, __global T* dd,
                                     __global const long* offs, const jt_attn g) {
                int i = (int) get_global_id(0);
                int b = (int) get_global_id(1);
                if (i >= g.L) {
                    return;
                }
                T s = (T) 0;
                for (int c = 0; c < g.EV; c++) {
                    s += AT(dout, 7, b, i, c) * AT(o, 5, b, i, c);
                }
                dd[(long) b * g.L + i] = s;
            }

            __kernel void attn_bwd_dq(__global const T* q, __global const T* k, __global const T* v,
                                      __global const M* mk, __global const T* dr, __global const T* lse,
                                      __global const T* dout, __global const T* dd, __global T* dq, __global T* ds,
                                      __global const long* offs, const jt_attn g, const T scale) {
                int i = (int) get_global_id(0);
                int b = (int) get_global_id(1);
                if (i >= g.L) {
                    return;
                }
                for (int e = 0; e < g.E; e++) {
                    AT(dq, 8, b, i, e) = (T) 0;
                }
                if (g.ds) {
                    for (int j = 0; j < g.S; j++) {
                        AT(ds, 11, b, i, j) = (T) 0;
                    }
                }
                T lr = AT(lse, 6, b, i, 0);
                T d = dd[(long) b * g.L + i];
                T s[KT];
                int jEnd = g.causal ? min(g.S, i + 1) : g.S;
                for (int j0 = 0; j0 < jEnd; j0 += KT) {
                    int kt = min(KT, jEnd - j0);
                    for (int jj = 0; jj < kt; jj++) {
                        int j = j0 + jj;
                        T p = exp(score(q, k, mk, offs, g, b, i, j, scale) - lr);
                        T dp = (T) 0;
                        for (int c = 0; c < g.EV; c++) {
                            dp += AT(dout, 7, b, i, c) * AT(v, 2, b, j, c);
                        }
                        if (g.drop) {
                            dp = dp * AT(dr, 4, b, i, j);
                        }
                        s[jj] = p * (dp - d);
                        if (g.ds) {
                            AT(ds, 11, b, i, j) = s[jj];
                        }
                    }
                    for (int e = 0; e < g.E; e++) {
                        T t = (T) 0;
                        for (int jj = 0; jj < kt; jj++) {
                            t += s[jj] * AT(k, 1, b, j0 + jj, e);
                        }
                        AT(dq, 8, b, i, e) = scale * t + AT(dq, 8, b, i, e);
                    }
                }
            }

            __kernel void attn_bwd_dkv(__global const T* q, __global const T* k, __global const T* v,
                                       __global const M* mk, __global const T* dr, __global const T* lse,
                                       __global const T* dout, __global const T* dd, __global T* dk,
                                       __global T* dv, __global const long* offs, const jt_attn g, const T scale) {
                int j = (int) get_global_id(0);
                int b = (int) get_global_id(1);
                if (j >= g.S) {
                    return;
                }
                for (int e = 0; e < g.E; e++) {
                    AT(dk, 9, b, j, e) = (T) 0;
                }
                for (int c = 0; c < g.EV; c++) {
                    AT(dv, 10, b, j, c) = (T) 0;
                }
                T sp[KT];
                T sd[KT];
                for (int i0 = g.causal ? j : 0; i0 < g.L; i0 += KT) {
                    int kt = min(KT, g.L - i0);
                    for (int ii = 0; ii < kt; ii++) {
                        int i = i0 + ii;
                        T p = exp(score(q, k, mk, offs, g, b, i, j, scale) - AT(lse, 6, b, i, 0));
                        T keep = g.drop ? AT(dr, 4, b, i, j) : (T) 1;
                        T dp = (T) 0;
                        for (int c = 0; c < g.EV; c++) {
                            dp += AT(dout, 7, b, i, c) * AT(v, 2, b, j, c);
                        }
                        if (g.drop) {
                            dp = dp * keep;
                        }
                        sp[ii] = g.drop ? p * keep : p;
                        sd[ii] = p * (dp - dd[(long) b * g.L + i]);
                    }
                    for (int c = 0; c < g.EV; c++) {
                        T t = (T) 0;
                        for (int ii = 0; ii < kt; ii++) {
                            t += sp[ii] * AT(dout, 7, b, i0 + ii, c);
                        }
                        AT(dv, 10, b, j, c) = t + AT(dv, 10, b, j, c);
                    }
                    for (int e = 0; e < g.E; e++) {
                        T t = (T) 0;
                        for (int ii = 0; ii < kt; ii++) {
                            t += sd[ii] * AT(q, 0, b, i0 + ii, e);
                        }
                        AT(dk, 9, b, j, e) = scale * t + AT(dk, 9, b, j, e);
                    }
                }
            }
            """;

    /** The attention program for elements of {@code dtype} and a mask stored as {@code mask} (null: none). */
    static String program(DType dtype, DType mask) {
        String t = switch (dtype) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            default -> throw new IllegalArgumentException("attention takes float32 or float64, not " + dtype);
        };
        String m = mask == null ? t : ElementwiseSource.storageType(mask);
        return "// jtorch-attention-1: scaled dot-product attention on " + t + ", mask " + m + "\n"
                + (dtype == DType.FLOAT64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "")
                + "#pragma OPENCL FP_CONTRACT OFF\n#define T " + t + "\n#define M " + m + "\n#define KT " + KT + "\n"
                + BODY;
    }
}
