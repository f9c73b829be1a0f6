package dev.jtorch.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 1-d and 2-d convolution (float), vectorised along the output row, without a column matrix.
 *
 * <p>Per image, each input channel is copied once into a zero-padded scratch plane, split into {@code sW}
 * phase planes along the width (phase p holds columns p, p + sW, ...), so that every tap of a strided or
 * dilated kernel reads a contiguous run: output column ow under tap kw reads phase {@code (kw dW) % sW} at
 * column {@code ow + (kw dW) / sW}. The weights of a block of output channels are repacked so that one tap's
 * weights for the block are adjacent.
 *
 * <p>Register tile: 4 output channels x 4 output rows x one vector of columns, 16 accumulators (the FMA chains
 * run over input channels and taps, so 16 in flight cover the FMA latency on two pipes); per tap it loads 4
 * input vectors and broadcasts 4 weights for 16 FMAs. Leftover channels and rows take narrower tiles; the last
 * partial vector of a row is computed whole on the scratch plane's slack columns and only its valid lanes are
 * stored. Depthwise convolutions (one input channel per group) tile 4 rows x 2 vectors of one channel.
 */
final class DirectConvF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();
    private static final int OCB = 4;
    private static final int RB = 4;

    private DirectConvF() {
    }

    /** 2-d (or 1-d) geometry with enough output channels per group to fill a tile, or depthwise. */
    static boolean supports(ConvGeometry g) {
        return g.kD() == 1 && g.inD() == 1 && g.pD() == 0 && (g.outPerGroup() >= OCB || g.inPerGroup() == 1);
    }

    /**
     * The scratch layout of one image's padded, phase-split input channels, and each kernel column's offset
     * into it ({@code colOff[kw]}: its phase plane and column shift, computed once instead of a division per tap).
     */
    private record Planes(int hq, int wq, int phases, int[] colOff, int[] tapOff) {
        int plane() {
            return hq * wq * phases;
        }
    }

    /** Scratch planes for bands of {@code bandRows} output rows (whole planes when it is outH). */
    private static Planes planes(ConvGeometry g, int bandRows) {
        int s = g.sW();
        int wp = g.inW() + 2 * g.pW();
        int owv = (g.outW() + L - 1) / L * L;
        int wq = Math.max((wp + s - 1) / s, owv + ((g.kW() - 1) * g.dW()) / s) + 1;
        int hq = (bandRows + RB) * g.sH() + (g.kH() - 1) * g.dH() + 1;
        int[] colOff = new int[g.kW()];
        for (int kw = 0; kw < g.kW(); kw++) {
            colOff[kw] = ((kw * g.dW()) % s) * hq * wq + (kw * g.dW()) / s;
        }
        int cg = g.inPerGroup(), k = g.kH() * g.kW(), plane = hq * wq * s;
        int[] tapOff = new int[cg * k];
        for (int ic = 0; ic < cg; ic++) {
            for (int kh = 0; kh < g.kH(); kh++) {
                for (int kw = 0; kw < g.kW(); kw++) {
                    tapOff[ic * k + kh * g.kW() + kw] = ic * plane + kh * g.dH() * wq + colOff[kw];
                }
            }
        }
        return new Planes(hq, wq, s, colOff, tapOff);
    }

    /**
     * Output rows per band: the band's padded input rows of every channel of a group in about 192 KiB (so they
     * stay in L2 while every output channel passes over them), a multiple of the tile's rows, at least one tile.
     */
    private static int bandRows(ConvGeometry g) {
        int s = g.sW();
        int wq = (g.inW() + 2 * g.pW() + s - 1) / s + L;
        long perRow = (long) g.inPerGroup() * wq * s * g.sH();
        int rows = (int) Math.min(g.outH(), Math.max(RB, (49152 / Math.max(1, perRow)) / RB * RB));
        return Math.max(1, rows);
    }

    /**
     * Copies the padded input rows [pr0, pr0 + hq) of channels [c0, c0 + n) of image x (at xo) into the padded
     * phase planes (rows outside the input are zeros).
     */
    private static void pack(ConvGeometry g, Planes p, float[] x, int xo, int c0, int n, int pr0, float[] dst) {
        int h = g.inH(), w = g.inW(), s = g.sW(), ph = g.pH(), pw = g.pW();
        Arrays.fill(dst, 0, n * p.plane(), 0f);
        int first = Math.max(0, pr0 - ph), last = Math.min(h, pr0 + p.hq - ph);
        for (int c = 0; c < n; c++) {
            int src = xo + (c0 + c) * h * w;
            int base = c * p.plane();
            for (int r = first; r < last; r++) {
                int row = src + r * w;
                int dr = (r + ph - pr0) * p.wq;
                if (s == 1) {
                    System.arraycopy(x, row, dst, base + dr + pw, w);
                    continue;
                }
                for (int col = 0; col < w; col++) {
                    int pc = col + pw;
                    dst[base + (pc % s) * p.hq * p.wq + dr + pc / s] = x[row + col];
                }
            }
        }
    }

    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y,
                        int yOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup();
        int band = cg == 1 ? g.outH() : bandRows(g);
        Planes p = planes(g, band);
        int k = g.kH() * g.kW();
        float[] xs = Workspace.floats(Workspace.COLS, cg * p.plane());
        float[] wp = Workspace.floats(Workspace.PACK_A, og * cg * k);
        float[] tail = Workspace.floats(Workspace.TILE, L);
        int os = g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            int xn = xOff + n * g.inChannels() * g.inSpatial();
            for (int grp = 0; grp < g.groups(); grp++) {
                int yg = yOff + (n * g.outChannels() + grp * og) * os;
                if (cg == 1) {
                    pack(g, p, x, xn, grp, 1, 0, xs);
                    for (int oc = 0; oc < og; oc++) {
                        int c = grp * og + oc;
                        depthwise(g, p, xs, w, wOff + c * k, bias == null ? 0f : bias[bOff + c], y, yg + oc * os,
                                tail);
                    }
                    continue;
                }
                // all weights of the group, blocks of 4 channels with one tap's 4 weights adjacent, then the
                // leftover channels one by one; bands of rows outermost so that a band's input rows, packed once,
                // serve every output channel from L2
                int full = og / OCB * OCB;
                for (int oc = 0; oc < full; oc += OCB) {
                    packWeights(w, wOff + (grp * og + oc) * cg * k, cg * k, OCB, wp, oc * cg * k);
                }
                for (int oc = full; oc < og; oc++) {
                    packWeights(w, wOff + (grp * og + oc) * cg * k, cg * k, 1, wp, oc * cg * k);
                }
                for (int b0 = 0; b0 < g.outH(); b0 += band) {
                    int b1 = Math.min(g.outH(), b0 + band);
                    pack(g, p, x, xn, grp * cg, cg, b0 * g.sH(), xs);
                    for (int oh = b0; oh < b1; oh += RB) {
                        int rows = Math.min(RB, b1 - oh);
                        for (int oc = 0; oc < full; oc += OCB) {
                            int c = grp * og + oc;
                            float c0 = bias == null ? 0f : bias[bOff + c], c1 = bias == null ? 0f : bias[bOff + c + 1];
                            float c2 = bias == null ? 0f : bias[bOff + c + 2];
                            float c3 = bias == null ? 0f : bias[bOff + c + 3];
                            for (int ow = 0; ow < g.outW(); ow += L) {
                                tile4(g, p, cg, xs, wp, oc * cg * k, oh, oh - b0, ow, rows, c0, c1, c2, c3, y,
                                        yg + oc * os, tail);
                            }
                        }
                        for (int oc = full; oc < og; oc++) {
                            float b = bias == null ? 0f : bias[bOff + grp * og + oc];
                            for (int r = oh; r < oh + rows; r++) {
                                for (int ow = 0; ow < g.outW(); ow += L) {
                                    tile1(g, p, cg, xs, wp, oc * cg * k, r, r - b0, ow, b, y, yg + oc * os, tail);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** wp[at + (ic * K + tap) * m + j] = w[(oc0 + j) * cg * K + ic * K + tap] for the m channels of a block. */
    private static void packWeights(float[] w, int wo, int per, int m, float[] wp, int at) {
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < per; i++) {
                wp[at + i * m + j] = w[wo + j * per + i];
            }
        }
    }

    /** Stores lanes [0, n) of v at y[yo..]: the whole vector when n == L. */
    private static void store(FloatVector v, float[] y, int yo, int n, float[] tail) {
        if (n == L) {
            v.intoArray(y, yo);
        } else {
            v.intoArray(tail, 0);
            System.arraycopy(tail, 0, y, yo, n);
        }
    }

    private static void tile4(ConvGeometry g, Planes p, int cg, float[] xs, float[] wp, int wo, int oh, int lr, int ow,
                              int rows, float b0, float b1, float b2, float b3, float[] y, int yo, float[] tail) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
        int wq = p.wq;
        int[] tapOff = p.tapOff;
        int rowStep = g.sH() * wq;
        int rowBase = lr * g.sH() * wq + ow;
        int taps = cg * g.kH() * g.kW();
        for (int t = 0, wt = wo; t < taps; t++, wt += OCB) {
            int o = rowBase + tapOff[t];
            FloatVector x0 = FloatVector.fromArray(S, xs, o);
            FloatVector x1 = FloatVector.fromArray(S, xs, o + rowStep);
            FloatVector x2 = FloatVector.fromArray(S, xs, o + 2 * rowStep);
            FloatVector x3 = FloatVector.fromArray(S, xs, o + 3 * rowStep);
            FloatVector w0 = FloatVector.broadcast(S, wp[wt]);
            FloatVector w1 = FloatVector.broadcast(S, wp[wt + 1]);
            FloatVector w2 = FloatVector.broadcast(S, wp[wt + 2]);
            FloatVector w3 = FloatVector.broadcast(S, wp[wt + 3]);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            a02 = x2.fma(w0, a02);
            a03 = x3.fma(w0, a03);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            a12 = x2.fma(w1, a12);
            a13 = x3.fma(w1, a13);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            a22 = x2.fma(w2, a22);
            a23 = x3.fma(w2, a23);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
            a32 = x2.fma(w3, a32);
            a33 = x3.fma(w3, a33);
        }
        int ow2 = g.outW(), os = g.outSpatial(), n = Math.min(L, ow2 - ow);
        int r0 = yo + oh * ow2 + ow;
        store(a00, y, r0, n, tail);
        store(a10, y, r0 + os, n, tail);
        store(a20, y, r0 + 2 * os, n, tail);
        store(a30, y, r0 + 3 * os, n, tail);
        if (rows > 1) {
            store(a01, y, r0 + ow2, n, tail);
            store(a11, y, r0 + os + ow2, n, tail);
            store(a21, y, r0 + 2 * os + ow2, n, tail);
            store(a31, y, r0 + 3 * os + ow2, n, tail);
        }
        if (rows > 2) {
            store(a02, y, r0 + 2 * ow2, n, tail);
            store(a12, y, r0 + os + 2 * ow2, n, tail);
            store(a22, y, r0 + 2 * os + 2 * ow2, n, tail);
            store(a32, y, r0 + 3 * os + 2 * ow2, n, tail);
        }
        if (rows > 3) {
            store(a03, y, r0 + 3 * ow2, n, tail);
            store(a13, y, r0 + os + 3 * ow2, n, tail);
            store(a23, y, r0 + 2 * os + 3 * ow2, n, tail);
            store(a33, y, r0 + 3 * os + 3 * ow2, n, tail);
        }
    }

    private static void tile1(ConvGeometry g, Planes p, int cg, float[] xs, float[] wp, int wo, int oh, int lr,
                              int ow, float b, float[] y, int yo, float[] tail) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = FloatVector.zero(S);
        int[] tapOff = p.tapOff;
        int rowBase = lr * g.sH() * p.wq + ow;
        int taps = cg * g.kH() * g.kW();
        int t = 0;
        for (; t + 1 < taps; t += 2) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
            a1 = FloatVector.fromArray(S, xs, rowBase + tapOff[t + 1]).fma(FloatVector.broadcast(S, wp[wo + t + 1]), a1);
        }
        if (t < taps) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
        }
        store(a0.add(a1), y, yo + oh * g.outW() + ow, Math.min(L, g.outW() - ow), tail);
    }

    /** One depthwise output channel: 4 rows x 2 vectors per tile, then leftovers one vector at a time. */
    private static void depthwise(ConvGeometry g, Planes p, float[] xs, float[] w, int wo, float b, float[] y, int yo,
                                  float[] tail) {
        int oh = 0;
        for (; oh + RB <= g.outH(); oh += RB) {
            int ow = 0;
            for (; ow + 2 * L <= g.outW(); ow += 2 * L) {
                dwTile(g, p, xs, w, wo, b, oh, ow, y, yo);
            }
            for (; ow < g.outW(); ow += L) {
                for (int r = 0; r < RB; r++) {
                    dwVector(g, p, xs, w, wo, b, oh + r, ow, y, yo, tail);
                }
            }
        }
        for (; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow += L) {
                dwVector(g, p, xs, w, wo, b, oh, ow, y, yo, tail);
            }
        }
    }

    private static void dwTile(ConvGeometry g, Planes p, float[] xs, float[] w, int wo, float b, int oh, int ow,
                               float[] y, int yo) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int[] tapOff = p.tapOff;
        int rowStep = g.sH() * p.wq;
        int rowBase = oh * g.sH() * p.wq + ow;
        int taps = g.kH() * g.kW();
        for (int t = 0; t < taps; t++) {
            int o = rowBase + tapOff[t];
            FloatVector wv = FloatVector.broadcast(S, w[wo + t]);
            a0 = FloatVector.fromArray(S, xs, o).fma(wv, a0);
            a1 = FloatVector.fromArray(S, xs, o + L).fma(wv, a1);
            a2 = FloatVector.fromArray(S, xs, o + rowStep).fma(wv, a2);
            a3 = FloatVector.fromArray(S, xs, o + rowStep + L).fma(wv, a3);
            a4 = FloatVector.fromArray(S, xs, o + 2 * rowStep).fma(wv, a4);
            a5 = FloatVector.fromArray(S, xs, o + 2 * rowStep + L).fma(wv, a5);
            a6 = FloatVector.fromArray(S, xs, o + 3 * rowStep).fma(wv, a6);
            a7 = FloatVector.fromArray(S, xs, o + 3 * rowStep + L).fma(wv, a7);
        }
        int ow2 = g.outW();
        int r0 = yo + oh * ow2 + ow;
        a0.intoArray(y, r0);
        a1.intoArray(y, r0 + L);
        a2.intoArray(y, r0 + ow2);
        a3.intoArray(y, r0 + ow2 + L);
        a4.intoArray(y, r0 + 2 * ow2);
        a5.intoArray(y, r0 + 2 * ow2 + L);
        a6.intoArray(y, r0 + 3 * ow2);
        a7.intoArray(y, r0 + 3 * ow2 + L);
    }

    private static void dwVector(ConvGeometry g, Planes p, float[] xs, float[] w, int wo, float b, int oh, int ow,
                                 float[] y, int yo, float[] tail) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = FloatVector.zero(S);
        int[] tapOff = p.tapOff;
        int rowBase = oh * g.sH() * p.wq + ow;
        int taps = g.kH() * g.kW();
        int t = 0;
        for (; t + 1 < taps; t += 2) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, w[wo + t]), a0);
            a1 = FloatVector.fromArray(S, xs, rowBase + tapOff[t + 1]).fma(FloatVector.broadcast(S, w[wo + t + 1]), a1);
        }
        if (t < taps) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, w[wo + t]), a0);
        }
        store(a0.add(a1), y, yo + oh * g.outW() + ow, Math.min(L, g.outW() - ow), tail);
    }
}
