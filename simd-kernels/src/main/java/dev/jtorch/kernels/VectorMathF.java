package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float transcendental functions on whole vectors, the bodies of the activation and RNN gate kernels.
 *
 * <p>Accuracy, proven by the exhaustive sweep ({@code ./jtorch sweep}, results in docs/kernels.md) against
 * the correctly rounded value: exp, sigmoid and tanh within 2 ulp over every finite float; NaN gives NaN,
 * exp(+inf) = +inf, exp(-inf) = 0, sigmoid(-inf) = 0, sigmoid(+inf) = 1, tanh(+-inf) = +-1, tanh(-0) = -0,
 * and subnormal inputs and results are handled (exp scales by 2^n in two steps so that subnormal results
 * are rounded once). No division by a value that can be zero; no branch: special ranges are blended.
 */
final class VectorMathF {
    static final VectorSpecies<Float> S = Species.FLOAT;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;       // 11 significant bits: n * LN2_HI is exact
    private static final float LN2_LO = 1.42860682030941723212e-6f; // ln 2 - LN2_HI
    private static final float SHIFTER = 0x1.8p23f;                 // x + SHIFTER - SHIFTER rounds to an integer
    // Taylor coefficients 1/k!: on |r| <= ln2/2 the degree-7 remainder is 5e-9 relative (0.1 ulp).
    private static final float E2 = 1f / 2, E3 = 1f / 6, E4 = 1f / 24, E5 = 1f / 120, E6 = 1f / 720, E7 = 1f / 5040;

    // tanh(x) = x + x^3 P(x^2) on |x| < 0.625, relative error 2.6e-9 (tools/coeffs/fit_tanh.py)
    private static final float T3 = -0.3333333080279843f, T5 = 0.1333320601038949f, T7 = -0.053946763270889445f;
    private static final float T9 = 0.02170070420231481f, T11 = -0.008177400369333237f, T13 = 0.002142963591765134f;
    private static final float TANH_SMALL = 0.625f;
    private static final float TANH_ONE = 10f; // tanh(|x|) rounds to 1 beyond 9.01

    private static final int SIGN = 0x80000000;

    private static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    private VectorMathF() {
    }

    /** e^x. */
    static FloatVector exp(FloatVector x) {
        // Clamp so that n stays in [-150, 129]: exp(-104) rounds to 0 and exp(89) overflows, as they must.
        FloatVector xc = x.max(-104f).min(89f);
        FloatVector fn = xc.mul(LOG2E).add(SHIFTER).sub(SHIFTER);
        FloatVector t = expm1Reduced(xc, fn);
        FloatVector s1 = pow2Half1(fn);
        FloatVector s2 = pow2Half2(fn);
        // e^x = 2^n (1 + t) = (s1 + s1 t) s2: one rounding for normal results, and a subnormal result is
        // rounded once more by the exact power-of-two scaling.
        return s1.fma(t, s1).mul(s2);
        // NaN: max/min propagate NaN, so t is NaN and so is the product.
    }

    /** e^r - 1 for r = x - n ln2, |r| <= ln2/2, as r + r^2 q(r) so that the leading term is exact. */
    private static FloatVector expm1Reduced(FloatVector x, FloatVector fn) {
        FloatVector r = fn.fma(c(-LN2_HI), x);
        r = fn.fma(c(-LN2_LO), r);
        FloatVector q = r.fma(E7, E6);
        q = q.fma(r, c(E5));
        q = q.fma(r, c(E4));
        q = q.fma(r, c(E3));
        q = q.fma(r, c(E2));
        return r.mul(r).fma(q, r);
    }

