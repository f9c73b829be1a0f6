package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double transcendental functions on whole vectors: the algorithms of {@link VectorMathF} with enough terms
 * for double precision (a few ulp; tested against {@link Math} and against a high-precision erf).
 */
final class VectorMathD {
    static final VectorSpecies<Double> S = Species.DOUBLE;

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01; // 32 significant bits
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double SHIFTER = 0x1.8p52;
    private static final int EXP_TERMS = 13; // remainder of the degree-13 Taylor polynomial: 4e-18 on |r| <= ln2/2
    private static final double[] INV_FACT = new double[EXP_TERMS + 1];

    // tanh(x) = x + x^3 P(x^2) on |x| < 0.625, relative error 7e-18 (tools/coeffs/fit_tanh.py)
    private static final double[] TANH = {
        -0.33333333333333315, 0.13333333333329744, -0.05396825396605902, 0.02186948846871787,
        -0.008863234312610612, 0.0035921140001428597, -0.0014557259495594482, 0.0005894518046174504,
        -0.00023701174455957393, 9.155843514811393e-05, -3.0187242388730487e-05, 6.042477315466652e-06,
    };

    private static final long SIGN = 0x8000000000000000L;

    static {
        double f = 1;
        for (int k = 0; k <= EXP_TERMS; k++) {
            f = k == 0 ? 1 : f * k;
            INV_FACT[k] = 1 / f;
        }
    }

    private static DoubleVector c(double v) {
        return DoubleVector.broadcast(S, v);
    }

    private VectorMathD() {
    }

    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(-746.0).min(710.0);
        DoubleVector fn = xc.mul(LOG2E).add(SHIFTER).sub(SHIFTER);
        DoubleVector r = fn.fma(c(-LN2_HI), xc);
        r = fn.fma(c(-LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(S, INV_FACT[EXP_TERMS]);
        for (int k = EXP_TERMS - 1; k >= 0; k--) {
            p = p.fma(r, c(INV_FACT[k]));
        }
        LongVector n = (LongVector) fn.convert(VectorOperators.D2L, 0);
        LongVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        LongVector n2 = n.sub(n1);
        DoubleVector s1 = n1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = n2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = exp(x.abs().neg());
        DoubleVector num = e.blend(1.0, x.compare(VectorOperators.GE, 0.0));
        return num.div(e.add(1.0));
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs();
        DoubleVector e = exp(ax.min(20.0).mul(2.0));
        DoubleVector big = DoubleVector.broadcast(S, 2.0).div(e.add(1.0)).neg().add(1.0);
        DoubleVector x2 = ax.mul(ax);
        DoubleVector p = DoubleVector.broadcast(S, TANH[TANH.length - 1]);
        for (int j = TANH.length - 2; j >= 0; j--) {
            p = p.fma(x2, c(TANH[j]));
        }
        DoubleVector small = ax.mul(x2).fma(p, ax);
        DoubleVector mag = big.blend(small, ax.compare(VectorOperators.LT, 0.625));
        return copySign(mag, x);
    }

    static DoubleVector copySign(DoubleVector magnitude, DoubleVector sign) {
        LongVector s = sign.reinterpretAsLongs().and(SIGN);
        return magnitude.reinterpretAsLongs().or(s).reinterpretAsDoubles();
    }

    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> sub = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(0x1p52), sub);
        LongVector ix = xs.reinterpretAsLongs().add(0x3ff0000000000000L - 0x3fe6a09e667f3bcdL);
        LongVector k = ix.lanewise(VectorOperators.ASHR, 52).sub(1023);
        k = k.sub(LongVector.zero(Species.LONG).blend(52, sub.cast(Species.LONG)));
        DoubleVector m = ix.and(0x000fffffffffffffL).add(0x3fe6a09e667f3bcdL).reinterpretAsDoubles();
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector s2 = s.mul(s);
        // 2 atanh s = 2s (1 + s^2/3 + ... + s^22/23), |s| <= 0.1716
        DoubleVector q = DoubleVector.broadcast(S, 2.0 / 23);
        for (int j = 10; j >= 1; j--) {
            q = q.fma(s2, c(2.0 / (2 * j + 1)));
        }
        DoubleVector logm = s.mul(s2).fma(q, s.mul(2.0));
        DoubleVector kf = (DoubleVector) k.convert(VectorOperators.L2D, 0);
        DoubleVector r = kf.fma(c(LN2_HI), kf.fma(c(LN2_LO), logm));
        r = r.blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)));
        r = r.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        return r.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0));
    }

    /** erf x: the positive series (55 terms) for |x| < 3.5, one minus erfc's continued fraction (30 levels) beyond. */
    static DoubleVector erf(DoubleVector x) {
        DoubleVector ax = x.abs().min(6.0);
        DoubleVector u = ax.mul(ax);
        DoubleVector h = DoubleVector.broadcast(S, 1.0);
        for (int n = 55; n >= 1; n--) {
            h = u.mul(2.0 / (2 * n + 1)).fma(h, c(1.0));
        }
        DoubleVector e = exp(u.neg());
        DoubleVector series = ax.mul(1.1283791670955126).mul(e).mul(h);
        DoubleVector xf = ax.max(3.5);
        DoubleVector f = xf;
        for (int k = 30; k >= 1; k--) {
            f = xf.add(DoubleVector.broadcast(S, k * 0.5).div(f));
        }
        DoubleVector cf = e.mul(0.5641895835477563).div(f).neg().add(1.0);
        DoubleVector mag = cf.blend(series, ax.compare(VectorOperators.LT, 3.5));
        mag = mag.blend(x, x.test(VectorOperators.IS_NAN));
        return copySign(mag, x);
    }
}
