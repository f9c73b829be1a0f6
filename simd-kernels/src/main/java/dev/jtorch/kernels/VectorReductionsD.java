package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API double row-wise reductions and softmax (see {@link Reductions}). Each row runs in masked vectors;
 * masked-off lanes keep the accumulator's value (lanewise with a mask), so no padding value is needed.
 */
final class VectorReductionsD {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final int L = S.length();

    private VectorReductionsD() {
    }

    static double sum(double[] x, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0;
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            s0 = s0.add(DoubleVector.fromArray(S, x, off + i));
            s1 = s1.add(DoubleVector.fromArray(S, x, off + i + L));
        }
        for (; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            s0 = s0.add(DoubleVector.fromArray(S, x, off + i, m), m);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** The maximum, NaN if any element is NaN (MAX propagates NaN, as torch.max does). */
    static double max(double[] x, int off, int n) {
        DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            acc = acc.lanewise(VectorOperators.MAX, DoubleVector.fromArray(S, x, off + i, m), m);
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /** Index of the first maximum, or of the first NaN if there is one (torch.argmax's convention). */
    static int argmax(double[] x, int off, int n) {
        double mx = max(x, off, n);
        boolean nan = Double.isNaN(mx);
        for (int i = 0; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, off + i, m);
            VectorMask<Double> hit = (nan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, mx)).and(m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return 0;
    }

    static void rowSum(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            y[yOff + r] = sum(x, xOff + r * ldx, cols);
        }
    }

    static void rowMax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            y[yOff + r] = max(x, xOff + r * ldx, cols);
        }
    }

    static void rowArgmax(int rows, int cols, double[] x, int xOff, int ldx, long[] idx, int idxOff) {
        for (int r = 0; r < rows; r++) {
            idx[idxOff + r] = argmax(x, xOff + r * ldx, cols);
        }
    }

    /** y = exp(x - max) / sum exp(x - max) per row: max pass, exp-and-sum pass (writing y), scale pass. */
    static void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            DoubleVector mx = DoubleVector.broadcast(S, max(x, xr, cols));
            DoubleVector acc = DoubleVector.zero(S);
            for (int i = 0; i < cols; i += L) {
                VectorMask<Double> m = S.indexInRange(i, cols);
                DoubleVector e = VectorMathD.exp(DoubleVector.fromArray(S, x, xr + i, m).sub(mx));
                acc = acc.add(e, m);
                e.intoArray(y, yr + i, m);
            }
            double inv = 1 / acc.reduceLanes(VectorOperators.ADD);
            for (int i = 0; i < cols; i += L) {
                VectorMask<Double> m = S.indexInRange(i, cols);
                DoubleVector.fromArray(S, y, yr + i, m).mul(inv).intoArray(y, yr + i, m);
            }
        }
    }

    /** y = x - max - log(sum exp(x - max)) per row. */
    static void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double mxs = max(x, xr, cols);
            DoubleVector mx = DoubleVector.broadcast(S, mxs);
            DoubleVector acc = DoubleVector.zero(S);
            for (int i = 0; i < cols; i += L) {
                VectorMask<Double> m = S.indexInRange(i, cols);
                acc = acc.add(VectorMathD.exp(DoubleVector.fromArray(S, x, xr + i, m).sub(mx)), m);
            }
            double shift = mxs + (double) Math.log(acc.reduceLanes(VectorOperators.ADD));
            for (int i = 0; i < cols; i += L) {
                VectorMask<Double> m = S.indexInRange(i, cols);
                DoubleVector.fromArray(S, x, xr + i, m).sub(shift).intoArray(y, yr + i, m);
            }
        }
    }
}
