package dev.jtorch.opencl;

import dev.jtorch.DType;

/**
 * OpenCL C of the CTC loss ({@link OpenClBackend#ctc}) in PyTorch's (and the CPU backend's {@code CpuCtc})
 * formulas: log space, in double (the loss and alpha are float64 tensors, so the device has cl_khr_fp64), reading
 * log-probabilities of type {@code L} (float or double) from a contiguous {@code [T, N, C]} buffer. Sample
 * {@code b}'s sizes come in one int64 buffer {@code meta}: input lengths at {@code [0, N)}, target lengths at
 * {@code [N, 2N)}, the offsets of its labels in the targets at {@code [2N, 3N)} and of its labels' links (below)
 * at {@code [3N, 4N)}. The extended target has {@code len = 2 S + 1} positions {@code q}: blank at even
 * {@code q}, label {@code q / 2} at odd ones. A label outside {@code [0, C)} (the nn layer rejects them) reads
 * as log-probability -inf rather than outside the buffer.
 *
 * <ul>
 * <li>{@code ctc_alpha}: one work-group per sample, its work-items covering the positions {@code q}, one step
 * {@code t} at a time with a barrier between steps; alpha is written in place in the float64 alpha tensor
 * {@code [N, T, len0]} (row t read by step t + 1), each position summing its predecessors in the CPU's order
 * ({@code q}, then {@code q - 1}, then the skip {@code q - 2}); a work-item then writes the sample's nll.</li>
 * <li>{@code ctc_beta}: the same backwards in time into a float64 temporary of alpha's layout, for samples with a
 * non-zero scale and input.</li>
 * <li>{@code ctc_links}: one work-item per (sample, class) linking the target positions holding that class in
 * increasing order (the first one per (sample, class), then a next pointer per position), so that
 * {@code ctc_grad} visits a class's positions in the CPU's order in time proportional to their number.</li>
 * <li>{@code ctc_grad}: one work-item per element {@code (t, b, k)} of the gradient: the log-sum of
 * {@code alpha + beta} over the positions labelled {@code k} (every position for the blank, which may also
 * appear among the labels), in increasing {@code q}, then {@code (exp(lp) - exp(lcab + nll - lp)) * scale};
 * zero past the sample's input length or where its scale is 0.</li>
 * </ul>
 */
final class CtcSource {
    private CtcSource() {
    }

