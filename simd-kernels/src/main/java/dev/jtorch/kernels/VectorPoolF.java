package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API max pooling without indices (float; the inference case), for windows shared by all planes with
 * dilation 1: a window's maximum is separable, so per output row the valid input rows of its window are
 * reduced lanewise into one row (contiguous loads), a sliding maximum over the kernel's width is taken
 * lanewise along that row (padded with -inf), and each output reads its window's entry: no data-dependent
 * branches (the compare-and-branch loop ran 4x slower on random data, for its mispredictions). NaN propagates as in
 * PyTorch (lanewise MAX and Math.max return NaN when either operand is NaN).
 * The generic {@code PoolF.max} is its twin (and computes indices).
 */
final class VectorPoolF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();

    private VectorPoolF() {
    }

    /** Whether {@link #max} covers these windows. */
    static boolean separable(PoolWindows w) {
        if (w.perPlane || w.dilation[0] != 1 || w.dilation[1] != 1 || w.dilation[2] != 1) {
            return false;
        }
        for (int c : w.count[2]) {
            if (c != w.count[2][0]) {
                return false;   // adaptive windows of several widths
            }
        }
        return true;
    }

    static void max(PoolWindows w, float[] x, int xOff, float[] y, int yOff) {
        int inD = w.in[0], inH = w.in[1], inW = w.in[2];
        int is = w.inSpatial();
        int ow = w.out[2];
        // the row is stored at offset lead in a buffer padded with -inf on both sides, so that every (clipped)
        // window is a plain run of kw entries; then win[j] = max(buf[j .. j + kw)) for every start j
        int lead = Math.max(0, -w.start[2][0]);
        int kw = ow == 0 ? 1 : w.count[2][0];
        int last = 0;
        for (int o = 0; o < ow; o++) {
            last = Math.max(last, w.start[2][o] + lead);
        }
        int jEnd = (last / L + 1) * L;                     // window starts computed, whole vectors
        int span = Math.max(jEnd + kw, lead + inW) + L;
        float[] buf = Workspace.floats(Workspace.VEC_X, span);
        float[] win = Workspace.floats(Workspace.VEC_Y, jEnd);
        java.util.Arrays.fill(buf, 0, span, Float.NEGATIVE_INFINITY);
        int vb = S.loopBound(inW);
        int o = yOff;
        for (int p = 0; p < w.planes; p++) {
            int xp = xOff + p * is;
            for (int od = 0; od < w.out[0]; od++) {
                int d0 = Math.max(0, w.start[0][od]), d1 = Math.min(inD, w.start[0][od] + w.count[0][od]);
                for (int oh = 0; oh < w.out[1]; oh++) {
                    int h0 = Math.max(0, w.start[1][oh]), h1 = Math.min(inH, w.start[1][oh] + w.count[1][oh]);
                    boolean first = true;
                    for (int d = d0; d < d1; d++) {
                        for (int h = h0; h < h1; h++) {
                            int r = xp + (d * inH + h) * inW;
                            if (first) {
                                System.arraycopy(x, r, buf, lead, inW);
                                first = false;
                                continue;
                            }
                            int i = 0;
                            for (; i < vb; i += L) {
                                FloatVector.fromArray(S, x, r + i).lanewise(VectorOperators.MAX,
                                        FloatVector.fromArray(S, buf, lead + i)).intoArray(buf, lead + i);
                            }
                            for (; i < inW; i++) {
                                buf[lead + i] = Math.max(buf[lead + i], x[r + i]);
                            }
                        }
                    }
                    // sliding maximum over kw columns, lanewise (no data-dependent branches)
                    for (int j = 0; j < jEnd; j += L) {
                        FloatVector m = FloatVector.fromArray(S, buf, j);
                        for (int c = 1; c < kw; c++) {
                            m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, buf, j + c));
                        }
                        m.intoArray(win, j);
                    }
                    for (int c = 0; c < ow; c++, o++) {
                        y[o] = win[w.start[2][c] + lead];
                    }
                }
            }
        }
    }
}