    /** 2^(n >> 1) for the integral float n: with {@link #pow2Half2} two normal factors of 2^n for n in [-150, 129]. */
    private static FloatVector pow2Half1(FloatVector fn) {
        IntVector n = (IntVector) fn.convert(VectorOperators.F2I, 0);
        return n.lanewise(VectorOperators.ASHR, 1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** 2^(n - (n >> 1)). */
    private static FloatVector pow2Half2(FloatVector fn) {
        IntVector n = (IntVector) fn.convert(VectorOperators.F2I, 0);
        IntVector n2 = n.sub(n.lanewise(VectorOperators.ASHR, 1));
        return n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * 1 / (1 + e^-|x|) for x >= 0 and e^x / (1 + e^x) for x < 0, with e^-|x| = 2^n (1 + t).
     *
     * <p>Rounding the denominator 1 + e to float alone costs up to 0.5 ulp of a value near 1, which a
     * plain {@code e / (1 + e)} turns into 2.24 ulp of the result (x = -2.7513328). So numerator and
     * denominator are carried as exact head + tail pairs (FMA residuals), the quotient is formed with one
     * reciprocal and corrected by one Newton step on the exact residual: within 1 ulp in the sweep.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector z = x.abs().neg().max(-104f);
        FloatVector fn = z.mul(LOG2E).add(SHIFTER).sub(SHIFTER);
        FloatVector t = expm1Reduced(z, fn);
        FloatVector s1 = pow2Half1(fn);
        FloatVector s2 = pow2Half2(fn);
        FloatVector s = s1.mul(s2);
        // numerator: 1, or 2^n (1 + t) = (n1 + nLo) s2 with n1 + nLo = s1 + s1 t exactly
        FloatVector n1 = s1.fma(t, s1);
        FloatVector nLo = s1.fma(t, s1.sub(n1));
        VectorMask<Float> pos = x.compare(VectorOperators.GE, 0f);
        FloatVector numHi = n1.mul(s2).blend(1f, pos);
        FloatVector numLo = nLo.mul(s2).blend(0f, pos);
        // denominator: (1 + s) + s t = den + dLo
        FloatVector onePlusS = s.add(1f);
        FloatVector den = s.fma(t, onePlusS);
        FloatVector dLo = s.fma(t, onePlusS.sub(den));
        FloatVector inv = FloatVector.broadcast(S, 1f).div(den);
        FloatVector q0 = numHi.mul(inv);
        FloatVector res = q0.neg().fma(den, numHi);          // numHi - q0 den, exact
        res = q0.neg().fma(dLo, res.add(numLo));             // + numLo - q0 dLo
        return res.fma(inv, q0);
        // NaN: z, t and everything after are NaN.
    }

    /** tanh x: an odd polynomial near 0, 1 - 2 / (e^(2|x|) + 1) beyond, and the sign of x put back. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.min(TANH_ONE).mul(2f));
        FloatVector big = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f);
        FloatVector x2 = ax.mul(ax);
        FloatVector p = x2.fma(T13, T11);
        p = p.fma(x2, c(T9));
        p = p.fma(x2, c(T7));
        p = p.fma(x2, c(T5));
        p = p.fma(x2, c(T3));
        FloatVector small = ax.mul(x2).fma(p, ax);
        FloatVector mag = big.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
        return copySign(mag, x);
    }

    static FloatVector copySign(FloatVector magnitude, FloatVector sign) {
        IntVector s = sign.reinterpretAsInts().and(SIGN);
        return magnitude.reinterpretAsInts().or(s).reinterpretAsFloats();
    }

    /** Natural logarithm: x = m 2^k with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m - 1) / (m + 1)). */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(0x1p23f), sub);
        IntVector ix = xs.reinterpretAsInts().add(0x3f800000 - 0x3f3504f3);
        IntVector k = ix.lanewise(VectorOperators.ASHR, 23).sub(127);
        k = k.sub(IntVector.zero(Species.INT).blend(23, sub.cast(Species.INT)));
        FloatVector m = ix.and(0x007fffff).add(0x3f3504f3).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        // 2 atanh s = 2s (1 + s^2/3 + s^4/5 + ...), |s| <= 0.1716: five terms leave 4e-10 relative
        FloatVector q = s2.fma(2f / 11, 2f / 9);
        q = q.fma(s2, c(2f / 7));
        q = q.fma(s2, c(2f / 5));
        q = q.fma(s2, c(2f / 3));
        FloatVector logm = s.mul(s2).fma(q, s.mul(2f));
        FloatVector kf = (FloatVector) k.convert(VectorOperators.I2F, 0);
        FloatVector r = kf.fma(c(LN2_HI), kf.fma(c(LN2_LO), logm));
        // Special values: log(+inf) = +inf, log(NaN) = NaN, log(0) = -inf, log(x < 0) = NaN.
        r = r.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
    }

    /**
     * erf x: for |x| < 2 the series 2/sqrt(pi) x e^(-x^2) sum (2x^2)^n / (2n+1)!! (positive terms, 20 of them),
     * for |x| >= 2 one minus the continued fraction of erfc (12 levels), and +-1 beyond 4. A few ulp.
     */
    static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs().min(4f);
        FloatVector u = ax.mul(ax);
        FloatVector h = FloatVector.broadcast(S, 1f);
        for (int n = 20; n >= 1; n--) {
            h = u.mul(2f / (2 * n + 1)).fma(h, c(1f));
        }
        FloatVector e = exp(u.neg());
        FloatVector series = ax.mul(1.1283791670955126f).mul(e).mul(h);
        FloatVector xf = ax.max(2f);
        FloatVector f = xf;
        for (int k = 12; k >= 1; k--) {
            f = xf.add(FloatVector.broadcast(S, k * 0.5f).div(f));
        }
        FloatVector cf = e.mul(0.5641895835477563f).div(f).neg().add(1f);
        FloatVector mag = cf.blend(series, ax.compare(VectorOperators.LT, 2f));
        mag = mag.blend(x, x.test(VectorOperators.IS_NAN));
        return copySign(mag, x);
    }
}