    private static final String BODY = """
            double lse(double a, double b) {
                if (a == -INFINITY) {
                    return b;
                }
                if (b == -INFINITY) {
                    return a;
                }
                double m = isnan(a) || isnan(b) ? NAN : fmax(a, b);
                return m + log(exp(a - m) + exp(b - m));
            }

            // label of extended position q of a sample whose labels start at tg[to]
            #define LABEL(q) (((q) & 1) == 0 ? blank : (int) tg[to + (q) / 2])
            // log-probability of class l at step t of sample b (-inf for a class out of range)
            #define LP(t, l) ((l) >= 0 && (l) < nc ? (double) lp[lpo + ((t) * nb + b) * nc + (l)] : -INFINITY)

            __kernel void ctc_alpha(__global const L* lp, const int lpo, __global const long* tg, const int tgo,
                                    __global const long* meta, __global double* alpha, const int ao,
                                    __global double* nll, const int no, const int nt, const int nb, const int nc,
                                    const int len0, const int blank) {
                int b = (int) get_group_id(0);
                int lid = (int) get_local_id(0);
                int lsz = (int) get_local_size(0);
                int tb = (int) meta[b];
                int s = (int) meta[nb + b];
                int to = tgo + (int) meta[2 * nb + b];
                int len = 2 * s + 1;
                __global double* a = alpha + ao + b * nt * len0;
                // no work-item returns early: every one reaches every barrier (PoCL needs it)
                for (int q = lid; q < len; q += lsz) {
                    if (tb > 0) {
                        a[q] = q == 0 ? LP(0, blank) : q == 1 ? LP(0, LABEL(1)) : -INFINITY;
                    } else if (nt > 0) {
                        a[q] = -INFINITY;
                    }
                }
                barrier(CLK_GLOBAL_MEM_FENCE);
                for (int t = 1; t < tb; t++) {
                    __global const double* prev = a + (t - 1) * len0;
                    for (int q = lid; q < len; q += lsz) {
                        int l = LABEL(q);
                        double v = prev[q];
                        if (q > 0) {
                            v = lse(v, prev[q - 1]);
                        }
                        if (q > 1 && l != blank && l != LABEL(q - 2)) {
                            v = lse(v, prev[q - 2]);
                        }
                        a[t * len0 + q] = v + LP(t, l);
                    }
                    barrier(CLK_GLOBAL_MEM_FENCE);
                }
                if (lid == 0) {
                    if (tb == 0) {
                        nll[no + b] = s == 0 ? 0.0 : INFINITY;
                    } else {
                        double end = a[(tb - 1) * len0 + len - 1];
                        if (len > 1) {
                            end = lse(end, a[(tb - 1) * len0 + len - 2]);
                        }
                        nll[no + b] = -end;
                    }
                }
            }

            __kernel void ctc_beta(__global const L* lp, const int lpo, __global const long* tg, const int tgo,
                                   __global const long* meta, __global double* beta, __global const double* go,
                                   const int goo, const int nt, const int nb, const int nc, const int len0,
                                   const int blank) {
                int b = (int) get_group_id(0);
                int lid = (int) get_local_id(0);
                int lsz = (int) get_local_size(0);
                int tb = (int) meta[b];
                int s = (int) meta[nb + b];
                int to = tgo + (int) meta[2 * nb + b];
                int len = 2 * s + 1;
                // samples skipped (no input, or a zero scale) run no steps; nobody returns before a barrier
                int steps = tb == 0 || go[goo + b] == 0.0 ? 0 : tb;
                __global double* e = beta + b * nt * len0;
                for (int q = lid; q < len && steps > 0; q += lsz) {
                    e[(tb - 1) * len0 + q] = q == len - 1 ? LP(tb - 1, blank)
                            : q == len - 2 ? LP(tb - 1, LABEL(len - 2)) : -INFINITY;
                }
                barrier(CLK_GLOBAL_MEM_FENCE);
                for (int t = steps - 2; t >= 0; t--) {
                    __global const double* next = e + (t + 1) * len0;
                    for (int q = lid; q < len; q += lsz) {
                        int l = LABEL(q);
                        double v = next[q];
                        if (q < len - 1) {
                            v = lse(v, next[q + 1]);
                        }
                        if (q < len - 2 && l != blank && l != LABEL(q + 2)) {
                            v = lse(v, next[q + 2]);
                        }
                        e[t * len0 + q] = v + LP(t, l);
                    }
                    barrier(CLK_GLOBAL_MEM_FENCE);
                }
            }

            // links[b nc + k]: sample b's first label position holding class k (-1: none);
            // links[nb nc + meta[3 nb + b] + j]: the next position after j holding the same class (-1: none)
            __kernel void ctc_links(__global const long* tg, const int tgo, __global const long* meta,
                                    __global long* links, const int nb, const int nc) {
                int gid = (int) get_global_id(0);
                if (gid >= nb * nc) {
                    return;
                }
                int b = gid / nc;
                int k = gid - b * nc;
                int s = (int) meta[nb + b];
                int to = tgo + (int) meta[2 * nb + b];
                __global long* nxt = links + nb * nc + (int) meta[3 * nb + b];
                int last = -1;
                for (int j = 0; j < s; j++) {
                    if (tg[to + j] == k) {
                        if (last < 0) {
                            links[gid] = j;
                        } else {
                            nxt[last] = j;
                        }
                        last = j;
                    }
                }
                if (last < 0) {
                    links[gid] = -1;
                } else {
                    nxt[last] = -1;
                }
            }

            __kernel void ctc_grad(__global const L* lp, const int lpo, __global const long* tg, const int tgo,
                                   __global const long* meta, __global const long* links,
                                   __global const double* alpha, const int ao, __global const double* beta,
                                   __global const double* nll, const int no, __global const double* go,
                                   const int goo, __global L* grad, const int gro, const int nt, const int nb,
                                   const int nc, const int len0, const int blank) {
                int gid = (int) get_global_id(0);
                if (gid >= nt * nb * nc) {
                    return;
                }
                int k = gid % nc;
                int t = gid / nc / nb;
                int b = gid / nc - t * nb;
                int tb = (int) meta[b];
                double scale = go[goo + b];
                if (t >= tb || scale == 0.0) {
                    grad[gro + gid] = (L) 0;
                    return;
                }
                int s = (int) meta[nb + b];
                int to = tgo + (int) meta[2 * nb + b];
                int len = 2 * s + 1;
                __global const double* a = alpha + ao + (b * nt + t) * len0;
                __global const double* e = beta + (b * nt + t) * len0;
                double lcab = -INFINITY;
                if (k == blank) {
                    for (int q = 0; q < len; q++) {
                        if (LABEL(q) == blank) {
                            lcab = lse(lcab, a[q] + e[q]);
                        }
                    }
                } else {
                    __global const long* nxt = links + nb * nc + (int) meta[3 * nb + b];
                    for (int j = (int) links[b * nc + k]; j >= 0; j = (int) nxt[j]) {
                        lcab = lse(lcab, a[2 * j + 1] + e[2 * j + 1]);
                    }
                }
                double lpv = LP(t, k);
                grad[gro + gid] = (L) ((exp(lpv) - exp(lcab + nll[no + b] - lpv)) * scale);
            }
            """;

    /** The CTC program for log-probabilities of {@code dtype} (FLOAT32 or FLOAT64). */
    static String program(DType dtype) {
        String l = switch (dtype) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            default -> throw new IllegalArgumentException("CTC takes float32 or float64 log-probabilities, not "
                    + dtype);
        };
        return "// jtorch-ctc-2: CTC loss on " + l + " log-probabilities, in double\n"
                + "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#pragma OPENCL FP_CONTRACT OFF\n#define L " + l
                + "\n" + BODY;
    }
}
