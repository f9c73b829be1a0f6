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
 * stored. Depthwise convolutions (one input channel per group) run in {@link DepthwiseConvF} on the same row
 * planes.
 *
 * <p>Flat mode (strided convolutions, and stride 1 when a row of outputs would leave much of its last vector
 * idle, e.g. 56 columns in 4 x 16 lanes; see {@link #flat}): the planes are split into {@code sH x sW} phases
 * (phase (rp, cp) holds the padded rows rp, rp + sH, ... and columns cp, cp + sW, ...), each wq columns wide,
 * so that output (oh, ow) under tap (kh, kw) reads phase ((kh dH) % sH, (kw dW) % sW) at row oh + (kh dH) / sH
 * and column ow + (kw dW) / sW. The outputs are then computed on the phase grid as one flat run
 * {@code j = oh * wq + ow} over a band of rows: every tap of every output reads {@code xs[j + tapOff[t]]} and
 * a tile's 4 vectors are 4 consecutive runs of 16 outputs (contiguous loads). The wq - outW columns per row
 * that are not outputs are computed into a scratch tile and dropped when the rows are copied out (56 of 58
 * lanes do work on a 56-wide row instead of 56 of 64). A 1x1 convolution with stride 1 runs the same tiles on
 * the input planes in place.
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

    /** Width of the phase planes: the padded input's columns per width phase, at least outW plus the taps' shift. */
    private static int flatWidth(ConvGeometry g) {
        int s = g.sW();
        return Math.max((g.inW() + 2 * g.pW() + s - 1) / s, g.outW() + ((g.kW() - 1) * g.dW()) / s);
    }

    /**
     * Whether flat mode runs this convolution: not depthwise, and strided (its contiguous loads beat the row
     * tile's loads 4 rows apart: 7x7 stride 2 on 224x224 at 2.6 against 2.85 ms, though every lane of a 112-wide
     * row is used), or with fewer lanes idle per row on the phase grid (wq - outW) than in whole vectors of the
     * output row (3x3 on 56x56). Stride 1 with rows that fill their vectors stays in row mode (16x16: 0.22 ms
     * against 0.25 ms flat, whose 18-wide grid and band overrun leave a fifth of the lanes idle).
     */
    static boolean flat(ConvGeometry g) {
        int owv = (g.outW() + L - 1) / L * L;
        return g.inPerGroup() > 1 && (g.sH() > 1 || g.sW() > 1 || flatWidth(g) < owv);
    }

    /** Lanes that do useful work, out of 4: what ConvF weighs against the GEMM path. */
    static boolean wellUsed(ConvGeometry g) {
        int owv = (g.outW() + L - 1) / L * L;
        return 4 * g.outW() >= 3 * (flat(g) ? flatWidth(g) : owv);
    }

    /**
     * The scratch layout of one image's (or band's) padded, phase-split input channels: hq rows of wq columns
     * per phase, {@code phases} phases per channel, and each tap's offset into it ({@code tapOff[ic K + tap]}).
     */
    record Planes(int hq, int wq, int phases, int[] tapOff) {
        int plane() {
            return hq * wq * phases;
        }
    }

    /** Row-mode scratch planes (column phases, rows by padded row) for bands of {@code bandRows} output rows. */
    static Planes planes(ConvGeometry g, int bandRows) {
        int s = g.sW();
        int wp = g.inW() + 2 * g.pW();
        int owv = (g.outW() + L - 1) / L * L;
        int wq = Math.max((wp + s - 1) / s, owv + ((g.kW() - 1) * g.dW()) / s) + 1;
        int hq = (bandRows + RB) * g.sH() + (g.kH() - 1) * g.dH() + 1;
        int cg = g.inPerGroup(), k = g.kH() * g.kW(), plane = hq * wq * s;
        int[] tapOff = new int[cg * k];
        for (int ic = 0; ic < cg; ic++) {
            for (int kh = 0; kh < g.kH(); kh++) {
                for (int kw = 0; kw < g.kW(); kw++) {
                    int rw = kw * g.dW();
                    tapOff[ic * k + kh * g.kW() + kw] = ic * plane + ((rw % s) * hq + kh * g.dH()) * wq + rw / s;
                }
            }
        }
        return new Planes(hq, wq, s, tapOff);
    }

    /**
     * Flat planes for bands of {@code bandRows} output rows: per phase the band's rows, the rows the kernel's
     * height reaches below them, and enough below those for the last tile's overrun.
     */
    private static Planes flatPlanes(ConvGeometry g, int bandRows) {
        int sH = g.sH(), sW = g.sW(), wq = flatWidth(g);
        int hq = bandRows + ((g.kH() - 1) * g.dH()) / sH + (RB * L + wq - 1) / wq + 1;
        int cg = g.inPerGroup(), k = g.kH() * g.kW(), plane = hq * wq * sH * sW;
        int[] tapOff = new int[cg * k];
        for (int ic = 0; ic < cg; ic++) {
            for (int kh = 0; kh < g.kH(); kh++) {
                for (int kw = 0; kw < g.kW(); kw++) {
                    int rh = kh * g.dH(), rw = kw * g.dW();
                    int phase = (rh % sH) * sW + rw % sW;
                    tapOff[ic * k + kh * g.kW() + kw] = ic * plane + (phase * hq + rh / sH) * wq + rw / sW;
                }
            }
        }
        return new Planes(hq, wq, sH * sW, tapOff);
    }

    /**
     * Output rows per band: the band's padded input rows of every channel of a group in about 192 KiB (so they
     * stay in L2 while every output channel passes over them), a multiple of the tile's rows, at least one tile.
     * Flat mode takes 512 KiB: its last tile per band overruns by up to 63 outputs, which on a band of a few
     * rows of 58 is a tenth of the work (3x3 64->64 on 56x56: 2.4 ms at 192 KiB, 2.2 ms at 512 KiB).
     */
    private static int bandRows(ConvGeometry g, boolean flat) {
        int s = g.sW();
        int wq = flat ? flatWidth(g) : (g.inW() + 2 * g.pW() + s - 1) / s + L;   // per width phase
        long perRow = (long) g.inPerGroup() * wq * s * g.sH();
        int budget = flat ? 131072 : 49152;
        int rows = (int) Math.min(g.outH(), Math.max(RB, (budget / Math.max(1, perRow)) / RB * RB));
        return Math.max(1, rows);
    }

    /**
     * Copies the padded input rows [pr0, pr0 + hq) of channels [c0, c0 + n) of image x (at xo) into the padded
     * phase planes (rows outside the input are zeros).
     */
    static void pack(ConvGeometry g, Planes p, float[] x, int xo, int c0, int n, int pr0, float[] dst) {
        int h = g.inH(), w = g.inW(), s = g.sW(), ph = g.pH(), pw = g.pW();
        int first = Math.max(0, pr0 - ph), last = Math.min(h, pr0 + p.hq - ph);
        if (s == 1 && first < last) {
            // zero only the padding around the copied rows (the whole plane is as much again to write)
            int plane = p.plane(), wq = p.wq;
            int top = (first + ph - pr0) * wq, bottom = (last + ph - pr0) * wq;
            for (int c = 0; c < n; c++) {
                int src = xo + (c0 + c) * h * w;
                int base = c * plane;
                Arrays.fill(dst, base, base + top, 0f);
                for (int r = first; r < last; r++) {
                    int dr = base + (r + ph - pr0) * wq;
                    Arrays.fill(dst, dr, dr + pw, 0f);
                    System.arraycopy(x, src + r * w, dst, dr + pw, w);
                    Arrays.fill(dst, dr + pw + w, dr + wq, 0f);
                }
                Arrays.fill(dst, base + bottom, base + plane, 0f);
            }
            return;
        }
        Arrays.fill(dst, 0, n * p.plane(), 0f);
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
                for (int phase = 0; phase < s; phase++) {
                    // the columns col with (col + pw) % s == phase, at (col + pw) / s in their phase plane
                    int col = Math.floorMod(phase - pw, s);
                    int d = base + phase * p.hq * p.wq + dr + (col + pw) / s;
                    for (; col < w; col += s, d++) {
                        dst[d] = x[row + col];
                    }
                }
            }
        }
    }

    /**
     * Copies channels [c0, c0 + n) of image x (at xo) into the flat planes of the band starting at output row
     * b0: phase row i of row phase rp is padded row (b0 + i) sH + rp; rows outside the input and the padding
     * columns are zeros.
     */
    private static void packFlat(ConvGeometry g, Planes p, float[] x, int xo, int c0, int n, int b0, float[] dst) {
        int h = g.inH(), w = g.inW(), sH = g.sH(), sW = g.sW(), ph = g.pH(), pw = g.pW(), hq = p.hq, wq = p.wq;
        // per width phase cp: the first input column with (col + pw) % sW == cp and its place in the phase row
        // (computed once: a division per row cost as much as the copy)
        int[] firstCol = new int[sW];
        int[] firstAt = new int[sW];
        for (int cp = 0; cp < sW; cp++) {
            firstCol[cp] = Math.floorMod(cp - pw, sW);
            firstAt[cp] = (firstCol[cp] + pw) / sW;
        }
        for (int c = 0; c < n; c++) {
            int src = xo + (c0 + c) * h * w;
            int base = c * p.plane();
            for (int rp = 0; rp < sH; rp++) {
                for (int i = 0; i < hq; i++) {
                    int r = (b0 + i) * sH + rp - ph;
                    for (int cp = 0; cp < sW; cp++) {
                        int d0 = base + ((rp * sW + cp) * hq + i) * wq, end = d0 + wq;
                        if (r < 0 || r >= h) {
                            Arrays.fill(dst, d0, end, 0f);
                            continue;
                        }
                        int d = d0 + firstAt[cp];
                        for (int z = d0; z < d; z++) {
                            dst[z] = 0f;
                        }
                        if (sW == 1) {
                            System.arraycopy(x, src + r * w, dst, d, w);
                            d += w;
                        } else {
                            for (int col = firstCol[cp], row = src + r * w; col < w; col += sW, d++) {
                                dst[d] = x[row + col];
                            }
                        }
                        for (; d < end; d++) {
                            dst[d] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether a 1x1 convolution runs here (flat over the input planes themselves, no packing) rather than as a
     * GEMM: several input channels per group and planes of at least 4 tiles, so that the copied tail is small.
     */
    static boolean pointwiseDirect(ConvGeometry g) {
        return g.pointwise() && g.inPerGroup() > 1 && g.outPerGroup() >= OCB && g.outSpatial() >= 4 * RB * L;
    }

    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y,
                        int yOff) {
        if (g.pointwise()) {
            pointwise(g, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        int cg = g.inPerGroup(), og = g.outPerGroup();
        if (cg == 1) {
            DepthwiseConvF.forward(g, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        boolean flat = flat(g);
        int band = bandRows(g, flat);
        Planes p = flat ? flatPlanes(g, band) : planes(g, band);
        int k = g.kH() * g.kW();
        float[] xs = Workspace.floats(Workspace.COLS, cg * p.plane());
        float[] wp = Workspace.floats(Workspace.PACK_A, og * cg * k);
        float[] tail = Workspace.floats(Workspace.TILE, L);
        int os = g.outSpatial();
        for (int n = 0; n < g.batch(); n++) {
            int xn = xOff + n * g.inChannels() * g.inSpatial();
            for (int grp = 0; grp < g.groups(); grp++) {
                int yg = yOff + (n * g.outChannels() + grp * og) * os;
                // all weights of the group, blocks of 4 channels with one tap's 4 weights adjacent, then the
                // leftover channels one by one; bands of rows outermost so that a band's input rows, packed once,
                // serve every output channel from L2
                int full = og / OCB * OCB;
                packGroupWeights(w, wOff + grp * og * cg * k, og, cg * k, wp);
                for (int b0 = 0; b0 < g.outH(); b0 += band) {
                    int b1 = Math.min(g.outH(), b0 + band);
                    if (flat) {
                        packFlat(g, p, x, xn, grp * cg, cg, b0, xs);
                        flatBand(g, p, cg, og, xs, wp, bias, bOff + grp * og, b0, b1, y, yg);
                        continue;
                    }
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
                                    tile1(g, p, cg, xs, wp, oc * cg * k, r, r - b0, ow, b, y, yg + oc * os);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Flat mode over output rows [b0, b1) of one group: per block of 4 output channels, the band's flat run in
     * tiles of 4 vectors into a scratch of 4 runs, whose valid columns are then copied to y; leftover channels
     * one vector at a time.
     */
    private static void flatBand(ConvGeometry g, Planes p, int cg, int og, float[] xs, float[] wp, float[] bias,
                                 int bo, int b0, int b1, float[] y, int yg) {
        int wq = p.wq, ow = g.outW(), os = g.outSpatial(), k = cg * g.kH() * g.kW();
        int run = (b1 - b0) * wq;
        int stride = (run + RB * L - 1) / (RB * L) * (RB * L);
        float[] ys = Workspace.floats(Workspace.PACK_B, OCB * stride);
        int full = og / OCB * OCB;
        for (int oc = 0; oc < og; oc += oc < full ? OCB : 1) {
            int m = oc < full ? OCB : 1;
            for (int j = 0; j < run; j += m == OCB ? RB * L : L) {
                if (m == OCB) {
                    flat4(p.tapOff, k, xs, wp, oc * k, j, bias, bo + oc, ys, j, stride);
                } else {
                    flat1(p.tapOff, k, xs, wp, oc * k, j, bias == null ? 0f : bias[bo + oc], ys, j);
                }
            }
            for (int c = 0; c < m; c++) {
                for (int r = b0; r < b1; r++) {
                    System.arraycopy(ys, c * stride + (r - b0) * wq, y, yg + (oc + c) * os + r * ow, ow);
                }
            }
        }
    }

    /**
     * 4 output channels x 4 consecutive vectors of a flat run: tap t reads xs[xo + tapOff[t] ..], channel c is
     * stored at ys[yo + c * stride ..].
     */
    private static void flat4(int[] tapOff, int taps, float[] xs, float[] wp, int wo, int xo, float[] bias, int bo,
                              float[] ys, int yo, int stride) {
        FloatVector a00 = FloatVector.broadcast(S, bias == null ? 0f : bias[bo]), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, bias == null ? 0f : bias[bo + 1]), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, bias == null ? 0f : bias[bo + 2]), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, bias == null ? 0f : bias[bo + 3]), a31 = a30, a32 = a30, a33 = a30;
        for (int t = 0, wt = wo; t < taps; t++, wt += OCB) {
            int o = xo + tapOff[t];
            FloatVector x0 = FloatVector.fromArray(S, xs, o);
            FloatVector x1 = FloatVector.fromArray(S, xs, o + L);
            FloatVector x2 = FloatVector.fromArray(S, xs, o + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, xs, o + 3 * L);
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
        a00.intoArray(ys, yo);
        a01.intoArray(ys, yo + L);
        a02.intoArray(ys, yo + 2 * L);
        a03.intoArray(ys, yo + 3 * L);
        a10.intoArray(ys, yo + stride);
        a11.intoArray(ys, yo + stride + L);
        a12.intoArray(ys, yo + stride + 2 * L);
        a13.intoArray(ys, yo + stride + 3 * L);
        a20.intoArray(ys, yo + 2 * stride);
        a21.intoArray(ys, yo + 2 * stride + L);
        a22.intoArray(ys, yo + 2 * stride + 2 * L);
        a23.intoArray(ys, yo + 2 * stride + 3 * L);
        a30.intoArray(ys, yo + 3 * stride);
        a31.intoArray(ys, yo + 3 * stride + L);
        a32.intoArray(ys, yo + 3 * stride + 2 * L);
        a33.intoArray(ys, yo + 3 * stride + 3 * L);
    }

    /** One output channel, one vector of a flat run: tap t reads xs[xo + tapOff[t] ..], stored at ys[yo ..]. */
    private static void flat1(int[] tapOff, int taps, float[] xs, float[] wp, int wo, int xo, float b, float[] ys,
                              int yo) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = FloatVector.zero(S);
        int t = 0;
        for (; t + 1 < taps; t += 2) {
            a0 = FloatVector.fromArray(S, xs, xo + tapOff[t]).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
            a1 = FloatVector.fromArray(S, xs, xo + tapOff[t + 1]).fma(FloatVector.broadcast(S, wp[wo + t + 1]), a1);
        }
        if (t < taps) {
            a0 = FloatVector.fromArray(S, xs, xo + tapOff[t]).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
        }
        a0.add(a1).intoArray(ys, yo);
    }

    /**
     * 1x1, stride 1, no padding: the flat run is the input plane itself, so tiles read the input in place (tap
     * ic at ic * H * W); tiles of 4 vectors run outermost so that one tile's columns of every input channel,
     * read from L2 once, serve every block of output channels. The last partial tile's columns are copied into
     * a zero-padded scratch (and its outputs through one) so that nothing reads or writes past the planes.
     */
    private static void pointwise(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                                  float[] y, int yOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), hw = g.outSpatial(), span = RB * L;
        int full = hw / span * span, rest = hw - full, fullOc = og / OCB * OCB;
        int[] tapOff = new int[cg];
        int[] tailOff = new int[cg];
        for (int ic = 0; ic < cg; ic++) {
            tapOff[ic] = ic * hw;
            tailOff[ic] = ic * span;
        }
        float[] wp = Workspace.floats(Workspace.PACK_A, og * cg);
        float[] xt = rest > 0 ? Workspace.floats(Workspace.COLS, cg * span) : null;
        float[] yt = rest > 0 ? Workspace.floats(Workspace.PACK_B, OCB * span) : null;
        for (int n = 0; n < g.batch(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                packGroupWeights(w, wOff + grp * og * cg, og, cg, wp);
                int xg = xOff + (n * g.inChannels() + grp * cg) * hw;
                int yg = yOff + (n * g.outChannels() + grp * og) * hw;
                int bo = bOff + grp * og;
                for (int j = 0; j < full; j += span) {
                    for (int oc = 0; oc < fullOc; oc += OCB) {
                        flat4(tapOff, cg, x, wp, oc * cg, xg + j, bias, bo + oc, y, yg + oc * hw + j, hw);
                    }
                    for (int oc = fullOc; oc < og; oc++) {
                        for (int v = 0; v < span; v += L) {
                            flat1(tapOff, cg, x, wp, oc * cg, xg + j + v, bias == null ? 0f : bias[bo + oc], y,
                                    yg + oc * hw + j + v);
                        }
                    }
                }
                if (rest == 0) {
                    continue;
                }
                for (int ic = 0; ic < cg; ic++) {
                    System.arraycopy(x, xg + ic * hw + full, xt, ic * span, rest);
                    Arrays.fill(xt, ic * span + rest, (ic + 1) * span, 0f);
                }
                for (int oc = 0; oc < og; oc += oc < fullOc ? OCB : 1) {
                    int m = oc < fullOc ? OCB : 1;
                    if (m == OCB) {
                        flat4(tailOff, cg, xt, wp, oc * cg, 0, bias, bo + oc, yt, 0, span);
                    } else {
                        for (int v = 0; v < span; v += L) {
                            flat1(tailOff, cg, xt, wp, oc * cg, v, bias == null ? 0f : bias[bo + oc], yt, v);
                        }
                    }
                    for (int c = 0; c < m; c++) {
                        System.arraycopy(yt, c * span, y, yg + (oc + c) * hw + full, rest);
                    }
                }
            }
        }
    }

    /** One group's weights (og channels of per values each): blocks of 4 channels, then the leftovers one by one. */
    private static void packGroupWeights(float[] w, int wo, int og, int per, float[] wp) {
        int full = og / OCB * OCB;
        for (int oc = 0; oc < full; oc += OCB) {
            packWeights(w, wo + oc * per, per, OCB, wp, oc * per);
        }
        for (int oc = full; oc < og; oc++) {
            packWeights(w, wo + oc * per, per, 1, wp, oc * per);
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

    /**
     * Stores lanes [0, n) of v at y[yo..]: the whole vector when n == L. (Inlined into tile4 by C2; a masked store
     * there instead left tile4 too big for C1's register allocator, stuck at tier 2 in short runs.)
     */
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
                              int ow, float b, float[] y, int yo) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = FloatVector.zero(S);
        int[] tapOff = p.tapOff;
        int rowBase = lr * g.sH() * p.wq + ow;
        int taps = cg * g.kH() * g.kW();
        int t = 0;
        for (; t + 1 < taps; t += 2) {
            int o = rowBase + tapOff[t], o1 = rowBase + tapOff[t + 1];
            a0 = FloatVector.fromArray(S, xs, o).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
            a1 = FloatVector.fromArray(S, xs, o1).fma(FloatVector.broadcast(S, wp[wo + t + 1]), a1);
        }
        if (t < taps) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, wp[wo + t]), a0);
        }
        a0.add(a1).intoArray(y, yo + oh * g.outW() + ow, S.indexInRange(0, Math.min(L, g.outW() - ow)));
    }
}
