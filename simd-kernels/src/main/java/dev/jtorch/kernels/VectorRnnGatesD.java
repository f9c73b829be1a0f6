package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API fused RNN gate kernelsdouble (see {@link RnnGates}). Each loads the four (LSTM) or six (GRU)
 * gate slices of one row at the same column, applies every activation and the cell update in registers and
 * stores once: one pass over memory instead of the nine of separate elementwise kernels. Rows are
 * independent; each row's columns run as whole vectors then one masked vector.
 */
final class VectorRnnGatesD {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final int L = S.length();

    private VectorRnnGatesD() {
    }

    static void lstmForward(int batch, int hidden, double[] gates, int gOff, double[] cPrev, int cpOff,
                            double[] c, int cOff, double[] h, int hOff, double[] act, int aOff) {
        int bound = S.loopBound(hidden);
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * 4 * hidden, a = aOff + b * 4 * hidden, s = b * hidden;
            int j = 0;
            for (; j < bound; j += L) {
                DoubleVector i = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + j));
                DoubleVector f = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + hidden + j));
                DoubleVector gg = VectorMathD.tanh(DoubleVector.fromArray(S, gates, g + 2 * hidden + j));
                DoubleVector o = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + 3 * hidden + j));
                DoubleVector cn = f.fma(DoubleVector.fromArray(S, cPrev, cpOff + s + j), i.mul(gg));
                i.intoArray(act, a + j);
                f.intoArray(act, a + hidden + j);
                gg.intoArray(act, a + 2 * hidden + j);
                o.intoArray(act, a + 3 * hidden + j);
                cn.intoArray(c, cOff + s + j);
                o.mul(VectorMathD.tanh(cn)).intoArray(h, hOff + s + j);
            }
            if (j < hidden) {
                VectorMask<Double> m = S.indexInRange(j, hidden);
                DoubleVector i = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + j, m));
                DoubleVector f = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + hidden + j, m));
                DoubleVector gg = VectorMathD.tanh(DoubleVector.fromArray(S, gates, g + 2 * hidden + j, m));
                DoubleVector o = VectorMathD.sigmoid(DoubleVector.fromArray(S, gates, g + 3 * hidden + j, m));
                DoubleVector cn = f.fma(DoubleVector.fromArray(S, cPrev, cpOff + s + j, m), i.mul(gg));
                i.intoArray(act, a + j, m);
                f.intoArray(act, a + hidden + j, m);
                gg.intoArray(act, a + 2 * hidden + j, m);
                o.intoArray(act, a + 3 * hidden + j, m);
                cn.intoArray(c, cOff + s + j, m);
                o.mul(VectorMathD.tanh(cn)).intoArray(h, hOff + s + j, m);
            }
        }
    }

    static void lstmBackward(int batch, int hidden, double[] act, int aOff, double[] cPrev, int cpOff, double[] c, int cOff,
                             double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates, int dgOff,
                             double[] dcPrev, int dcpOff) {
        for (int b = 0; b < batch; b++) {
            int a = aOff + b * 4 * hidden, d = dgOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Double> m = S.indexInRange(j, hidden);
                DoubleVector i = DoubleVector.fromArray(S, act, a + j, m);
                DoubleVector f = DoubleVector.fromArray(S, act, a + hidden + j, m);
                DoubleVector g = DoubleVector.fromArray(S, act, a + 2 * hidden + j, m);
                DoubleVector o = DoubleVector.fromArray(S, act, a + 3 * hidden + j, m);
                DoubleVector tc = VectorMathD.tanh(DoubleVector.fromArray(S, c, cOff + s + j, m));
                DoubleVector dhv = DoubleVector.fromArray(S, dh, dhOff + s + j, m);
                DoubleVector dcv = dc == null ? DoubleVector.zero(S) : DoubleVector.fromArray(S, dc, dcOff + s + j, m);
                DoubleVector dct = dhv.mul(o).mul(tc.mul(tc).neg().add(1.0)).add(dcv);
                dct.mul(g).mul(i).mul(i.neg().add(1.0)).intoArray(dGates, d + j, m);
                dct.mul(DoubleVector.fromArray(S, cPrev, cpOff + s + j, m)).mul(f).mul(f.neg().add(1.0))
                        .intoArray(dGates, d + hidden + j, m);
                dct.mul(i).mul(g.mul(g).neg().add(1.0)).intoArray(dGates, d + 2 * hidden + j, m);
                dhv.mul(tc).mul(o).mul(o.neg().add(1.0)).intoArray(dGates, d + 3 * hidden + j, m);
                dct.mul(f).intoArray(dcPrev, dcpOff + s + j, m);
            }
        }
    }

    static void gruForward(int batch, int hidden, double[] xg, int xOff, double[] hg, int hgOff, double[] hPrev, int hpOff,
                           double[] h, int hOff, double[] ws, int wsOff) {
        for (int b = 0; b < batch; b++) {
            int x = xOff + b * 3 * hidden, y = hgOff + b * 3 * hidden, w = wsOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Double> m = S.indexInRange(j, hidden);
                DoubleVector r = VectorMathD.sigmoid(DoubleVector.fromArray(S, xg, x + j, m)
                        .add(DoubleVector.fromArray(S, hg, y + j, m)));
                DoubleVector z = VectorMathD.sigmoid(DoubleVector.fromArray(S, xg, x + hidden + j, m)
                        .add(DoubleVector.fromArray(S, hg, y + hidden + j, m)));
                DoubleVector hn = DoubleVector.fromArray(S, hg, y + 2 * hidden + j, m);
                DoubleVector n = VectorMathD.tanh(r.fma(hn, DoubleVector.fromArray(S, xg, x + 2 * hidden + j, m)));
                DoubleVector hp = DoubleVector.fromArray(S, hPrev, hpOff + s + j, m);
                r.intoArray(ws, w + j, m);
                z.intoArray(ws, w + hidden + j, m);
                n.intoArray(ws, w + 2 * hidden + j, m);
                hn.intoArray(ws, w + 3 * hidden + j, m);
                z.fma(hp.sub(n), n).intoArray(h, hOff + s + j, m);
            }
        }
    }

    static void gruBackward(int batch, int hidden, double[] ws, int wsOff, double[] hPrev, int hpOff, double[] dh, int dhOff,
                            double[] dxg, int dxOff, double[] dhg, int dhgOff, double[] dhPrev, int dhpOff) {
        for (int b = 0; b < batch; b++) {
            int w = wsOff + b * 4 * hidden, x = dxOff + b * 3 * hidden, y = dhgOff + b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Double> m = S.indexInRange(j, hidden);
                DoubleVector r = DoubleVector.fromArray(S, ws, w + j, m);
                DoubleVector z = DoubleVector.fromArray(S, ws, w + hidden + j, m);
                DoubleVector n = DoubleVector.fromArray(S, ws, w + 2 * hidden + j, m);
                DoubleVector hn = DoubleVector.fromArray(S, ws, w + 3 * hidden + j, m);
                DoubleVector hp = DoubleVector.fromArray(S, hPrev, hpOff + s + j, m);
                DoubleVector d = DoubleVector.fromArray(S, dh, dhOff + s + j, m);
                DoubleVector dnPre = d.mul(z.neg().add(1.0)).mul(n.mul(n).neg().add(1.0));
                DoubleVector drPre = dnPre.mul(hn).mul(r).mul(r.neg().add(1.0));
                DoubleVector dzPre = d.mul(hp.sub(n)).mul(z).mul(z.neg().add(1.0));
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
