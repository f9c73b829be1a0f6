package dev.jtorch.opencl;

import dev.jtorch.opencl.ElementwiseSource.CType;

/**
 * OpenCL C of the normalization ops ({@link OpenClBackend#norm}) and of the embedding bag
 * ({@link OpenClBackend#embeddingBag}), one program per element type {@code C} (float or double) holding every
 * kernel. All operands are contiguous and addressed by a buffer and an element offset; optional operands come
 * with an int flag (and some other buffer in their place when absent).
 *
 * <ul>
 * <li>Per-channel statistics ({@code moments}, {@code channel_sums}): one work-group per channel of
 * {@code [outer, channels, inner]}; its work-items walk the channel's {@code outer * inner} elements strided by
 * the group size, each folding its own partial sums as the CPU kernels do (the shifted data {@code x - k}, k the
 * channel's first element, and {@code fma} for the squares and products), then the group adds the partials as a
 * tree in local memory, in a fixed order (deterministic; the order differs from the CPU's vector lanes within
 * rounding).</li>
 * <li>Elementwise transforms ({@code scale_shift}, {@code scale_shift2}, {@code row_affine}): one work-item per
 * element, in the CPU's formulas ({@code fma} where it uses {@code Math.fma}).</li>
 * <li>Per-channel coefficients ({@code apply_coeffs} of NORM_APPLY, {@code rstd} of the row ops): one
 * work-item per channel or row, computed in {@code A} (double where the device has it, as the CPU computes them)
 * and rounded once to {@code C}.</li>
 * <li>{@code row_backward}: one work-group per row reduces the row's two sums as above, then writes its dx;
 * {@code col_partial} and {@code col_combine} give dw and db as sums over the rows per column: one work-item per
 * (chunk of rows, column) walking its rows in order (a single chunk: the CPU's exact order), then one per column
 * adding its chunks' partial sums in order.</li>
 * <li>{@code embedding_bag}: one work-item per (bag, feature column) walking its bag's entries in order (sum by
 * {@code fma}, mean by the reciprocal of the count, max keeping the first largest), with the work-item of column
 * 0 also writing each entry's bag and the bag's size; deterministic, no atomics.</li>
 * </ul>
 */
final class NormSource {
    private NormSource() {
    }

    /** Largest work-group the group kernels take (the size of their local arrays). */
    static final int GROUP = 256;

