package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API double elementwise arithmetic and dot (see {@link Elementwise}): whole vectors to
 * {@code loopBound(n)}, then one masked vector with the same arithmetic. One loop per operation, so that
 * no vector value crosses a branch merge (which would box it).
 */
final class VectorElementwiseD {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final int L = S.length();

    private VectorElementwiseD() {
    }

    static void add(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, aOff + i).add(DoubleVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, aOff + i, m).add(DoubleVector.fromArray(S, b, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void sub(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, aOff + i).sub(DoubleVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, aOff + i, m).sub(DoubleVector.fromArray(S, b, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void mul(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, aOff + i).mul(DoubleVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, aOff + i, m).mul(DoubleVector.fromArray(S, b, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void div(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, aOff + i).div(DoubleVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, aOff + i, m).div(DoubleVector.fromArray(S, b, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** y = alpha * x + y, one FMA per element. */
    static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).fma(av, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xOff + i, m).fma(av, DoubleVector.fromArray(S, y, yOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void scale(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xOff + i, m).mul(alpha).intoArray(y, yOff + i, m);
        }
    }

    /** Four independent accumulators: enough to hide the FMA latency while two loads per FMA bound the loop. */
    static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - n % (4 * L); i < bound; i += 4 * L) {
            s0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), s0);
            s1 = DoubleVector.fromArray(S, x, xOff + i + L).fma(DoubleVector.fromArray(S, y, yOff + i + L), s1);
            s2 = DoubleVector.fromArray(S, x, xOff + i + 2 * L).fma(DoubleVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = DoubleVector.fromArray(S, x, xOff + i + 3 * L).fma(DoubleVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            s0 = DoubleVector.fromArray(S, x, xOff + i, m).fma(DoubleVector.fromArray(S, y, yOff + i, m), s0);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
}
