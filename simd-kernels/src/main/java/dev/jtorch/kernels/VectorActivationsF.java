package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float activations and their derivatives (see {@link Activations}). Each loop runs whole vectors
 * to {@code loopBound(n)} and finishes with one masked vector, so the tail takes the same arithmetic as the
 * body. One vector per iteration: the functions are long dependency chains of independent lanes already,
 * and unrolling by two measured no faster (the FMA ports are busy).
 */
final class VectorActivationsF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final float SQRT1_2 = (float) ScalarActivations.SQRT1_2;
    private static final float GK = (float) ScalarActivations.GELU_TANH_K;
    private static final float GC = (float) ScalarActivations.GELU_TANH_C;
    private static final float INV_SQRT_2PI = (float) ScalarActivations.INV_SQRT_2PI;

    private static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    private VectorActivationsF() {
    }

    static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathF.exp(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMathF.exp(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathF.log(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMathF.log(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathF.sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMathF.sigmoid(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMathF.tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMathF.tanh(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).max(0f).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector gelu(FloatVector v) {
        return VectorMathF.erf(v.mul(SQRT1_2)).add(1f).mul(v.mul(0.5f));
    }

    static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            gelu(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            gelu(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector geluTanhInner(FloatVector v) {
        return VectorMathF.tanh(v.mul(v).mul(GC).fma(v, v).mul(GK));
    }

    private static FloatVector geluTanh(FloatVector v) {
        return geluTanhInner(v).add(1f).mul(v.mul(0.5f));
    }

    static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            geluTanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            geluTanh(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** log1p(e^(beta x)) / beta, or x where beta x > threshold; log1p(e) = log(u) * e / (u - 1) with u = 1 + e. */
    private static FloatVector softplus(FloatVector v, float beta, float threshold) {
        FloatVector bx = v.mul(beta);
        FloatVector e = VectorMathF.exp(bx);
        FloatVector u = e.add(1f);
        FloatVector um1 = u.sub(1f);
        VectorMask<Float> exact = um1.compare(VectorOperators.EQ, 0f);
        FloatVector l1p = VectorMathF.log(u).mul(e.div(um1.blend(1f, exact))).blend(e, exact);
        return l1p.div(beta).blend(v, bx.compare(VectorOperators.GT, threshold));
    }

    static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta, float threshold) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            softplus(FloatVector.fromArray(S, x, xOff + i), beta, threshold).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            softplus(FloatVector.fromArray(S, x, xOff + i, m), beta, threshold).intoArray(y, yOff + i, m);
        }
    }

    static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i, m);
        }
    }

    static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(t.mul(t).neg().add(1f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(t.mul(t).neg().add(1f)).intoArray(dx, dxOff + i, m);
        }
    }

    static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            FloatVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            FloatVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i, m);
        }
    }

    /** d gelu / dx = Phi(x) + x phi(x). */
    private static FloatVector geluGrad(FloatVector v) {
        FloatVector cdf = VectorMathF.erf(v.mul(SQRT1_2)).add(1f).mul(0.5f);
        FloatVector pdf = VectorMathF.exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI);
        return v.fma(pdf, cdf);
    }

    static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(geluGrad(FloatVector.fromArray(S, x, xOff + i))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(geluGrad(FloatVector.fromArray(S, x, xOff + i, m))).intoArray(dx, dxOff + i, m);
        }
    }

    /** 0.5 (1 + t) + 0.5 x (1 - t^2) k (1 + 3 c x^2), t = tanh(k (x + c x^3)). */
    private static FloatVector geluTanhGrad(FloatVector x) {
        FloatVector v = x.max(-10f).min(10f); // beyond, the gradient is exactly 0 or 1 and x^2 could overflow
        FloatVector t = geluTanhInner(v);
        FloatVector inner = v.mul(v).mul(3f * GC * GK).add(GK);
        FloatVector left = t.add(1f).mul(0.5f);
        FloatVector g = v.mul(0.5f).mul(t.mul(t).neg().add(1f)).fma(inner, left);
        return g.blend(Float.NaN, x.abs().compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)); // inf * 0, as the twin
    }

    static void geluTanhBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(geluTanhGrad(FloatVector.fromArray(S, x, xOff + i))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(geluTanhGrad(FloatVector.fromArray(S, x, xOff + i, m))).intoArray(dx, dxOff + i, m);
        }
    }

    static void softplusBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n,
                                 float beta, float threshold) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector bx = FloatVector.fromArray(S, x, xOff + i).mul(beta);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(VectorMathF.sigmoid(bx)).blend(g, bx.compare(VectorOperators.GT, threshold)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector bx = FloatVector.fromArray(S, x, xOff + i, m).mul(beta);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(VectorMathF.sigmoid(bx)).blend(g, bx.compare(VectorOperators.GT, threshold)).intoArray(dx, dxOff + i, m);
        }
    }
}
