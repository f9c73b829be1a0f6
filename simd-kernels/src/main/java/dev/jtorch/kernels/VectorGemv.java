package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMV on {@link PackedGemv} panels. float32: panels of eight vectors, per row one broadcast of x,
 * eight loads and eight fused multiply-adds into eight accumulators that start from y (one FMA chain per column,
 * in row order). bfloat16: panels of four vectors, per pair of rows four loads that each hold both rows, widened
 * by a shift and a mask, and eight FMAs (the even rows' chain starts from y, the odd rows' from zero, added at
 * the end). Eight chains hide the FMA latency on two-port machines. The last panel goes through a zero-padded scratch row of y, so
 * nothing reads or writes past the caller's n columns.
 */
final class VectorGemv {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final VectorSpecies<Integer> SI = Species.INT;
    private static final int L = S.length();
    /** Columns per panel of a bfloat16 matrix: four vectors (each load holds two rows). */
    static final int NP = 4 * L;
    /** Columns per panel of a float32 matrix: eight vectors, eight FMA chains over one row at a time. */
    static final int NPF = 8 * L;

    private VectorGemv() {
    }

    static void gemv(float[] x, int xOff, PackedGemv w, float[] y, int yOff) {
        int k = w.k;
        int n = w.n;
        int np = w.np;
        for (int c0 = 0; c0 < n; c0 += np) {
            int p = c0 / np;
            boolean full = c0 + np <= n;
            float[] yy = y;
            int yb = yOff + c0;
            if (!full) {
                yy = Workspace.floats(Workspace.TAIL_B, np);
                java.util.Arrays.fill(yy, 0f);
                System.arraycopy(y, yOff + c0, yy, 0, n - c0);
                yb = 0;
            }
            if (w.bf16 != null) {
                panelBf16(x, xOff, k, w.bf16, p * ((k + 1) / 2) * NP, yy, yb);
            } else {
                panelF(x, xOff, k, w.floats, p * k * NPF, yy, yb);
            }
            if (!full) {
                System.arraycopy(yy, 0, y, yOff + c0, n - c0);
            }
        }
    }

    private static void panelF(float[] x, int xOff, int k, float[] w, int base, float[] y, int yb) {
        FloatVector a0 = FloatVector.fromArray(S, y, yb);
        FloatVector a1 = FloatVector.fromArray(S, y, yb + L);
        FloatVector a2 = FloatVector.fromArray(S, y, yb + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, y, yb + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, y, yb + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, y, yb + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, y, yb + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, y, yb + 7 * L);
        for (int kk = 0; kk < k; kk++) {
            FloatVector xa = FloatVector.broadcast(S, x[xOff + kk]);
            int o = base + kk * NPF;
            a0 = FloatVector.fromArray(S, w, o).fma(xa, a0);
            a1 = FloatVector.fromArray(S, w, o + L).fma(xa, a1);
            a2 = FloatVector.fromArray(S, w, o + 2 * L).fma(xa, a2);
            a3 = FloatVector.fromArray(S, w, o + 3 * L).fma(xa, a3);
            a4 = FloatVector.fromArray(S, w, o + 4 * L).fma(xa, a4);
            a5 = FloatVector.fromArray(S, w, o + 5 * L).fma(xa, a5);
            a6 = FloatVector.fromArray(S, w, o + 6 * L).fma(xa, a6);
            a7 = FloatVector.fromArray(S, w, o + 7 * L).fma(xa, a7);
        }
        a0.intoArray(y, yb);
        a1.intoArray(y, yb + L);
        a2.intoArray(y, yb + 2 * L);
        a3.intoArray(y, yb + 3 * L);
        a4.intoArray(y, yb + 4 * L);
        a5.intoArray(y, yb + 5 * L);
        a6.intoArray(y, yb + 6 * L);
        a7.intoArray(y, yb + 7 * L);
    }

    private static void panelBf16(float[] x, int xOff, int k, int[] w, int base, float[] y, int yb) {
        FloatVector a0 = FloatVector.fromArray(S, y, yb);
        FloatVector a1 = FloatVector.fromArray(S, y, yb + L);
        FloatVector a2 = FloatVector.fromArray(S, y, yb + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, y, yb + 3 * L);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = b0;
        FloatVector b2 = b0;
        FloatVector b3 = b0;
        int pairs = (k + 1) / 2;
        for (int q = 0; q < pairs; q++) {
            FloatVector xa = FloatVector.broadcast(S, x[xOff + 2 * q]);
            FloatVector xb = FloatVector.broadcast(S, 2 * q + 1 < k ? x[xOff + 2 * q + 1] : 0f);
            int o = base + q * NP;
            IntVector v0 = IntVector.fromArray(SI, w, o);
            IntVector v1 = IntVector.fromArray(SI, w, o + L);
            IntVector v2 = IntVector.fromArray(SI, w, o + 2 * L);
            IntVector v3 = IntVector.fromArray(SI, w, o + 3 * L);
            a0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xa, a0);
            a1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xa, a1);
            a2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xa, a2);
            a3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xa, a3);
            b0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xb, b0);
            b1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xb, b1);
            b2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(xb, b2);
            b3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(xb, b3);
        }
        a0.add(b0).intoArray(y, yb);
        a1.add(b1).intoArray(y, yb + L);
        a2.add(b2).intoArray(y, yb + 2 * L);
        a3.add(b3).intoArray(y, yb + 3 * L);
    }
}