    private static final String BODY = """
            // the partial sums a[0..lsz) and b[0..lsz) added into a[0] and b[0], pairwise as a tree
            void tree2(__local C* a, __local C* b, int lid, int lsz) {
                int p2 = 1;
                while (p2 < lsz) {
                    p2 <<= 1;
                }
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int h = p2 / 2; h > 0; h >>= 1) {
                    if (lid < h && lid + h < lsz) {
                        a[lid] += a[lid + h];
                        b[lid] += b[lid + h];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
            }

            __kernel void moments(__global const C* x, const int xo, __global C* mean, const int mo,
                                  __global C* var, const int vo, const int outer, const int ch, const int inner,
                                  const int center) {
                __local C l1[GROUP];
                __local C l2[GROUP];
                int c = (int) get_group_id(0);
                int lid = (int) get_local_id(0);
                int lsz = (int) get_local_size(0);
                int count = outer * inner;
                C k = center && count > 0 ? x[xo + c * inner] : K(0.0);
                C s1 = K(0.0);
                C s2 = K(0.0);
                for (int j = lid; j < count; j += lsz) {
                    int o = j / inner;
                    C d = x[xo + (o * ch + c) * inner + (j - o * inner)] - k;
                    s1 += d;
                    s2 = fma(d, d, s2);
                }
                l1[lid] = s1;
                l2[lid] = s2;
                tree2(l1, l2, lid, lsz);
                if (lid == 0) {
                    if (count == 0) {
                        mean[mo + c] = NAN;
                        var[vo + c] = NAN;
                    } else {
                        C m = l1[0] / (C) count;
                        C v = l2[0] / (C) count;
                        if (center) {
                            v = v - m * m;
                            v = v < K(0.0) ? K(0.0) : v;
                        }
                        mean[mo + c] = center ? k + m : K(0.0);
                        var[vo + c] = v;
                    }
                }
            }

            __kernel void channel_sums(__global const C* dy, const int dyo, __global const C* x, const int xo,
                                       const int hasx, __global C* sdy, const int so, __global C* sdyx,
                                       const int sxo, const int outer, const int ch, const int inner) {
                __local C l1[GROUP];
                __local C l2[GROUP];
                int c = (int) get_group_id(0);
                int lid = (int) get_local_id(0);
                int lsz = (int) get_local_size(0);
                int count = outer * inner;
                C t1 = K(0.0);
                C t2 = K(0.0);
                for (int j = lid; j < count; j += lsz) {
                    int o = j / inner;
                    int e = (o * ch + c) * inner + (j - o * inner);
                    C g = dy[dyo + e];
                    t1 += g;
                    if (hasx) {
                        t2 = fma(g, x[xo + e], t2);
                    }
                }
                l1[lid] = t1;
                l2[lid] = t2;
                tree2(l1, l2, lid, lsz);
                if (lid == 0) {
                    sdy[so + c] = l1[0];
                    if (hasx) {
                        sdyx[sxo + c] = l2[0];
                    }
                }
            }

            __kernel void scale_shift(__global const C* x, const int xo, __global const C* a, const int ao,
                                      __global const C* b, const int bo, const int hasb, __global C* y,
                                      const int yo, const int n, const int ch, const int inner) {
                int e = (int) get_global_id(0);
                if (e >= n) {
                    return;
                }
                int c = (e / inner) % ch;
                C v = x[xo + e];
                y[yo + e] = hasb ? fma(v, a[ao + c], b[bo + c]) : v * a[ao + c];
            }

            __kernel void scale_shift2(__global const C* dy, const int dyo, __global const C* x, const int xo,
                                       __global const C* a, const int ao, __global const C* b, const int bo,
                                       __global const C* c0, const int co, __global C* y, const int yo,
                                       const int n, const int ch, const int inner) {
                int e = (int) get_global_id(0);
                if (e >= n) {
                    return;
                }
                int c = (e / inner) % ch;
                y[yo + e] = fma(dy[dyo + e], a[ao + c], fma(x[xo + e], b[bo + c], c0[co + c]));
            }

            // NORM_APPLY's per-channel scale a = w / sqrt(var + eps) and shift b - mean a, into ab[0..ch) and
            // ab[ch..2 ch)
            __kernel void apply_coeffs(__global const C* mean, const int mo, __global const C* var, const int vo,
                                       __global const C* w, const int wo, const int hasw, __global const C* b,
                                       const int bo, const int hasb, __global C* ab, const int ch, const A eps) {
                int k = (int) get_global_id(0);
                if (k >= ch) {
                    return;
                }
                A r = (A) 1 / sqrt((A) var[vo + k] + eps);
                A sc = hasw ? (A) w[wo + k] * r : r;
                ab[k] = (C) sc;
                ab[ch + k] = (C) ((hasb ? (A) b[bo + k] : (A) 0) - (A) mean[mo + k] * sc);
            }

            // 1 / sqrt(var + eps) per row, rounded once
            __kernel void rstd(__global const C* var, const int vo, __global C* r, const int rows, const A eps) {
                int k = (int) get_global_id(0);
                if (k >= rows) {
                    return;
                }
                r[k] = (C) ((A) 1 / sqrt((A) var[vo + k] + eps));
            }

            __kernel void row_affine(__global const C* x, const int xo, __global const C* mean, const int mo,
                                     __global const C* rs, __global const C* w, const int wo, const int hasw,
                                     __global const C* b, const int bo, const int hasb, __global C* y,
                                     const int yo, const int total, const int n) {
                int e = (int) get_global_id(0);
                if (e >= total) {
                    return;
                }
                int r = e / n;
                int i = e - r * n;
                C h = (x[xo + e] - mean[mo + r]) * rs[r];
                if (hasw) {
                    h = hasb ? fma(h, w[wo + i], b[bo + i]) : h * w[wo + i];
                } else if (hasb) {
                    h += b[bo + i];
                }
                y[yo + e] = h;
            }

            __kernel void row_backward(__global const C* x, const int xo, __global const C* dy, const int dyo,
                                       __global const C* mean, const int mo, __global const C* rs,
                                       __global const C* w, const int wo, const int hasw, const int center,
                                       __global C* dx, const int dxo, const int n) {
                __local C l1[GROUP];
                __local C l2[GROUP];
                int r = (int) get_group_id(0);
                int lid = (int) get_local_id(0);
                int lsz = (int) get_local_size(0);
                int off = r * n;
                C m = mean[mo + r];
                C s = rs[r];
                C tg = K(0.0);
                C tgx = K(0.0);
                for (int i = lid; i < n; i += lsz) {
                    C g = dy[dyo + off + i];
                    C h = (x[xo + off + i] - m) * s;
                    if (hasw) {
                        g *= w[wo + i];
                    }
                    tg += g;
                    tgx = fma(g, h, tgx);
                }
                l1[lid] = tg;
                l2[lid] = tgx;
                tree2(l1, l2, lid, lsz);
                C meanG = center ? l1[0] / (C) n : K(0.0);
                C meanGx = l2[0] / (C) n;
                for (int i = lid; i < n; i += lsz) {
                    C g = dy[dyo + off + i];
                    if (hasw) {
                        g *= w[wo + i];
                    }
                    C h = (x[xo + off + i] - m) * s;
                    dx[dxo + off + i] = (g - meanG - h * meanGx) * s;
                }
            }

            // sums over rows [kc chunk, (kc + 1) chunk) of dy xhat (into pw) and dy (into pb), per column
            __kernel void col_partial(__global const C* x, const int xo, __global const C* dy, const int dyo,
                                      __global const C* mean, const int mo, __global const C* rs,
                                      __global C* pw, const int pwo, const int hasdw, __global C* pb,
                                      const int pbo, const int hasdb, const int rows, const int n,
                                      const int nchunk, const int chunk) {
                int gid = (int) get_global_id(0);
                if (gid >= nchunk * n) {
                    return;
                }
                int kc = gid / n;
                int i = gid - kc * n;
                int r1 = min(rows, (kc + 1) * chunk);
                C tw = K(0.0);
                C tb = K(0.0);
                for (int r = kc * chunk; r < r1; r++) {
                    C g = dy[dyo + r * n + i];
                    if (hasdw) {
                        C h = (x[xo + r * n + i] - mean[mo + r]) * rs[r];
                        tw = fma(g, h, tw);
                    }
                    tb += g;
                }
                if (hasdw) {
                    pw[pwo + kc * n + i] = tw;
                }
                if (hasdb) {
                    pb[pbo + kc * n + i] = tb;
                }
            }

            // out[i] = the sum over k of p[k n + i], in order
            __kernel void col_combine(__global const C* p, __global C* out, const int oo, const int nchunk,
                                      const int n) {
                int i = (int) get_global_id(0);
                if (i >= n) {
                    return;
                }
                C s = K(0.0);
                for (int k = 0; k < nchunk; k++) {
                    s += p[k * n + i];
                }
                out[oo + i] = s;
            }

            __kernel void embedding_bag(__global const C* w, const int wo, __global const long* idx, const int io,
                                        __global const long* off, const int fo, __global const C* psw,
                                        const int po, const int hasp, const int mode, const long pad,
                                        __global C* out, const int oo, __global long* bag, const int bgo,
                                        __global long* size, const int so, __global long* marg, const int ao,
                                        const int hasarg, const int batch, const int dim) {
                int gid = (int) get_global_id(0);
                int d1 = max(dim, 1);
                if (gid >= batch * d1) {
                    return;
                }
                int b = gid / d1;
                int d = gid - b * d1;
                int s = (int) off[fo + b];
                int e = (int) off[fo + b + 1];
                C acc = K(0.0);
                long arg = -1;
                int cnt = 0;
                for (int i = s; i < e; i++) {
                    if (d == 0) {
                        bag[bgo + i] = b;
                    }
                    long r = idx[io + i];
                    if (r == pad) {
                        continue;
                    }
                    if (d < dim) {
                        C v = w[wo + (long) r * dim + d];
                        if (mode == 2) {
                            if (cnt == 0 || v > acc) {
                                acc = v;
                                arg = r;
                            }
                        } else {
                            acc = fma(v, hasp ? psw[po + i] : K(1.0), acc);
                        }
                    }
                    cnt++;
                }
                if (d == 0) {
                    size[so + b] = cnt;
                }
                if (d < dim) {
                    if (mode == 1 && cnt > 0) {
                        acc = acc * (K(1.0) / (C) cnt);
                    }
                    out[oo + b * dim + d] = acc;
                    if (hasarg) {
                        marg[ao + b * dim + d] = arg;
                    }
                }
            }
            """;

    /**
     * The program of the normalization and embedding-bag kernels on elements of type {@code c} (FLOAT or DOUBLE),
     * the coefficients computed in double when {@code fp64} (the device has cl_khr_fp64), else in {@code c}.
     */
    static String program(CType c, boolean fp64) {
        if (c == CType.LONG) {
            throw new IllegalArgumentException("normalization computes in float or double, not long");
        }
        StringBuilder s = new StringBuilder();
        s.append("// jtorch-norm-1: normalization and embedding bag on ").append(c.c).append('\n');
        if (fp64 || c == CType.DOUBLE) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        // Java evaluates a * b + c with two roundings: fused only where the CPU calls Math.fma
        s.append("#pragma OPENCL FP_CONTRACT OFF\n");
        s.append("#define GROUP ").append(GROUP).append('\n');
        s.append(c == CType.DOUBLE ? "#define C double\n#define K(x) x\n" : "#define C float\n#define K(x) x##f\n");
        s.append(fp64 || c == CType.DOUBLE ? "#define A double\n" : "#define A float\n");
        s.append(BODY);
        return s.toString();
    }
}
