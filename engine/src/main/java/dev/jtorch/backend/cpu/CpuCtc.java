package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;

import java.util.Arrays;

/**
 * CTC loss (Graves et al. 2006) as PyTorch's CPU implementation: the forward (alpha) recursion in log space
 * over the blank-extended target, in double, and the backward by the beta recursion, whose gradient is the
 * one for log-probabilities produced by log_softmax (it includes the softmax normalisation), as PyTorch's.
 */
final class CpuCtc {
    private CpuCtc() {
    }

    private static double lse(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    private static int label(long[] tv, int offset, int q, int blank) {
        return (q & 1) == 0 ? blank : (int) tv[offset + q / 2];
    }

    /** The contiguous values of a view as doubles. */
    private static double[] doubles(View v) {
        CpuStorage s = (CpuStorage) v.storage();
        int n = v.intNumel();
        double[] out = new double[n];
        int o = v.storageOffset();
        if (s.d != null) {
            System.arraycopy(s.d, o, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = s.get(o + i);
            }
        }
        return out;
    }

    private static long[] longs(View v) {
        CpuStorage s = (CpuStorage) v.storage();
        return Arrays.copyOfRange(s.l, v.storageOffset(), v.storageOffset() + v.intNumel());
    }

    static void run(Op op, View logProbs, View targets, long[] il, long[] tl, int[] offsets, int blank, View nll,
                    View alpha, View gradOut, View grad) {
        int tMax = logProbs.size(0);
        int n = logProbs.size(1);
        int c = logProbs.size(2);
        int len0 = alpha.size(2);
        double[] x = doubles(logProbs);
        long[] tv = longs(targets);
        CpuStorage alphaS = (CpuStorage) alpha.storage();
        int alphaOff = alpha.storageOffset();
        CpuStorage nllS = (CpuStorage) nll.storage();
        if (op == Op.CTC_LOSS) {
            for (int b = 0; b < n; b++) {
                int s = (int) tl[b];
                int len = 2 * s + 1;
                int tb = (int) il[b];
                double[] a = new double[Math.max(tb, 1) * len];
                Arrays.fill(a, Double.NEGATIVE_INFINITY);
                double result;
                if (tb > 0) {
                    a[0] = x[b * c + blank];
                    if (s > 0) {
                        a[1] = x[b * c + label(tv, offsets[b], 1, blank)];
                    }
                    for (int t = 1; t < tb; t++) {
                        for (int q = 0; q < len; q++) {
                            int l = label(tv, offsets[b], q, blank);
                            double v = a[(t - 1) * len + q];
                            if (q > 0) {
                                v = lse(v, a[(t - 1) * len + q - 1]);
                            }
                            if (q > 1 && l != blank && l != label(tv, offsets[b], q - 2, blank)) {
                                v = lse(v, a[(t - 1) * len + q - 2]);
                            }
                            a[t * len + q] = v + x[(t * n + b) * c + l];
                        }
                    }
                    double end = a[(tb - 1) * len + len - 1];
                    if (len > 1) {
                        end = lse(end, a[(tb - 1) * len + len - 2]);
                    }
                    result = -end;
                } else {
                    result = s == 0 ? 0 : Double.POSITIVE_INFINITY;
                }
                nllS.set(nll.storageOffset() + b, result);
                for (int t = 0; t < Math.max(tb, 1) && t < tMax; t++) {
                    for (int q = 0; q < len; q++) {
                        alphaS.set(alphaOff + (b * tMax + t) * len0 + q, a[t * len + q]);
                    }
                }
            }
            return;
        }
        // CTC_LOSS_BACKWARD
        double[] go = doubles(gradOut);
        double[] nl = doubles(nll);
        CpuStorage gs = (CpuStorage) grad.storage();
        int gOff = grad.storageOffset();
        double[] lcab = new double[c];
        for (int b = 0; b < n; b++) {
            int tb = (int) il[b];
            int s = (int) tl[b];
            int len = 2 * s + 1;
            double scale = go[b];
            if (scale == 0 || tb == 0) {
                continue;
            }
            double[] be = new double[tb * len];
            Arrays.fill(be, Double.NEGATIVE_INFINITY);
            be[(tb - 1) * len + len - 1] = x[((tb - 1) * n + b) * c + blank];
            if (len > 1) {
                be[(tb - 1) * len + len - 2] = x[((tb - 1) * n + b) * c + label(tv, offsets[b], len - 2, blank)];
            }
            for (int t = tb - 2; t >= 0; t--) {
                for (int q = 0; q < len; q++) {
                    int l = label(tv, offsets[b], q, blank);
                    double v = be[(t + 1) * len + q];
                    if (q < len - 1) {
                        v = lse(v, be[(t + 1) * len + q + 1]);
                    }
                    if (q < len - 2 && l != blank && l != label(tv, offsets[b], q + 2, blank)) {
                        v = lse(v, be[(t + 1) * len + q + 2]);
                    }
                    be[t * len + q] = v + x[(t * n + b) * c + l];
                }
            }
            for (int t = 0; t < tb; t++) {
                Arrays.fill(lcab, Double.NEGATIVE_INFINITY);
                for (int q = 0; q < len; q++) {
                    int l = label(tv, offsets[b], q, blank);
                    double a = alphaS.get(alphaOff + (b * tMax + t) * len0 + q);
                    lcab[l] = lse(lcab[l], a + be[t * len + q]);
                }
                for (int k = 0; k < c; k++) {
                    double lpv = x[(t * n + b) * c + k];
                    gs.set(gOff + (t * n + b) * c + k, (Math.exp(lpv) - Math.exp(lcab[k] + nl[b] - lpv)) * scale);
                }
            }
        }
    }
}
