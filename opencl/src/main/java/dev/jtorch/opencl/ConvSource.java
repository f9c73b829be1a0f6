package dev.jtorch.opencl;

import dev.jtorch.kernels.ConvGeometry;

/**
 * Generates the OpenCL C of the convolution kernels ({@link OpenClConv}), one program per element type
 * ({@code float} or {@code double}), every kernel one work-item per element it writes (or one work-group, for the
 * direct weight gradient), so nothing is written twice and no atomics are needed:
 *
 * <ul>
 * <li>{@code im2col}: one work-item per column entry {@code col[n][c * K + tap][p - p0]} (K the kernel volume, p
 * an output position of the slice {@code [p0, p0 + pc)}): the input under that tap, 0 in the padding
 * ({@code nn.Unfold}, the GEMM path's columns).</li>
 * <li>{@code col2im}: one work-item per input element, a gather: it walks the kernel's taps in order, finds for
 * each the output position (if any, and in the slice) whose window puts that tap on it, and sums those column
 * entries (adding them to the element's value when {@code accumulate}, for the later slices); the taps' order is
 * the CPU's ({@code Im2colF.col2imAdd}), so the sum of one slice is the CPU's, bit for bit.</li>
 * <li>{@code bias}: {@code y[n][oc][p] += bias[oc]}.</li>
 * <li>{@code conv_direct}: one work-item per output element, the definition ({@code ScalarConv.forward}): the sum
 * over the group's input channels and the taps inside the input, then the bias.</li>
 * <li>{@code conv_direct_dx}: one work-item per input element, a gather over the group's output channels and
 * the taps whose output position exists.</li>
 * <li>{@code conv_direct_dw}: one work-group per weight element, each work-item summing a strided share of the
 * batch's output positions, then a tree in local memory (fixed shape, so the result is deterministic).</li>
 * </ul>
 *
 * <p>The geometry is passed by value as the struct {@code jt_conv} ({@link #pack}); each buffer comes with the
 * element offset of its first element. Multiplications and additions are not contracted into fused
 * multiply-adds, as in Java.
 */
final class ConvSource {
    private ConvSource() {
    }

    /** Work-items per work-group of {@code conv_direct_dw} at most (the size of its local array). */
    static final int DW_GROUP = 256;

    /** The geometry as the kernels' {@code jt_conv} struct, with {@code n} images in the launch. */
    static int[] pack(ConvGeometry g, int n) {
        return new int[] {n, g.inChannels(), g.outChannels(), g.groups(), g.inPerGroup(), g.outPerGroup(),
            g.inD(), g.inH(), g.inW(), g.kD(), g.kH(), g.kW(), g.sD(), g.sH(), g.sW(), g.pD(), g.pH(), g.pW(),
            g.dD(), g.dH(), g.dW(), g.outD(), g.outH(), g.outW()};
    }

    private static final String STRUCT = """
            typedef struct {
                int n, C, OC, groups, cg, og;
                int iD, iH, iW;
                int kD, kH, kW;
                int sD, sH, sW;
                int pD, pH, pW;
                int dD, dH, dW;
                int oD, oH, oW;
            } jt_conv;

            /* The output position along one dim whose tap k lands on input position i, or -1. */
            inline int jt_out(int i, int k, int s, int p, int d, int o) {
                int t = i + p - k * d;
                if (t < 0 || t % s != 0) {
                    return -1;
                }
                t /= s;
                return t < o ? t : -1;
            }
            """;

