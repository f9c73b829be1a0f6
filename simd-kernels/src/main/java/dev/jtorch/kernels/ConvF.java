package dev.jtorch.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API convolution (float; see {@link Conv} for the contract, arguments are assumed valid).
 *
 * <p>General case: per image and group, the column matrix ({@link Im2colF}) of a slice of output rows feeds
 * the packed SGEMM, {@code y[og x cols] = W[og x cg*K] . col[cg*K x cols]}; slices hold at most
 * {@link #COL_BLOCK} floats (1 MiB) so that the column block is still in L2 when the GEMM packs it. A 1x1
 * kernel with stride 1 and no padding multiplies the input planes directly (no copy). The backward passes
 * are the adjoint products: {@code col = W^T . dy} then col2im for the input gradient, and
 * {@code dW += dy . col^T} over the images for the weight gradient.
 *
 * <p>Depthwise (one input channel per group): a direct kernel over a zero-padded copy of the input plane,
 * vectorised along the output row; each output vector keeps its sum over all taps in a register, and four
 * output vectors are in flight at once (the tap sums are FMA chains: four of them hide the FMA latency).
 * Stride 1 loads contiguous input runs; larger strides gather.
 */
final class ConvF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();
    /** Largest column block, in elements. */
    static final int COL_BLOCK = 1 << 18;

    private ConvF() {
    }

    /** Output rows (flattened outD x outH) per column block. */
    private static int rowsPerBlock(ConvGeometry g, int k) {
        long perRow = (long) k * g.outW();
        return (int) Math.max(1, Math.min(g.outD() * g.outH(), COL_BLOCK / Math.max(1, perRow)));
    }

    /**
     * Whether the direct kernel computes this forward: 2-d or 1-d, a full register tile of output channels (or
     * depthwise), and output rows that fill at least three quarters of their vectors (of the padded grid in flat
     * mode, DirectConvF.flat). A 1x1 kernel with stride 1 runs flat on the input planes in place when they hold
     * at least 4 tiles (1x1 256->64 on 56x56: 0.95 ms against 1.2 ms as a GEMM, which packs the 3 MiB input
     * first), else it is a plain GEMM on them.
     */
    static boolean direct(ConvGeometry g) {
        return DirectConvF.supports(g) && (g.pointwise() ? DirectConvF.pointwiseDirect(g) : DirectConvF.wellUsed(g));
    }

    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y,
                        int yOff) {
        if (direct(g)) {
            DirectConvF.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        if (g.depthwise() && g.kernelVolume() > 1) {
            depthwiseForward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        int cg = g.inPerGroup(), og = g.outPerGroup(), k = cg * g.kernelVolume();
        int p = g.outSpatial(), ow = g.outW(), rows = g.outD() * g.outH();
        int rpb = rowsPerBlock(g, k);
        float[] col = g.pointwise() ? null : Workspace.floats(Workspace.COLS, k * rpb * ow);
        float beta = bias == null ? 0f : 1f;
        for (int n = 0; n < g.batch(); n++) {
            if (bias != null) {
                for (int oc = 0; oc < g.outChannels(); oc++) {
                    int o = yOff + (n * g.outChannels() + oc) * p;
                    Arrays.fill(y, o, o + p, bias[bOff + oc]);
                }
            }
            for (int grp = 0; grp < g.groups(); grp++) {
                int xg = xOff + (n * g.inChannels() + grp * cg) * g.inSpatial();
                int yg = yOff + (n * g.outChannels() + grp * og) * p;
                int wg = wOff + grp * og * k;
                if (col == null) {
                    VectorSgemm.sgemm(false, false, og, p, k, 1f, w, wg, k, x, xg, p, beta, y, yg, p);
                    continue;
                }
                for (int r0 = 0; r0 < rows; r0 += rpb) {
                    int r1 = Math.min(rows, r0 + rpb);
                    int cols = (r1 - r0) * ow;
                    Im2colF.im2col(g, cg, x, xg, col, 0, r0, r1);
                    VectorSgemm.sgemm(false, false, og, cols, k, 1f, w, wg, k, col, 0, cols, beta, y, yg + r0 * ow, p);
                }
            }
        }
    }

    static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        if (g.depthwise() && g.kernelVolume() > 1) {
            depthwiseBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff);
            return;
        }
        int cg = g.inPerGroup(), og = g.outPerGroup(), k = cg * g.kernelVolume();
        int p = g.outSpatial(), ow = g.outW(), rows = g.outD() * g.outH();
        int rpb = rowsPerBlock(g, k);
        float[] col = g.pointwise() ? null : Workspace.floats(Workspace.COLS, k * rpb * ow);
        if (col != null) {
            Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0f);
        }
        for (int n = 0; n < g.batch(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int xg = dxOff + (n * g.inChannels() + grp * cg) * g.inSpatial();
                int yg = dyOff + (n * g.outChannels() + grp * og) * p;
                int wg = wOff + grp * og * k;
                if (col == null) {
                    VectorSgemm.sgemm(true, false, cg, p, og, 1f, w, wg, k, dy, yg, p, 0f, dx, xg, p);
                    continue;
                }
                for (int r0 = 0; r0 < rows; r0 += rpb) {
                    int r1 = Math.min(rows, r0 + rpb);
                    int cols = (r1 - r0) * ow;
                    VectorSgemm.sgemm(true, false, k, cols, og, 1f, w, wg, k, dy, yg + r0 * ow, p, 0f, col, 0, cols);
                    Im2colF.col2imAdd(g, cg, col, 0, dx, xg, r0, r1);
                }
            }
        }
    }

    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        if (g.depthwise() && g.kernelVolume() > 1) {
            depthwiseBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff);
            return;
        }
        int cg = g.inPerGroup(), og = g.outPerGroup(), k = cg * g.kernelVolume();
        int p = g.outSpatial(), ow = g.outW(), rows = g.outD() * g.outH();
        int rpb = rowsPerBlock(g, k);
        float[] col = g.pointwise() ? null : Workspace.floats(Workspace.COLS, k * rpb * ow);
        if (g.batch() == 0) {
            Arrays.fill(dw, dwOff, dwOff + g.weightSize(), 0f);
            return;
        }
        for (int grp = 0; grp < g.groups(); grp++) {
            int wg = dwOff + grp * og * k;
            float beta = 0f;
            for (int n = 0; n < g.batch(); n++) {
                int xg = xOff + (n * g.inChannels() + grp * cg) * g.inSpatial();
                int yg = dyOff + (n * g.outChannels() + grp * og) * p;
                if (col == null) {
                    VectorSgemm.sgemm(false, true, og, k, p, 1f, dy, yg, p, x, xg, p, beta, dw, wg, k);
                    beta = 1f;
                    continue;
                }
                for (int r0 = 0; r0 < rows; r0 += rpb) {
                    int r1 = Math.min(rows, r0 + rpb);
                    int cols = (r1 - r0) * ow;
                    Im2colF.im2col(g, cg, x, xg, col, 0, r0, r1);
                    VectorSgemm.sgemm(false, true, og, k, cols, 1f, dy, yg + r0 * ow, p, col, 0, cols, beta, dw, wg, k);
                    beta = 1f;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ depthwise

    /** Copies one input plane into the zero-padded scratch plane (Dp x Hp x Wp). */
    private static void padPlane(ConvGeometry g, float[] x, int xo, float[] xp) {
        int hp = g.inH() + 2 * g.pH(), wp = g.inW() + 2 * g.pW();
        Arrays.fill(xp, 0, (g.inD() + 2 * g.pD()) * hp * wp, 0f);
        for (int d = 0; d < g.inD(); d++) {
            for (int h = 0; h < g.inH(); h++) {
                int to = ((d + g.pD()) * hp + h + g.pH()) * wp + g.pW();
                System.arraycopy(x, xo + (d * g.inH() + h) * g.inW(), xp, to, g.inW());
            }
        }
    }

    private static int[] strideMap(int s) {
        int[] m = Workspace.ints(Workspace.GATHER, L);
        for (int l = 0; l < L; l++) {
            m[l] = l * s;
        }
        return m;
    }

    private static void depthwiseForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias,
                                         int bOff, float[] y, int yOff) {
        int mult = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW();
        int hp = g.inH() + 2 * g.pH(), wp = g.inW() + 2 * g.pW();
        int kH = g.kH(), kW = g.kW(), sW = g.sW(), dW = g.dW();
        int sD = g.sD(), dD = g.dD(), sH = g.sH(), dH = g.dH();
        float[] xp = Workspace.floats(Workspace.COLS, (g.inD() + 2 * g.pD()) * hp * wp);
        int[] map = sW == 1 ? null : strideMap(sW);
        int vb = sW == 1 ? 4 * L : L;
        for (int n = 0; n < g.batch(); n++) {
            for (int ic = 0; ic < g.inChannels(); ic++) {
                padPlane(g, x, xOff + (n * g.inChannels() + ic) * g.inSpatial(), xp);
                for (int m = 0; m < mult; m++) {
                    int oc = ic * mult + m;
                    int wk = wOff + oc * kv;
                    float b = bias == null ? 0f : bias[bOff + oc];
                    for (int od = 0; od < oD; od++) {
                        for (int oh = 0; oh < oH; oh++) {
                            int yr = yOff + (((n * g.outChannels() + oc) * oD + od) * oH + oh) * oW;
                            int ow = 0;
                            for (; ow + vb <= oW; ow += vb) {
                                if (sW == 1) {
                                    FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0, a2 = a0, a3 = a0;
                                    for (int kd = 0; kd < g.kD(); kd++) {
                                        for (int kh = 0; kh < kH; kh++) {
                                            int xr = ((od * sD + kd * dD) * hp + oh * sH + kh * dH) * wp + ow;
                                            int t = wk + (kd * kH + kh) * kW;
                                            for (int kw = 0; kw < kW; kw++) {
                                                FloatVector wv = FloatVector.broadcast(S, w[t + kw]);
                                                int o = xr + kw * dW;
                                                a0 = FloatVector.fromArray(S, xp, o).fma(wv, a0);
                                                a1 = FloatVector.fromArray(S, xp, o + L).fma(wv, a1);
                                                a2 = FloatVector.fromArray(S, xp, o + 2 * L).fma(wv, a2);
                                                a3 = FloatVector.fromArray(S, xp, o + 3 * L).fma(wv, a3);
                                            }
                                        }
                                    }
                                    a0.intoArray(y, yr + ow);
                                    a1.intoArray(y, yr + ow + L);
                                    a2.intoArray(y, yr + ow + 2 * L);
                                    a3.intoArray(y, yr + ow + 3 * L);
                                } else {
                                    FloatVector a0 = FloatVector.broadcast(S, b);
                                    for (int kd = 0; kd < g.kD(); kd++) {
                                        for (int kh = 0; kh < kH; kh++) {
                                            int xr = ((od * g.sD() + kd * g.dD()) * hp + oh * g.sH() + kh * g.dH()) * wp
                                                    + ow * sW;
                                            int t = wk + (kd * kH + kh) * kW;
                                            for (int kw = 0; kw < kW; kw++) {
                                                a0 = FloatVector.fromArray(S, xp, xr + kw * dW, map, 0)
                                                        .fma(FloatVector.broadcast(S, w[t + kw]), a0);
                                            }
                                        }
                                    }
                                    a0.intoArray(y, yr + ow);
                                }
                            }
                            for (; ow + L <= oW && sW == 1; ow += L) {
                                FloatVector a0 = FloatVector.broadcast(S, b);
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    for (int kh = 0; kh < kH; kh++) {
                                        int xr = ((od * sD + kd * dD) * hp + oh * sH + kh * dH) * wp + ow;
                                        int t = wk + (kd * kH + kh) * kW;
                                        for (int kw = 0; kw < kW; kw++) {
                                            a0 = FloatVector.fromArray(S, xp, xr + kw * dW)
                                                    .fma(FloatVector.broadcast(S, w[t + kw]), a0);
                                        }
                                    }
                                }
                                a0.intoArray(y, yr + ow);
                            }
                            for (; ow < oW; ow++) {
                                float acc = b;
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    for (int kh = 0; kh < kH; kh++) {
                                        int xr = ((od * g.sD() + kd * g.dD()) * hp + oh * g.sH() + kh * g.dH()) * wp
                                                + ow * sW;
                                        int t = wk + (kd * kH + kh) * kW;
                                        for (int kw = 0; kw < kW; kw++) {
                                            acc = Math.fma(xp[xr + kw * dW], w[t + kw], acc);
                                        }
                                    }
                                }
                                y[yr + ow] = acc;
                            }
                        }
                    }
                }
            }
        }
    }

    private static void depthwiseBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                                               int dxOff) {
        int mult = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW();
        int hp = g.inH() + 2 * g.pH(), wp = g.inW() + 2 * g.pW();
        int kH = g.kH(), kW = g.kW(), sW = g.sW(), dW = g.dW();
        int planeP = (g.inD() + 2 * g.pD()) * hp * wp;
        float[] xp = Workspace.floats(Workspace.COLS, planeP);
        for (int n = 0; n < g.batch(); n++) {
            for (int ic = 0; ic < g.inChannels(); ic++) {
                Arrays.fill(xp, 0, planeP, 0f);
                for (int m = 0; m < mult; m++) {
                    int oc = ic * mult + m;
                    int wk = wOff + oc * kv;
                    for (int od = 0; od < oD; od++) {
                        for (int oh = 0; oh < oH; oh++) {
                            int yr = dyOff + (((n * g.outChannels() + oc) * oD + od) * oH + oh) * oW;
                            for (int kd = 0; kd < g.kD(); kd++) {
                                for (int kh = 0; kh < kH; kh++) {
                                    int xr = ((od * g.sD() + kd * g.dD()) * hp + oh * g.sH() + kh * g.dH()) * wp;
                                    int t = wk + (kd * kH + kh) * kW;
                                    for (int kw = 0; kw < kW; kw++) {
                                        float wt = w[t + kw];
                                        int o = xr + kw * dW;
                                        int ow = 0;
                                        if (sW == 1) {
                                            FloatVector wv = FloatVector.broadcast(S, wt);
                                            for (; ow + L <= oW; ow += L) {
                                                FloatVector.fromArray(S, dy, yr + ow)
                                                        .fma(wv, FloatVector.fromArray(S, xp, o + ow))
                                                        .intoArray(xp, o + ow);
                                            }
                                        }
                                        for (; ow < oW; ow++) {
                                            xp[o + ow * sW] = Math.fma(dy[yr + ow], wt, xp[o + ow * sW]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                int xo = dxOff + (n * g.inChannels() + ic) * g.inSpatial();
                for (int d = 0; d < g.inD(); d++) {
                    for (int h = 0; h < g.inH(); h++) {
                        System.arraycopy(xp, ((d + g.pD()) * hp + h + g.pH()) * wp + g.pW(), dx,
                                xo + (d * g.inH() + h) * g.inW(), g.inW());
                    }
                }
            }
        }
    }

    private static void depthwiseBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                                float[] dw, int dwOff) {
        int mult = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW();
        int hp = g.inH() + 2 * g.pH(), wp = g.inW() + 2 * g.pW();
        int kH = g.kH(), kW = g.kW(), sW = g.sW(), dW = g.dW();
        float[] xp = Workspace.floats(Workspace.COLS, (g.inD() + 2 * g.pD()) * hp * wp);
        float[] lanes = Workspace.floats(Workspace.LANES, L);
        int[] map = sW == 1 ? null : strideMap(sW);
        Arrays.fill(dw, dwOff, dwOff + g.weightSize(), 0f);
        for (int n = 0; n < g.batch(); n++) {
            for (int ic = 0; ic < g.inChannels(); ic++) {
                padPlane(g, x, xOff + (n * g.inChannels() + ic) * g.inSpatial(), xp);
                for (int m = 0; m < mult; m++) {
                    int oc = ic * mult + m;
                    int yc = dyOff + (n * g.outChannels() + oc) * g.outSpatial();
                    for (int kd = 0; kd < g.kD(); kd++) {
                        for (int kh = 0; kh < kH; kh++) {
                            for (int kw = 0; kw < kW; kw++) {
                                FloatVector acc = FloatVector.zero(S);
                                float tail = 0f;
                                for (int od = 0; od < oD; od++) {
                                    for (int oh = 0; oh < oH; oh++) {
                                        int yr = yc + (od * oH + oh) * oW;
                                        int o = ((od * g.sD() + kd * g.dD()) * hp + oh * g.sH() + kh * g.dH()) * wp
                                                + kw * dW;
                                        int ow = 0;
                                        for (; ow + L <= oW; ow += L) {
                                            FloatVector xv = sW == 1 ? FloatVector.fromArray(S, xp, o + ow)
                                                    : FloatVector.fromArray(S, xp, o + ow * sW, map, 0);
                                            acc = FloatVector.fromArray(S, dy, yr + ow).fma(xv, acc);
                                        }
                                        for (; ow < oW; ow++) {
                                            tail = Math.fma(dy[yr + ow], xp[o + ow * sW], tail);
                                        }
                                    }
                                }
                                acc.intoArray(lanes, 0);
                                float s = tail;
                                for (int l = 0; l < L; l++) {
                                    s += lanes[l];
                                }
                                dw[dwOff + oc * kv + (kd * kH + kh) * kW + kw] += s;
                            }
                        }
                    }
                }
            }
        }
    }
}
