package dev.jtorch.opencl;

/**
 * Generates the OpenCL C of the pooling kernels ({@link OpenClPool}), one program per element type {@code T}
 * ({@code float}, {@code double}) and divisor type {@code A} (double where the device has it, as the CPU divides
 * in double; else float). The windows come as one int64 table and its {@code jt_pool} struct
 * ({@link PoolTables#pack}).
 *
 * <ul>
 * <li>{@code max_pool}: one work-item per output, the window clipped to the input as {@code PoolF.max} clips it,
 * walked in the same order with the same rule (a larger value or NaN takes over, so the first of equal maxima
 * and the last NaN win), writing the maximum and, when asked, its flat index in the input plane.</li>
 * <li>{@code avg_pool}: one work-item per output: the sum of its taps inside the input, in {@code T}, divided
 * in {@code A} by the product of its per-dimension divisors (or the override) and rounded once.</li>
 * <li>{@code max_pool_backward} and {@code avg_pool_backward}: one work-item per input element, a gather: it
 * visits the outputs whose windows cover it (from the table's first to last covering output per dimension, each
 * checked against its window's start, count and dilation) in increasing order, and sums {@code dy} where the
 * output's index is this element (max) or {@code dy / divisor} rounded to {@code T} (average): the terms and
 * their order are the CPU's scatter's, so the result is too, bit for bit, without atomics.</li>
 * </ul>
 */
final class PoolSource {
    private PoolSource() {
    }

    private static final String STRUCT = """
            typedef struct {
                int planes;
                int in[3];
                int out[3];
                int dil[3];
                int perPlane;
                int start[3];
                int count[3];
                int lo[3];
                int hi[3];
                int div[3];
                int hasDiv;
            } jt_pool;

            #define START(d, plane, o) ((int) tab[q.start[d] + (q.perPlane ? (plane) * q.out[d] : 0) + (o)])
            #define COUNT(d, o) ((int) tab[q.count[d] + (o)])
            #define LO(d, plane, i) ((int) tab[q.lo[d] + (q.perPlane ? (plane) * q.in[d] : 0) + (i)])
            #define HI(d, plane, i) ((int) tab[q.hi[d] + (q.perPlane ? (plane) * q.in[d] : 0) + (i)])

            /* The first tap index j with start + j * dil >= 0. */
            inline int jt_first(int s, int dil) {
                return s >= 0 ? 0 : (-s + dil - 1) / dil;
            }

            /* One past the last tap index j < count with start + j * dil < in. */
            inline int jt_last(int s, int count, int dil, int in) {
                if (s >= in) {
                    return 0;
                }
                return min(count, (in - 1 - s) / dil + 1);
            }

            /* Whether the window of output o along dimension d covers input position i. */
            inline bool jt_covers(__global const long* tab, const jt_pool q, int d, int plane, int o, int i) {
                int t = i - START(d, plane, o);
                return t >= 0 && t % q.dil[d] == 0 && t / q.dil[d] < COUNT(d, o);
            }

            inline A jt_divisor(__global const long* tab, const jt_pool q, A override, int od, int oh, int ow) {
                if (!q.hasDiv) {
                    return override;
                }
                return DIV(tab[q.div[0] + od]) * DIV(tab[q.div[1] + oh]) * DIV(tab[q.div[2] + ow]);
            }
            """;

