package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API fused RNN gate kernels, float (see {@link RnnGates}). Each loads the four (LSTM) or six (GRU)
 * gate slices of one row at the same column, applies every activation and the cell update in registers and
 * stores once: one pass over memory instead of the nine of separate elementwise kernels. Rows are
 * independent; each row's columns run as whole vectors then one masked vector.
 */
final class VectorRnnGatesF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();

    private VectorRnnGatesF() {
    }

    static void lstmForward(int batch, int hidden, float[] gates, int gOff, float[] cPrev, int cpOff,
                            float[] c, int cOff, float[] h, int hOff, float[] act, int aOff) {
        int bound = S.loopBound(hidden);
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * 4 * hidden, a = aOff + b * 4 * hidden, s = b * hidden;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector i = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + j));
                FloatVector f = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + hidden + j));
                FloatVector gg = VectorMathF.tanh(FloatVector.fromArray(S, gates, g + 2 * hidden + j));
                FloatVector o = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + 3 * hidden + j));
                FloatVector cn = f.fma(FloatVector.fromArray(S, cPrev, cpOff + s + j), i.mul(gg));
                i.intoArray(act, a + j);
                f.intoArray(act, a + hidden + j);
                gg.intoArray(act, a + 2 * hidden + j);
                o.intoArray(act, a + 3 * hidden + j);
                cn.intoArray(c, cOff + s + j);
                o.mul(VectorMathF.tanh(cn)).intoArray(h, hOff + s + j);
            }
            if (j < hidden) {
                VectorMask<Float> m = S.indexInRange(j, hidden);
                FloatVector i = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + j, m));
                FloatVector f = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + hidden + j, m));
                FloatVector gg = VectorMathF.tanh(FloatVector.fromArray(S, gates, g + 2 * hidden + j, m));
                FloatVector o = VectorMathF.sigmoid(FloatVector.fromArray(S, gates, g + 3 * hidden + j, m));
                FloatVector cn = f.fma(FloatVector.fromArray(S, cPrev, cpOff + s + j, m), i.mul(gg));
                i.intoArray(act, a + j, m);
                f.intoArray(act, a + hidden + j, m);
                gg.intoArray(act, a + 2 * hidden + j, m);
                o.intoArray(act, a + 3 * hidden + j, m);
                cn.intoArray(c, cOff + s + j, m);
                o.mul(VectorMathF.tanh(cn)).intoArray(h, hOff + s + j, m);
            }
        }
    }

    static void lstmBackward(int batch, int hidden, float[] act, int aOff, float[] cPrev, int cpOff, float[] c, int cOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff,
                             float[] dcPrev, int dcpOff) {
        for (int b = 0; b < batch; b++) {
            int a = aOff + b * 4 * hidden, d = dgOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> m = S.indexInRange(j, hidden);
                FloatVector i = FloatVector.fromArray(S, act, a + j, m);
                FloatVector f = FloatVector.fromArray(S, act, a + hidden + j, m);
                FloatVector g = FloatVector.fromArray(S, act, a + 2 * hidden + j, m);
                FloatVector o = FloatVector.fromArray(S, act, a + 3 * hidden + j, m);
                FloatVector tc = VectorMathF.tanh(FloatVector.fromArray(S, c, cOff + s + j, m));
                FloatVector dhv = FloatVector.fromArray(S, dh, dhOff + s + j, m);
                FloatVector dcv = dc == null ? FloatVector.zero(S) : FloatVector.fromArray(S, dc, dcOff + s + j, m);
                FloatVector dct = dhv.mul(o).mul(tc.mul(tc).neg().add(1f)).add(dcv);
                dct.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dGates, d + j, m);
                dct.mul(FloatVector.fromArray(S, cPrev, cpOff + s + j, m)).mul(f).mul(f.neg().add(1f))
                        .intoArray(dGates, d + hidden + j, m);
                dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dGates, d + 2 * hidden + j, m);
                dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dGates, d + 3 * hidden + j, m);
                dct.mul(f).intoArray(dcPrev, dcpOff + s + j, m);
            }
        }
    }

    static void gruForward(int batch, int hidden, float[] xg, int xOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                           float[] h, int hOff, float[] ws, int wsOff) {
        for (int b = 0; b < batch; b++) {
            int x = xOff + b * 3 * hidden, y = hgOff + b * 3 * hidden, w = wsOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> m = S.indexInRange(j, hidden);
                FloatVector r = VectorMathF.sigmoid(FloatVector.fromArray(S, xg, x + j, m)
                        .add(FloatVector.fromArray(S, hg, y + j, m)));
                FloatVector z = VectorMathF.sigmoid(FloatVector.fromArray(S, xg, x + hidden + j, m)
                        .add(FloatVector.fromArray(S, hg, y + hidden + j, m)));
                FloatVector hn = FloatVector.fromArray(S, hg, y + 2 * hidden + j, m);
                FloatVector n = VectorMathF.tanh(r.fma(hn, FloatVector.fromArray(S, xg, x + 2 * hidden + j, m)));
                FloatVector hp = FloatVector.fromArray(S, hPrev, hpOff + s + j, m);
                r.intoArray(ws, w + j, m);
                z.intoArray(ws, w + hidden + j, m);
                n.intoArray(ws, w + 2 * hidden + j, m);
                hn.intoArray(ws, w + 3 * hidden + j, m);
                z.fma(hp.sub(n), n).intoArray(h, hOff + s + j, m);
            }
        }
    }

    static void gruBackward(int batch, int hidden, float[] ws, int wsOff, float[] hPrev, int hpOff, float[] dh, int dhOff,
                            float[] dxg, int dxOff, float[] dhg, int dhgOff, float[] dhPrev, int dhpOff) {
        for (int b = 0; b < batch; b++) {
            int w = wsOff + b * 4 * hidden, x = dxOff + b * 3 * hidden, y = dhgOff + b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> m = S.indexInRange(j, hidden);
                FloatVector r = FloatVector.fromArray(S, ws, w + j, m);
                FloatVector z = FloatVector.fromArray(S, ws, w + hidden + j, m);
                FloatVector n = FloatVector.fromArray(S, ws, w + 2 * hidden + j, m);
                FloatVector hn = FloatVector.fromArray(S, ws, w + 3 * hidden + j, m);
                FloatVector hp = FloatVector.fromArray(S, hPrev, hpOff + s + j, m);
                FloatVector d = FloatVector.fromArray(S, dh, dhOff + s + j, m);
                FloatVector dnPre = d.mul(z.neg().add(1f)).mul(n.mul(n).neg().add(1f));
                FloatVector drPre = dnPre.mul(hn).mul(r).mul(r.neg().add(1f));
                FloatVector dzPre = d.mul(hp.sub(n)).mul(z).mul(z.neg().add(1f));
                drPre.intoArray(dxg, x + j, m);
                dzPre.intoArray(dxg, x + hidden + j, m);
                dnPre.intoArray(dxg, x + 2 * hidden + j, m);
                drPre.intoArray(dhg, y + j, m);
                dzPre.intoArray(dhg, y + hidden + j, m);
                dnPre.mul(r).intoArray(dhg, y + 2 * hidden + j, m);
                d.mul(z).intoArray(dhPrev, dhpOff + s + j, m);
            }
        }
    }
}
