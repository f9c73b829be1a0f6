package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct depthwise convolution (float; one input channel per group, any channel multiplier), 1-d or 2-d, on
 * the row planes of {@link DirectConvF} (one zero-padded, width-phase-split copy of each input channel).
 *
 * <p>Per output channel: tiles of 4 output rows x 2 vectors (8 accumulators, one FMA chain each over the
 * taps), then one-vector tiles and single rows for what is left. 3x3 with stride 1 and no dilation has its own
 * tiles that load each input vector once for every output row it reaches (6 input rows x 3 shifts x 2
 * vectors: 36 loads for 72 FMAs, against 72 through the tap table; 0.28 -> 0.17 ms on 32 x 112 x 112).
 */
final class DepthwiseConvF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();
    private static final int RB = 4;

    private DepthwiseConvF() {
    }

    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y,
                        int yOff) {
        DirectConvF.Planes p = DirectConvF.planes(g, g.outH());
        int og = g.outPerGroup(), k = g.kH() * g.kW(), os = g.outSpatial();
        float[] xs = Workspace.floats(Workspace.COLS, p.plane());
        for (int n = 0; n < g.batch(); n++) {
            int xn = xOff + n * g.inChannels() * g.inSpatial();
            for (int grp = 0; grp < g.groups(); grp++) {
                DirectConvF.pack(g, p, x, xn, grp, 1, 0, xs);
                for (int oc = 0; oc < og; oc++) {
                    int c = grp * og + oc;
                    depthwise(g, p, xs, w, wOff + c * k, bias == null ? 0f : bias[bOff + c], y,
                            yOff + (n * g.outChannels() + c) * os);
                }
            }
        }
    }

    /** One depthwise output channel: 4 rows x 2 vectors per tile, then leftovers one vector at a time. */
    private static void depthwise(ConvGeometry g, DirectConvF.Planes p, float[] xs, float[] w, int wo, float b, float[] y,
                                  int yo) {
        boolean k33 = g.kH() == 3 && g.kW() == 3 && g.sH() == 1 && g.sW() == 1 && g.dH() == 1 && g.dW() == 1;
        int oh = 0;
        for (; oh + RB <= g.outH(); oh += RB) {
            int ow = 0;
            for (; ow + 2 * L <= g.outW(); ow += 2 * L) {
                if (k33) {
                    dw33Tile(xs, oh * p.wq() + ow, p.wq(), w, wo, b, y, yo + oh * g.outW() + ow, g.outW());
                } else {
                    dwTile(g, p, xs, w, wo, b, oh, ow, y, yo);
                }
            }
            if (k33 && ow + L <= g.outW()) {
                dw33Tile1(xs, oh * p.wq() + ow, p.wq(), w, wo, b, y, yo + oh * g.outW() + ow, g.outW());
                ow += L;
            }
            for (; ow < g.outW(); ow += L) {
                for (int r = 0; r < RB; r++) {
                    dwVector(g, p, xs, w, wo, b, oh + r, ow, y, yo);
                }
            }
        }
        for (; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow += L) {
                dwVector(g, p, xs, w, wo, b, oh, ow, y, yo);
            }
        }
    }

    /**
     * 3x3, stride 1, no dilation: 4 output rows x 2 vectors from 6 input rows, each input vector loaded once and
     * used by every output row it reaches (36 loads for 72 FMAs, against 72 loads through the tap table).
     */
    private static void dw33Tile(float[] xs, int o, int wq, float[] w, int wo, float b, float[] y, int yo, int ow2) {
        // (weights as an array: vectors passed to a call that is not inlined would be boxed on every call)
        FloatVector w00 = FloatVector.broadcast(S, w[wo]), w01 = FloatVector.broadcast(S, w[wo + 1]);
        FloatVector w02 = FloatVector.broadcast(S, w[wo + 2]), w10 = FloatVector.broadcast(S, w[wo + 3]);
        FloatVector w11 = FloatVector.broadcast(S, w[wo + 4]), w12 = FloatVector.broadcast(S, w[wo + 5]);
        FloatVector w20 = FloatVector.broadcast(S, w[wo + 6]), w21 = FloatVector.broadcast(S, w[wo + 7]);
        FloatVector w22 = FloatVector.broadcast(S, w[wo + 8]);
        FloatVector r0a = FloatVector.broadcast(S, b), r0b = r0a, r1a = r0a, r1b = r0a, r2a = r0a, r2b = r0a;
        FloatVector r3a = r0a, r3b = r0a;
        FloatVector a0, a1, a2, b0, b1, b2;
        // input row 0: output row 0 (kernel row 0)
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r0a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r0a)));
        r0b = b2.fma(w02, b1.fma(w01, b0.fma(w00, r0b)));
        // input row 1: output rows 0 (kernel row 1) and 1 (row 0)
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r0a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r0a)));
        r0b = b2.fma(w12, b1.fma(w11, b0.fma(w10, r0b)));
        r1a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r1a)));
        r1b = b2.fma(w02, b1.fma(w01, b0.fma(w00, r1b)));
        // input row 2: output rows 0, 1, 2
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r0a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r0a)));
        r0b = b2.fma(w22, b1.fma(w21, b0.fma(w20, r0b)));
        r1a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r1a)));
        r1b = b2.fma(w12, b1.fma(w11, b0.fma(w10, r1b)));
        r2a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r2a)));
        r2b = b2.fma(w02, b1.fma(w01, b0.fma(w00, r2b)));
        // input row 3: output rows 1, 2, 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r1a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r1a)));
        r1b = b2.fma(w22, b1.fma(w21, b0.fma(w20, r1b)));
        r2a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r2a)));
        r2b = b2.fma(w12, b1.fma(w11, b0.fma(w10, r2b)));
        r3a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r3a)));
        r3b = b2.fma(w02, b1.fma(w01, b0.fma(w00, r3b)));
        // input row 4: output rows 2, 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r2a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r2a)));
        r2b = b2.fma(w22, b1.fma(w21, b0.fma(w20, r2b)));
        r3a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r3a)));
        r3b = b2.fma(w12, b1.fma(w11, b0.fma(w10, r3b)));
        // input row 5: output row 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        b0 = FloatVector.fromArray(S, xs, o + L);
        b1 = FloatVector.fromArray(S, xs, o + L + 1);
        b2 = FloatVector.fromArray(S, xs, o + L + 2);
        r3a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r3a)));
        r3b = b2.fma(w22, b1.fma(w21, b0.fma(w20, r3b)));
        r0a.intoArray(y, yo);
        r0b.intoArray(y, yo + L);
        r1a.intoArray(y, yo + ow2);
        r1b.intoArray(y, yo + ow2 + L);
        r2a.intoArray(y, yo + 2 * ow2);
        r2b.intoArray(y, yo + 2 * ow2 + L);
        r3a.intoArray(y, yo + 3 * ow2);
        r3b.intoArray(y, yo + 3 * ow2 + L);
    }

    /** dw33Tile for one vector of columns (the rows' last 16 of 112, say). */
    private static void dw33Tile1(float[] xs, int o, int wq, float[] w, int wo, float b, float[] y, int yo, int ow2) {
        FloatVector w00 = FloatVector.broadcast(S, w[wo]), w01 = FloatVector.broadcast(S, w[wo + 1]);
        FloatVector w02 = FloatVector.broadcast(S, w[wo + 2]), w10 = FloatVector.broadcast(S, w[wo + 3]);
        FloatVector w11 = FloatVector.broadcast(S, w[wo + 4]), w12 = FloatVector.broadcast(S, w[wo + 5]);
        FloatVector w20 = FloatVector.broadcast(S, w[wo + 6]), w21 = FloatVector.broadcast(S, w[wo + 7]);
        FloatVector w22 = FloatVector.broadcast(S, w[wo + 8]);
        FloatVector r0a = FloatVector.broadcast(S, b), r1a = r0a, r2a = r0a, r3a = r0a;
        FloatVector a0, a1, a2;
        // input row 0: output row 0 (kernel row 0)
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r0a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r0a)));
        // input row 1: output rows 0 (kernel row 1) and 1 (row 0)
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r0a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r0a)));
        r1a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r1a)));
        // input row 2: output rows 0, 1, 2
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r0a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r0a)));
        r1a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r1a)));
        r2a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r2a)));
        // input row 3: output rows 1, 2, 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r1a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r1a)));
        r2a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r2a)));
        r3a = a2.fma(w02, a1.fma(w01, a0.fma(w00, r3a)));
        // input row 4: output rows 2, 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r2a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r2a)));
        r3a = a2.fma(w12, a1.fma(w11, a0.fma(w10, r3a)));
        // input row 5: output row 3
        o += wq;
        a0 = FloatVector.fromArray(S, xs, o);
        a1 = FloatVector.fromArray(S, xs, o + 1);
        a2 = FloatVector.fromArray(S, xs, o + 2);
        r3a = a2.fma(w22, a1.fma(w21, a0.fma(w20, r3a)));
        r0a.intoArray(y, yo);
        r1a.intoArray(y, yo + ow2);
        r2a.intoArray(y, yo + 2 * ow2);
        r3a.intoArray(y, yo + 3 * ow2);
    }

    private static void dwTile(ConvGeometry g, DirectConvF.Planes p, float[] xs, float[] w, int wo, float b, int oh, int ow,
                               float[] y, int yo) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int[] tapOff = p.tapOff();
        int rowStep = g.sH() * p.wq();
        int rowBase = oh * g.sH() * p.wq() + ow;
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

    private static void dwVector(ConvGeometry g, DirectConvF.Planes p, float[] xs, float[] w, int wo, float b, int oh, int ow,
                                 float[] y, int yo) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = FloatVector.zero(S);
        int[] tapOff = p.tapOff();
        int rowBase = oh * g.sH() * p.wq() + ow;
        int taps = g.kH() * g.kW();
        int t = 0;
        for (; t + 1 < taps; t += 2) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, w[wo + t]), a0);
            a1 = FloatVector.fromArray(S, xs, rowBase + tapOff[t + 1]).fma(FloatVector.broadcast(S, w[wo + t + 1]), a1);
        }
        if (t < taps) {
            a0 = FloatVector.fromArray(S, xs, rowBase + tapOff[t]).fma(FloatVector.broadcast(S, w[wo + t]), a0);
        }
        a0.add(a1).intoArray(y, yo + oh * g.outW() + ow, S.indexInRange(0, Math.min(L, g.outW() - ow)));
    }
}