    private static final String KERNELS = """
            __kernel void max_pool(__global T* y, const int yo, __global long* idx, const int io, const int withIdx,
                                   __global const T* x, const int xo, __global const long* tab, const jt_pool q,
                                   const int total) {
                int o = (int) get_global_id(0);
                if (o >= total) {
                    return;
                }
                int inH = q.in[1], inW = q.in[2];
                int dD = q.dil[0], dH = q.dil[1], dW = q.dil[2];
                int os = q.out[0] * q.out[1] * q.out[2];
                int plane = o / os;
                int r = o - plane * os;
                int ow = r % q.out[2];
                int t = r / q.out[2];
                int oh = t % q.out[1];
                int od = t / q.out[1];
                int sd = START(0, plane, od), sh = START(1, plane, oh), sw = START(2, plane, ow);
                int d0 = jt_first(sd, dD), d1 = jt_last(sd, COUNT(0, od), dD, q.in[0]);
                int h0 = jt_first(sh, dH), h1 = jt_last(sh, COUNT(1, oh), dH, inH);
                int w0 = jt_first(sw, dW), w1 = jt_last(sw, COUNT(2, ow), dW, inW);
                int xp = xo + plane * q.in[0] * inH * inW;
                T m = (T) -INFINITY;
                int arg = ((sd + d0 * dD) * inH + sh + h0 * dH) * inW + sw + w0 * dW;
                for (int jd = d0; jd < d1; jd++) {
                    for (int jh = h0; jh < h1; jh++) {
                        int row = ((sd + jd * dD) * inH + sh + jh * dH) * inW + sw;
                        for (int jw = w0; jw < w1; jw++) {
                            int at = row + jw * dW;
                            T v = x[xp + at];
                            if (v > m || isnan(v)) {
                                m = v;
                                arg = at;
                            }
                        }
                    }
                }
                y[yo + o] = m;
                if (withIdx) {
                    idx[io + o] = (long) arg;
                }
            }

            __kernel void avg_pool(__global T* y, const int yo, __global const T* x, const int xo,
                                   __global const long* tab, const jt_pool q, const A override, const int total) {
                int o = (int) get_global_id(0);
                if (o >= total) {
                    return;
                }
                int inH = q.in[1], inW = q.in[2];
                int dD = q.dil[0], dH = q.dil[1], dW = q.dil[2];
                int os = q.out[0] * q.out[1] * q.out[2];
                int plane = o / os;
                int r = o - plane * os;
                int ow = r % q.out[2];
                int t = r / q.out[2];
                int oh = t % q.out[1];
                int od = t / q.out[1];
                int sd = START(0, plane, od), sh = START(1, plane, oh), sw = START(2, plane, ow);
                int d0 = jt_first(sd, dD), d1 = jt_last(sd, COUNT(0, od), dD, q.in[0]);
                int h0 = jt_first(sh, dH), h1 = jt_last(sh, COUNT(1, oh), dH, inH);
                int w0 = jt_first(sw, dW), w1 = jt_last(sw, COUNT(2, ow), dW, inW);
                int xp = xo + plane * q.in[0] * inH * inW;
                T sum = (T) 0;
                for (int jd = d0; jd < d1; jd++) {
                    for (int jh = h0; jh < h1; jh++) {
                        int row = xp + ((sd + jd * dD) * inH + sh + jh * dH) * inW + sw;
                        for (int jw = w0; jw < w1; jw++) {
                            sum += x[row + jw * dW];
                        }
                    }
                }
                y[yo + o] = (T) ((A) sum / jt_divisor(tab, q, override, od, oh, ow));
            }

            /* The input element i's plane and coordinates, and the range of outputs covering it per dimension. */
            #define JT_GATHER_HEAD \\
                int is = q.in[0] * q.in[1] * q.in[2]; \\
                int os = q.out[0] * q.out[1] * q.out[2]; \\
                int plane = i / is; \\
                int r = i - plane * is; \\
                int iw = r % q.in[2]; \\
                int t = r / q.in[2]; \\
                int ih = t % q.in[1]; \\
                int id = t / q.in[1]; \\
                int lo0 = LO(0, plane, id), hi0 = HI(0, plane, id); \\
                int lo1 = LO(1, plane, ih), hi1 = HI(1, plane, ih); \\
                int lo2 = LO(2, plane, iw), hi2 = HI(2, plane, iw); \\
                int ob = plane * os;

            __kernel void max_pool_backward(__global T* dx, const int xo, __global const T* dy, const int yo,
                                            __global const long* idx, const int io, __global const long* tab,
                                            const jt_pool q, const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                JT_GATHER_HEAD
                T acc = (T) 0;
                for (int od = lo0; od <= hi0; od++) {
                    if (!jt_covers(tab, q, 0, plane, od, id)) {
                        continue;
                    }
                    for (int oh = lo1; oh <= hi1; oh++) {
                        if (!jt_covers(tab, q, 1, plane, oh, ih)) {
                            continue;
                        }
                        for (int ow = lo2; ow <= hi2; ow++) {
                            int o = ob + (od * q.out[1] + oh) * q.out[2] + ow;
                            if (jt_covers(tab, q, 2, plane, ow, iw) && idx[io + o] == (long) r) {
                                acc += dy[yo + o];
                            }
                        }
                    }
                }
                dx[xo + i] = acc;
            }

            __kernel void avg_pool_backward(__global T* dx, const int xo, __global const T* dy, const int yo,
                                            __global const long* tab, const jt_pool q, const A override,
                                            const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                JT_GATHER_HEAD
                T acc = (T) 0;
                for (int od = lo0; od <= hi0; od++) {
                    if (!jt_covers(tab, q, 0, plane, od, id)) {
                        continue;
                    }
                    for (int oh = lo1; oh <= hi1; oh++) {
                        if (!jt_covers(tab, q, 1, plane, oh, ih)) {
                            continue;
                        }
                        for (int ow = lo2; ow <= hi2; ow++) {
                            if (jt_covers(tab, q, 2, plane, ow, iw)) {
                                int o = ob + (od * q.out[1] + oh) * q.out[2] + ow;
                                acc += (T) ((A) dy[yo + o] / jt_divisor(tab, q, override, od, oh, ow));
                            }
                        }
                    }
                }
                dx[xo + i] = acc;
            }
            """;

    /** The program of element type {@code real} with divisors in {@code div} ("float" or "double" each). */
    static String program(String real, String div) {
        StringBuilder s = new StringBuilder();
        s.append("// jtorch-pool-1: pooling kernels of ").append(real).append(", divisors in ").append(div)
                .append('\n');
        if (real.equals("double") || div.equals("double")) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        s.append("#pragma OPENCL FP_CONTRACT OFF\n");
        s.append("#define T ").append(real).append('\n');
        s.append("#define A ").append(div).append('\n');
        s.append(div.equals("double") ? "#define DIV(bits) as_double(bits)\n" : "#define DIV(bits) as_float((int) (bits))\n");
        s.append(STRUCT);
        s.append(KERNELS);
        return s.toString();
    }
}
