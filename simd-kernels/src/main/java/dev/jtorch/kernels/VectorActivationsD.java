package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API double activations, the twin of {@link VectorActivationsF} line for line, and their derivatives (see {@link Activations}). Each loop runs whole vectors
 * to {@code loopBound(n)} and finishes with one masked vector, so the tail takes the same arithmetic as the
 * body. One vector per iteration: the functions are long dependency chains of independent lanes already,
 * and unrolling by two measured no faster (the FMA ports are busy).
 */
final class VectorActivationsD {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final double SQRT1_2 = ScalarActivations.SQRT1_2;
    private static final double GK = ScalarActivations.GELU_TANH_K;
    private static final double GC = ScalarActivations.GELU_TANH_C;
    private static final double INV_SQRT_2PI = ScalarActivations.INV_SQRT_2PI;

    private static DoubleVector c(double v) {
        return DoubleVector.broadcast(S, v);
    }

    private VectorActivationsD() {
    }

    static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathD.exp(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            VectorMathD.exp(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathD.log(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            VectorMathD.log(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathD.sigmoid(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            VectorMathD.sigmoid(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathD.tanh(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            VectorMathD.tanh(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector.fromArray(S, x, xOff + i).max(0.0).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xOff + i, m).max(0.0).intoArray(y, yOff + i, m);
        }
    }

    private static DoubleVector gelu(DoubleVector v) {
        return VectorMathD.erf(v.mul(SQRT1_2)).add(1.0).mul(v.mul(0.5));
    }

    static void gelu(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            gelu(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            gelu(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static DoubleVector geluTanhInner(DoubleVector v) {
        return VectorMathD.tanh(v.mul(v).mul(GC).fma(v, v).mul(GK));
    }

    private static DoubleVector geluTanh(DoubleVector v) {
        return geluTanhInner(v).add(1.0).mul(v.mul(0.5));
    }

    static void geluTanh(double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            geluTanh(DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            geluTanh(DoubleVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** log1p(e^(beta x)) / beta, or x where beta x > threshold; log1p(e) = log(u) * e / (u - 1) with u = 1 + e. */
    private static DoubleVector softplus(DoubleVector v, double beta, double threshold) {
        DoubleVector bx = v.mul(beta);
        DoubleVector e = VectorMathD.exp(bx);
        DoubleVector u = e.add(1.0);
        DoubleVector um1 = u.sub(1.0);
        VectorMask<Double> exact = um1.compare(VectorOperators.EQ, 0.0);
        DoubleVector l1p = VectorMathD.log(u).mul(e.div(um1.blend(1.0, exact))).blend(e, exact);
        return l1p.div(beta).blend(v, bx.compare(VectorOperators.GT, threshold));
    }

    static void softplus(double[] x, int xOff, double[] y, int yOff, int n, double beta, double threshold) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            softplus(DoubleVector.fromArray(S, x, xOff + i), beta, threshold).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            softplus(DoubleVector.fromArray(S, x, xOff + i, m), beta, threshold).intoArray(y, yOff + i, m);
        }
    }

    static void sigmoidBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector s = DoubleVector.fromArray(S, y, yOff + i);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            g.mul(s).mul(s.neg().add(1.0)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector s = DoubleVector.fromArray(S, y, yOff + i, m);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            g.mul(s).mul(s.neg().add(1.0)).intoArray(dx, dxOff + i, m);
        }
    }

    static void tanhBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector t = DoubleVector.fromArray(S, y, yOff + i);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            g.mul(t.mul(t).neg().add(1.0)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector t = DoubleVector.fromArray(S, y, yOff + i, m);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            g.mul(t.mul(t).neg().add(1.0)).intoArray(dx, dxOff + i, m);
        }
    }

    static void reluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            DoubleVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0.0)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + i, m);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            DoubleVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0.0)).intoArray(dx, dxOff + i, m);
        }
    }

    /** d gelu / dx = Phi(x) + x phi(x). */
    private static DoubleVector geluGrad(DoubleVector v) {
        DoubleVector cdf = VectorMathD.erf(v.mul(SQRT1_2)).add(1.0).mul(0.5);
        DoubleVector pdf = VectorMathD.exp(v.mul(v).mul(-0.5)).mul(INV_SQRT_2PI);
        return v.fma(pdf, cdf);
    }

    static void geluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            g.mul(geluGrad(DoubleVector.fromArray(S, x, xOff + i))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            g.mul(geluGrad(DoubleVector.fromArray(S, x, xOff + i, m))).intoArray(dx, dxOff + i, m);
        }
    }

    /** 0.5 (1 + t) + 0.5 x (1 - t^2) k (1 + 3 c x^2), t = tanh(k (x + c x^3)). */
    private static DoubleVector geluTanhGrad(DoubleVector x) {
        DoubleVector v = x.max(-20.0).min(20.0); // beyond, the gradient is exactly 0 or 1 and x^2 could overflow
        DoubleVector t = geluTanhInner(v);
        DoubleVector inner = v.mul(v).mul(3 * GC * GK).add(GK);
        DoubleVector left = t.add(1.0).mul(0.5);
        DoubleVector g = v.mul(0.5).mul(t.mul(t).neg().add(1.0)).fma(inner, left);
        return g.blend(Double.NaN, x.abs().compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)); // inf * 0, as the twin
    }

    static void geluTanhBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            g.mul(geluTanhGrad(DoubleVector.fromArray(S, x, xOff + i))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            g.mul(geluTanhGrad(DoubleVector.fromArray(S, x, xOff + i, m))).intoArray(dx, dxOff + i, m);
        }
    }

    static void softplusBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n,
                                 double beta, double threshold) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector bx = DoubleVector.fromArray(S, x, xOff + i).mul(beta);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i);
            g.mul(VectorMathD.sigmoid(bx)).blend(g, bx.compare(VectorOperators.GT, threshold)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector bx = DoubleVector.fromArray(S, x, xOff + i, m).mul(beta);
            DoubleVector g = DoubleVector.fromArray(S, dy, dyOff + i, m);
            g.mul(VectorMathD.sigmoid(bx)).blend(g, bx.compare(VectorOperators.GT, threshold)).intoArray(dx, dxOff + i, m);
        }
    }
}
