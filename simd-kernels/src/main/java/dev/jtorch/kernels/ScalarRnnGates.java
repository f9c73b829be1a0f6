package dev.jtorch.kernels;

/**
 * The scalar twins of {@link RnnGates} and their specification: the same formulas, element by element, with
 * the activations computed as in {@link ScalarActivations}. Arguments are assumed valid; {@code dc} may be
 * null (zeros).
 */
final class ScalarRnnGates {
    private ScalarRnnGates() {
    }

    private static float sig(float x) {
        return (float) ScalarActivations.sigmoid((double) x);
    }

    private static float th(float x) {
        return (float) Math.tanh(x);
    }

    static void lstmForward(int batch, int hidden, float[] gates, int gOff, float[] cPrev, int cpOff,
                            float[] c, int cOff, float[] h, int hOff, float[] act, int aOff) {
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * 4 * hidden, a = aOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = sig(gates[g + j]), f = sig(gates[g + hidden + j]);
                float gg = th(gates[g + 2 * hidden + j]), o = sig(gates[g + 3 * hidden + j]);
                float cn = Math.fma(f, cPrev[cpOff + s + j], i * gg);
                act[a + j] = i;
                act[a + hidden + j] = f;
                act[a + 2 * hidden + j] = gg;
                act[a + 3 * hidden + j] = o;
                c[cOff + s + j] = cn;
                h[hOff + s + j] = o * th(cn);
            }
        }
    }

    static void lstmBackward(int batch, int hidden, float[] act, int aOff, float[] cPrev, int cpOff, float[] c, int cOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff,
                             float[] dcPrev, int dcpOff) {
        for (int b = 0; b < batch; b++) {
            int a = aOff + b * 4 * hidden, d = dgOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = act[a + j], f = act[a + hidden + j], g = act[a + 2 * hidden + j], o = act[a + 3 * hidden + j];
                float tc = th(c[cOff + s + j]);
                float dhv = dh[dhOff + s + j];
                float dcv = dc == null ? 0f : dc[dcOff + s + j];
                float dct = dcv + dhv * o * (1f - tc * tc);
                dGates[d + j] = dct * g * i * (1f - i);
                dGates[d + hidden + j] = dct * cPrev[cpOff + s + j] * f * (1f - f);
                dGates[d + 2 * hidden + j] = dct * i * (1f - g * g);
                dGates[d + 3 * hidden + j] = dhv * tc * o * (1f - o);
                dcPrev[dcpOff + s + j] = dct * f;
            }
        }
    }

    static void gruForward(int batch, int hidden, float[] xg, int xOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                           float[] h, int hOff, float[] ws, int wsOff) {
        for (int b = 0; b < batch; b++) {
            int x = xOff + b * 3 * hidden, y = hgOff + b * 3 * hidden, w = wsOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = sig(xg[x + j] + hg[y + j]);
                float z = sig(xg[x + hidden + j] + hg[y + hidden + j]);
                float hn = hg[y + 2 * hidden + j];
                float n = th(Math.fma(r, hn, xg[x + 2 * hidden + j]));
                float hp = hPrev[hpOff + s + j];
                ws[w + j] = r;
                ws[w + hidden + j] = z;
                ws[w + 2 * hidden + j] = n;
                ws[w + 3 * hidden + j] = hn;
                h[hOff + s + j] = Math.fma(z, hp - n, n);
            }
        }
    }

    static void gruBackward(int batch, int hidden, float[] ws, int wsOff, float[] hPrev, int hpOff, float[] dh, int dhOff,
                            float[] dxg, int dxOff, float[] dhg, int dhgOff, float[] dhPrev, int dhpOff) {
        for (int b = 0; b < batch; b++) {
            int w = wsOff + b * 4 * hidden, x = dxOff + b * 3 * hidden, y = dhgOff + b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = ws[w + j], z = ws[w + hidden + j], n = ws[w + 2 * hidden + j], hn = ws[w + 3 * hidden + j];
                float hp = hPrev[hpOff + s + j], d = dh[dhOff + s + j];
                float dnPre = d * (1f - z) * (1f - n * n);
                float drPre = dnPre * hn * r * (1f - r);
                float dzPre = d * (hp - n) * z * (1f - z);
                dxg[x + j] = drPre;
                dxg[x + hidden + j] = dzPre;
                dxg[x + 2 * hidden + j] = dnPre;
                dhg[y + j] = drPre;
                dhg[y + hidden + j] = dzPre;
                dhg[y + 2 * hidden + j] = dnPre * r;
                dhPrev[dhpOff + s + j] = d * z;
            }
        }
    }



    // ---------------------------------------------------------------- double

    static void lstmForward(int batch, int hidden, double[] gates, int gOff, double[] cPrev, int cpOff,
                            double[] c, int cOff, double[] h, int hOff, double[] act, int aOff) {
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * 4 * hidden, a = aOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = ScalarActivations.sigmoid(gates[g + j]), f = ScalarActivations.sigmoid(gates[g + hidden + j]);
                double gg = Math.tanh(gates[g + 2 * hidden + j]), o = ScalarActivations.sigmoid(gates[g + 3 * hidden + j]);
                double cn = Math.fma(f, cPrev[cpOff + s + j], i * gg);
                act[a + j] = i;
                act[a + hidden + j] = f;
                act[a + 2 * hidden + j] = gg;
                act[a + 3 * hidden + j] = o;
                c[cOff + s + j] = cn;
                h[hOff + s + j] = o * Math.tanh(cn);
            }
        }
    }

    static void lstmBackward(int batch, int hidden, double[] act, int aOff, double[] cPrev, int cpOff, double[] c, int cOff,
                             double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates, int dgOff,
                             double[] dcPrev, int dcpOff) {
        for (int b = 0; b < batch; b++) {
            int a = aOff + b * 4 * hidden, d = dgOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = act[a + j], f = act[a + hidden + j], g = act[a + 2 * hidden + j], o = act[a + 3 * hidden + j];
                double tc = Math.tanh(c[cOff + s + j]);
                double dhv = dh[dhOff + s + j];
                double dcv = dc == null ? 0 : dc[dcOff + s + j];
                double dct = dcv + dhv * o * (1 - tc * tc);
                dGates[d + j] = dct * g * i * (1 - i);
                dGates[d + hidden + j] = dct * cPrev[cpOff + s + j] * f * (1 - f);
                dGates[d + 2 * hidden + j] = dct * i * (1 - g * g);
                dGates[d + 3 * hidden + j] = dhv * tc * o * (1 - o);
                dcPrev[dcpOff + s + j] = dct * f;
            }
        }
    }

    static void gruForward(int batch, int hidden, double[] xg, int xOff, double[] hg, int hgOff, double[] hPrev, int hpOff,
                           double[] h, int hOff, double[] ws, int wsOff) {
        for (int b = 0; b < batch; b++) {
            int x = xOff + b * 3 * hidden, y = hgOff + b * 3 * hidden, w = wsOff + b * 4 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = ScalarActivations.sigmoid(xg[x + j] + hg[y + j]);
                double z = ScalarActivations.sigmoid(xg[x + hidden + j] + hg[y + hidden + j]);
                double hn = hg[y + 2 * hidden + j];
                double n = Math.tanh(Math.fma(r, hn, xg[x + 2 * hidden + j]));
                double hp = hPrev[hpOff + s + j];
                ws[w + j] = r;
                ws[w + hidden + j] = z;
                ws[w + 2 * hidden + j] = n;
                ws[w + 3 * hidden + j] = hn;
                h[hOff + s + j] = Math.fma(z, hp - n, n);
            }
        }
    }

    static void gruBackward(int batch, int hidden, double[] ws, int wsOff, double[] hPrev, int hpOff, double[] dh, int dhOff,
                            double[] dxg, int dxOff, double[] dhg, int dhgOff, double[] dhPrev, int dhpOff) {
        for (int b = 0; b < batch; b++) {
            int w = wsOff + b * 4 * hidden, x = dxOff + b * 3 * hidden, y = dhgOff + b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = ws[w + j], z = ws[w + hidden + j], n = ws[w + 2 * hidden + j], hn = ws[w + 3 * hidden + j];
                double hp = hPrev[hpOff + s + j], d = dh[dhOff + s + j];
                double dnPre = d * (1 - z) * (1 - n * n);
                double drPre = dnPre * hn * r * (1 - r);
                double dzPre = d * (hp - n) * z * (1 - z);
                dxg[x + j] = drPre;
                dxg[x + hidden + j] = dzPre;
                dxg[x + 2 * hidden + j] = dnPre;
                dhg[y + j] = drPre;
                dhg[y + hidden + j] = dzPre;
                dhg[y + 2 * hidden + j] = dnPre * r;
                dhPrev[dhpOff + s + j] = d * z;
            }
        }
    }
}