    private static final String KERNELS = """
            __kernel void im2col(__global T* col, const int co, __global const T* x, const int xo,
                                 const jt_conv g, const int p0, const int pc, const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                int K = g.kD * g.kH * g.kW;
                int p = p0 + i % pc;
                int r = i / pc;
                int tap = r % K;
                int nc = r / K;
                int ow = p % g.oW;
                int t = p / g.oW;
                int oh = t % g.oH;
                int od = t / g.oH;
                int kw = tap % g.kW;
                t = tap / g.kW;
                int kh = t % g.kH;
                int kd = t / g.kH;
                int id = od * g.sD - g.pD + kd * g.dD;
                int ih = oh * g.sH - g.pH + kh * g.dH;
                int iw = ow * g.sW - g.pW + kw * g.dW;
                T v = (T) 0;
                if (id >= 0 && id < g.iD && ih >= 0 && ih < g.iH && iw >= 0 && iw < g.iW) {
                    v = x[xo + ((nc * g.iD + id) * g.iH + ih) * g.iW + iw];
                }
                col[co + i] = v;
            }

            __kernel void col2im(__global T* x, const int xo, __global const T* col, const int co,
                                 const jt_conv g, const int p0, const int pc, const int accumulate,
                                 const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                int K = g.kD * g.kH * g.kW;
                int iw = i % g.iW;
                int t = i / g.iW;
                int ih = t % g.iH;
                t /= g.iH;
                int id = t % g.iD;
                int nc = t / g.iD;
                int base = co + nc * K * pc;
                T acc = (T) 0;
                for (int kd = 0; kd < g.kD; kd++) {
                    int od = jt_out(id, kd, g.sD, g.pD, g.dD, g.oD);
                    if (od < 0) {
                        continue;
                    }
                    for (int kh = 0; kh < g.kH; kh++) {
                        int oh = jt_out(ih, kh, g.sH, g.pH, g.dH, g.oH);
                        if (oh < 0) {
                            continue;
                        }
                        for (int kw = 0; kw < g.kW; kw++) {
                            int ow = jt_out(iw, kw, g.sW, g.pW, g.dW, g.oW);
                            int p = (od * g.oH + oh) * g.oW + ow - p0;
                            if (ow >= 0 && p >= 0 && p < pc) {
                                acc += col[base + ((kd * g.kH + kh) * g.kW + kw) * pc + p];
                            }
                        }
                    }
                }
                x[xo + i] = accumulate ? x[xo + i] + acc : acc;
            }

            __kernel void bias(__global T* y, const int yo, __global const T* b, const int bo, const int P,
                               const int OC, const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                y[yo + i] = y[yo + i] + b[bo + (i / P) % OC];
            }

            __kernel void conv_direct(__global T* y, const int yo, __global const T* x, const int xo,
                                      __global const T* w, const int wo, __global const T* b, const int bo,
                                      const int hasBias, const jt_conv g, const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                int P = g.oD * g.oH * g.oW;
                int K = g.kD * g.kH * g.kW;
                int is = g.iD * g.iH * g.iW;
                int p = i % P;
                int t = i / P;
                int oc = t % g.OC;
                int n = t / g.OC;
                int ow = p % g.oW;
                t = p / g.oW;
                int oh = t % g.oH;
                int od = t / g.oH;
                int ic0 = oc / g.og * g.cg;
                T acc = (T) 0;
                for (int c = 0; c < g.cg; c++) {
                    int xc = xo + (n * g.C + ic0 + c) * is;
                    int wc = wo + (oc * g.cg + c) * K;
                    for (int kd = 0; kd < g.kD; kd++) {
                        int id = od * g.sD - g.pD + kd * g.dD;
                        if (id < 0 || id >= g.iD) {
                            continue;
                        }
                        for (int kh = 0; kh < g.kH; kh++) {
                            int ih = oh * g.sH - g.pH + kh * g.dH;
                            if (ih < 0 || ih >= g.iH) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kW; kw++) {
                                int iw = ow * g.sW - g.pW + kw * g.dW;
                                if (iw >= 0 && iw < g.iW) {
                                    acc += x[xc + (id * g.iH + ih) * g.iW + iw] * w[wc + (kd * g.kH + kh) * g.kW + kw];
                                }
                            }
                        }
                    }
                }
                y[yo + i] = hasBias ? acc + b[bo + oc] : acc;
            }

            __kernel void conv_direct_dx(__global T* dx, const int xo, __global const T* dy, const int yo,
                                         __global const T* w, const int wo, const jt_conv g, const int total) {
                int i = (int) get_global_id(0);
                if (i >= total) {
                    return;
                }
                int P = g.oD * g.oH * g.oW;
                int K = g.kD * g.kH * g.kW;
                int iw = i % g.iW;
                int t = i / g.iW;
                int ih = t % g.iH;
                t /= g.iH;
                int id = t % g.iD;
                t /= g.iD;
                int ic = t % g.C;
                int n = t / g.C;
                int grp = ic / g.cg;
                int c = ic - grp * g.cg;
                T acc = (T) 0;
                for (int m = 0; m < g.og; m++) {
                    int oc = grp * g.og + m;
                    int wc = wo + (oc * g.cg + c) * K;
                    int yc = yo + (n * g.OC + oc) * P;
                    for (int kd = 0; kd < g.kD; kd++) {
                        int od = jt_out(id, kd, g.sD, g.pD, g.dD, g.oD);
                        if (od < 0) {
                            continue;
                        }
                        for (int kh = 0; kh < g.kH; kh++) {
                            int oh = jt_out(ih, kh, g.sH, g.pH, g.dH, g.oH);
                            if (oh < 0) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kW; kw++) {
                                int ow = jt_out(iw, kw, g.sW, g.pW, g.dW, g.oW);
                                if (ow >= 0) {
                                    acc += dy[yc + (od * g.oH + oh) * g.oW + ow] * w[wc + (kd * g.kH + kh) * g.kW + kw];
                                }
                            }
                        }
                    }
                }
                dx[xo + i] = acc;
            }

            __kernel void conv_direct_dw(__global T* dw, const int wo, __global const T* x, const int xo,
                                         __global const T* dy, const int yo, const jt_conv g) {
                __local T part[DW_GROUP];
                int e = (int) get_group_id(0);
                int l = (int) get_local_id(0);
                int L = (int) get_local_size(0);
                int P = g.oD * g.oH * g.oW;
                int K = g.kD * g.kH * g.kW;
                int is = g.iD * g.iH * g.iW;
                int tap = e % K;
                int t = e / K;
                int c = t % g.cg;
                int oc = t / g.cg;
                int kw = tap % g.kW;
                t = tap / g.kW;
                int kh = t % g.kH;
                int kd = t / g.kH;
                int ic = oc / g.og * g.cg + c;
                int R = g.n * P;
                T acc = (T) 0;
                for (int j = l; j < R; j += L) {
                    int p = j % P;
                    int n = j / P;
                    int ow = p % g.oW;
                    int u = p / g.oW;
                    int oh = u % g.oH;
                    int od = u / g.oH;
                    int id = od * g.sD - g.pD + kd * g.dD;
                    int ih = oh * g.sH - g.pH + kh * g.dH;
                    int iw = ow * g.sW - g.pW + kw * g.dW;
                    if (id >= 0 && id < g.iD && ih >= 0 && ih < g.iH && iw >= 0 && iw < g.iW) {
                        acc += dy[yo + (n * g.OC + oc) * P + p] * x[xo + (n * g.C + ic) * is + (id * g.iH + ih) * g.iW + iw];
                    }
                }
                part[l] = acc;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int h = DW_GROUP / 2; h > 0; h >>= 1) {
                    if (l < h && l + h < L) {
                        part[l] = part[l] + part[l + h];
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (l == 0) {
                    dw[wo + e] = part[0];
                }
            }
            """;

    /** The program of element type {@code real} ("float" or "double"). */
    static String program(String real) {
        StringBuilder s = new StringBuilder();
        s.append("// jtorch-conv-2: convolution kernels of ").append(real).append('\n');
        if (real.equals("double")) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        s.append("#pragma OPENCL FP_CONTRACT OFF\n");
        s.append("#define T ").append(real).append('\n');
        s.append("#define DW_GROUP ").append(DW_GROUP).append('\n');
        s.append(STRUCT);
        s.append(KERNELS);
        return s.toString();
    }
}
