package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Activations against their scalar twins (which compute in double with java.lang.Math and round once) on odd
 * sizes and offsets, the 2-ulp promise on a strided sample of 10+ million floats, exact special values, and
 * the double erf against a 60-digit reference.
 */
class ActivationsTest {
    interface FloatKernel {
        void run(float[] x, int xOff, float[] y, int yOff, int n);
    }

    interface DoubleKernel {
        void run(double[] x, int xOff, double[] y, int yOff, int n);
    }

    /** torch.testing's default tolerances for float32, used where no ulp bound is promised. */
    private static final double TORCH_F32_RTOL = 1.3e-6, TORCH_F32_ATOL = 1e-5;

    /** Inputs mixing ordinary values, wide ranges and special values. */
    private static float[] inputs(SplittableRandom r, int n, float scale) {
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 88.7f, 89f, -87.5f, -103.9f, -104f, 9f, -9f, 0.625f,
            -0.625f, 20f, 21f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(8) == 0 ? specials[r.nextInt(specials.length)] : (float) (scale * (2 * r.nextDouble() - 1));
        }
        return x;
    }

    private static void compareFloat(String name, FloatKernel vector, FloatKernel scalar, float scale,
                                     double maxUlp, double atol, boolean positiveOnly) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int n : TestData.SIZES) {
            for (int off : new int[] {0, 3}) {
                float[] x = inputs(r, n + off + 2, scale);
                if (positiveOnly) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = Math.abs(x[i]);
                    }
                }
                float[] expected = new float[n + off + 5];
                float[] actual = expected.clone();
                scalar.run(x, off, expected, off + 1, n);
                vector.run(x, off, actual, off + 1, n);
                for (int i = 0; i < actual.length; i++) {
                    float e = expected[i], a = actual[i];
                    double ulps = Ulp.error(a, e);
                    boolean ok = ulps <= maxUlp || Math.abs(a - e) <= atol + TORCH_F32_RTOL * Math.abs(e) && atol > 0
                            || Float.isNaN(e) && Float.isNaN(a);
                    if (!ok) {
                        fail(name + " n=" + n + " off=" + off + ": y[" + i + "] = " + a + " but the scalar twin gives " + e
                                + " (" + ulps + " ulp) for x = " + (i - 1 >= 0 && i - 1 < x.length ? x[i - 1] : Float.NaN));
                    }
                }
                // in place
                float[] inPlace = x.clone();
                vector.run(inPlace, off, inPlace, off, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(actual[off + 1 + i], inPlace[off + i], 0f, name + " in place differs at " + i);
                }
            }
        }
    }

    private static void compareDouble(String name, DoubleKernel vector, DoubleKernel scalar, double scale, double rtol,
                                      double atol, boolean positiveOnly) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int n : TestData.SIZES) {
            int off = 5;
            float[] xf = inputs(r, n + off, (float) scale);
            double[] x = new double[xf.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = xf[i] == 0f || Float.isNaN(xf[i]) || Float.isInfinite(xf[i]) ? xf[i] : xf[i] * (1 + 1e-3 * r.nextDouble());
                if (positiveOnly) {
                    x[i] = Math.abs(x[i]);
                }
            }
            double[] expected = new double[n + off + 2];
            double[] actual = expected.clone();
            scalar.run(x, off, expected, off - 1, n);
            vector.run(x, off, actual, off - 1, n);
            TestData.assertClose(expected, actual, atol, rtol, name + " n=" + n);
        }
    }

    @Test
    void floatForwardMatchesTwins() {
        compareFloat("exp", VectorOrScalar.f(VectorActivationsF::exp, ScalarActivations::exp), ScalarActivations::exp, 100f, 2, 0, false);
        compareFloat("sigmoid", VectorOrScalar.f(VectorActivationsF::sigmoid, ScalarActivations::sigmoid), ScalarActivations::sigmoid, 100f, 2, 0, false);
        compareFloat("tanh", VectorOrScalar.f(VectorActivationsF::tanh, ScalarActivations::tanh), ScalarActivations::tanh, 10f, 2, 0, false);
        compareFloat("log", VectorOrScalar.f(VectorActivationsF::log, ScalarActivations::log), ScalarActivations::log, 1000f, 2, 0, false);
        compareFloat("relu", VectorOrScalar.f(VectorActivationsF::relu, ScalarActivations::relu), ScalarActivations::relu, 10f, 0, 0, false);
        compareFloat("gelu", VectorOrScalar.f(VectorActivationsF::gelu, ScalarActivations::gelu), ScalarActivations::gelu, 8f, 0, TORCH_F32_ATOL, false);
        compareFloat("geluTanh", VectorOrScalar.f(VectorActivationsF::geluTanh, ScalarActivations::geluTanh), ScalarActivations::geluTanh, 8f, 0, TORCH_F32_ATOL, false);
        compareFloat("softplus", VectorOrScalar.f((x, xo, y, yo, n) -> VectorActivationsF.softplus(x, xo, y, yo, n, 1f, 20f),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 1f, 20f)),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 1f, 20f), 30f, 0, TORCH_F32_ATOL, false);
        compareFloat("softplus(beta=2,threshold=5)", VectorOrScalar.f((x, xo, y, yo, n) -> VectorActivationsF.softplus(x, xo, y, yo, n, 2f, 5f),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 2f, 5f)),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 2f, 5f), 30f, 0, TORCH_F32_ATOL, false);
    }

    @Test
    void floatBackwardMatchesTwins() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n : TestData.SIZES) {
            float[] x = inputs(r, n + 1, 6f);
            float[] y = TestData.floats(r, n + 1, -1f, 1f);
            float[] dy = TestData.floats(r, n + 1, -2f, 2f);
            String[] names = {"sigmoid", "tanh", "relu", "gelu", "geluTanh", "softplus"};
            for (String name : names) {
                float[] e = new float[n + 2], a = new float[n + 2];
                switch (name) {
                    case "sigmoid" -> {
                        ScalarActivations.sigmoidBackward(y, 1, dy, 1, e, 2, n);
                        Activations.sigmoidBackward(y, 1, dy, 1, a, 2, n);
                    }
                    case "tanh" -> {
                        ScalarActivations.tanhBackward(y, 1, dy, 1, e, 2, n);
                        Activations.tanhBackward(y, 1, dy, 1, a, 2, n);
                    }
                    case "relu" -> {
                        ScalarActivations.reluBackward(x, 1, dy, 1, e, 2, n);
                        Activations.reluBackward(x, 1, dy, 1, a, 2, n);
                    }
                    case "gelu" -> {
                        ScalarActivations.geluBackward(x, 1, dy, 1, e, 2, n);
                        Activations.geluBackward(x, 1, dy, 1, a, 2, n);
                    }
                    case "geluTanh" -> {
                        ScalarActivations.geluTanhBackward(x, 1, dy, 1, e, 2, n);
                        Activations.geluTanhBackward(x, 1, dy, 1, a, 2, n);
                    }
                    default -> {
                        ScalarActivations.softplusBackward(x, 1, dy, 1, e, 2, n, 1f, 20f);
                        Activations.softplusBackward(x, 1, dy, 1, a, 2, n, 1f, 20f);
                    }
                }
                TestData.assertClose(e, a, TORCH_F32_ATOL, TORCH_F32_RTOL, name + "Backward n=" + n);
            }
        }
    }

    @Test
    void doubleForwardAndBackwardMatchTwins() {
        compareDouble("exp", VectorOrScalar.d(VectorActivationsD::exp, ScalarActivations::exp), ScalarActivations::exp, 700, 1e-14, 0, false);
        compareDouble("sigmoid", VectorOrScalar.d(VectorActivationsD::sigmoid, ScalarActivations::sigmoid), ScalarActivations::sigmoid, 700, 1e-14, 0, false);
        compareDouble("tanh", VectorOrScalar.d(VectorActivationsD::tanh, ScalarActivations::tanh), ScalarActivations::tanh, 20, 1e-14, 1e-300, false);
        compareDouble("log", VectorOrScalar.d(VectorActivationsD::log, ScalarActivations::log), ScalarActivations::log, 1e6, 1e-14, 0, false);
        compareDouble("relu", VectorOrScalar.d(VectorActivationsD::relu, ScalarActivations::relu), ScalarActivations::relu, 10, 0, 0, false);
        compareDouble("gelu", VectorOrScalar.d(VectorActivationsD::gelu, ScalarActivations::gelu), ScalarActivations::gelu, 10, 1e-13, 1e-14, false);
        compareDouble("geluTanh", VectorOrScalar.d(VectorActivationsD::geluTanh, ScalarActivations::geluTanh), ScalarActivations::geluTanh, 10, 1e-13, 1e-14, false);
        compareDouble("softplus", VectorOrScalar.d((x, xo, y, yo, n) -> VectorActivationsD.softplus(x, xo, y, yo, n, 1, 20),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 1, 20)),
                (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, 1, 20), 40, 1e-13, 1e-15, false);
        SplittableRandom r = new SplittableRandom(12);
        double[] x = TestData.doubles(r, 703, -6, 6), dy = TestData.doubles(r, 703, -1, 1);
        double[] e = new double[703], a = new double[703];
        ScalarActivations.geluBackward(x, 0, dy, 0, e, 0, 703);
        Activations.geluBackward(x, 0, dy, 0, a, 0, 703);
        TestData.assertClose(e, a, 1e-15, 1e-13, "geluBackward double");
        ScalarActivations.geluTanhBackward(x, 0, dy, 0, e, 0, 703);
        Activations.geluTanhBackward(x, 0, dy, 0, a, 0, 703);
        TestData.assertClose(e, a, 1e-15, 1e-13, "geluTanhBackward double");
        ScalarActivations.softplusBackward(x, 0, dy, 0, e, 0, 703, 1, 20);
        Activations.softplusBackward(x, 0, dy, 0, a, 0, 703, 1, 20);
        TestData.assertClose(e, a, 1e-15, 1e-13, "softplusBackward double");
        double[] y = TestData.doubles(r, 703, -1, 1);
        ScalarActivations.tanhBackward(y, 0, dy, 0, e, 0, 703);
        Activations.tanhBackward(y, 0, dy, 0, a, 0, 703);
        TestData.assertClose(e, a, 1e-15, 1e-14, "tanhBackward double");
        ScalarActivations.sigmoidBackward(y, 0, dy, 0, e, 0, 703);
        Activations.sigmoidBackward(y, 0, dy, 0, a, 0, 703);
        TestData.assertClose(e, a, 1e-15, 1e-14, "sigmoidBackward double");
        ScalarActivations.reluBackward(x, 0, dy, 0, e, 0, 703);
        Activations.reluBackward(x, 0, dy, 0, a, 0, 703);
        TestData.assertClose(e, a, 0, 0, "reluBackward double");
    }

    /** The 2-ulp promise on a strided sample of more than 10 million bit patterns (the sweep covers all). */
    @Test
    void floatExpSigmoidTanhWithinTwoUlpOnStridedSample() {
        final long stride = 419; // odd, so the sample walks every exponent and mantissa pattern class
        int batch = 1 << 16;
        float[] x = new float[batch], y = new float[batch];
        for (Ulp.Fn fn : Ulp.Fn.values()) {
            Ulp.Worst worst = new Ulp.Worst();
            int n = 0;
            for (long bits = 0; bits < (1L << 32); bits += stride) {
                float v = Float.intBitsToFloat((int) bits);
                if (Float.isNaN(v)) {
                    continue;
                }
                x[n++] = v;
                if (n == batch) {
                    fn.apply(x, y, n);
                    worst.add(x, y, n, fn.reference);
                    n = 0;
                }
            }
            fn.apply(x, y, n);
            worst.add(x, y, n, fn.reference);
            assertTrue(worst.count > 10_000_000L, "sample too small: " + worst.count);
            assertTrue(worst.ulps <= 2, fn + ": " + worst);
        }
    }

    @Test
    void specialValuesAreExact() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {inf, -inf, Float.NaN, -0f, 0f, -200f, 200f, Float.MIN_VALUE};
        float[] y = new float[x.length];
        Activations.exp(x, 0, y, 0, x.length);
        assertArrayEqualsBits(new float[] {inf, 0f, Float.NaN, 1f, 1f, 0f, inf, 1f}, y, "exp");
        Activations.sigmoid(x, 0, y, 0, x.length);
        assertArrayEqualsBits(new float[] {1f, 0f, Float.NaN, 0.5f, 0.5f, 0f, 1f, 0.5f}, y, "sigmoid");
        Activations.tanh(x, 0, y, 0, x.length);
        assertArrayEqualsBits(new float[] {1f, -1f, Float.NaN, -0f, 0f, -1f, 1f, Float.MIN_VALUE}, y, "tanh");
        Activations.relu(x, 0, y, 0, x.length);
        assertArrayEqualsBits(new float[] {inf, 0f, Float.NaN, 0f, 0f, 0f, 200f, Float.MIN_VALUE}, y, "relu");
        Activations.log(new float[] {inf, -1f, Float.NaN, -0f, 0f, 1f}, 0, y, 0, 6);
        assertArrayEqualsBits(new float[] {inf, Float.NaN, Float.NaN, -inf, -inf, 0f}, java.util.Arrays.copyOf(y, 6), "log");
        // subnormal results: exp(-100) is subnormal in float and must be the correctly rounded value (or 1 ulp off)
        float[] sub = {-88f, -95.5f, -100f, -103f};
        Activations.exp(sub, 0, y, 0, sub.length);
        for (int i = 0; i < sub.length; i++) {
            assertTrue(Ulp.error(y[i], Math.exp(sub[i])) <= 1, "exp(" + sub[i] + ") = " + y[i]);
        }
    }

    private static void assertArrayEqualsBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i]);
            assertTrue(same, what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]);
        }
    }

    /** erf(x) by its Maclaurin series in 60-digit decimal arithmetic: an independent reference. */
    private static double erfReference(double x) {
        MathContext mc = new MathContext(60);
        BigDecimal bx = new BigDecimal(x), x2 = bx.multiply(bx, mc), term = bx, sum = BigDecimal.ZERO;
        for (int n = 0; n < 400; n++) {
            BigDecimal t = term.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(t, mc);
            if (t.abs().compareTo(new BigDecimal("1e-40")) < 0 && n > 5) {
                break;
            }
            term = term.multiply(x2, mc).negate().divide(BigDecimal.valueOf(n + 1), mc);
        }
        return sum.multiply(new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817"), mc).doubleValue();
    }

    @Test
    void doubleErfAgainstHighPrecisionReference() {
        int checked = 0;
        double[] xs = new double[241];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -6 + 0.05 * i + 1e-3 * Math.sin(i);
        }
        double[] y = new double[xs.length];
        double[] erfIn = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            erfIn[i] = xs[i] / ScalarActivations.SQRT1_2; // gelu(x) = 0.5 x (1 + erf(x / sqrt 2))
        }
        Activations.gelu(erfIn, 0, y, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            double ref = erfReference(xs[i]);
            double scalar = ScalarActivations.erf(xs[i]);
            assertEquals(ref, scalar, 2e-16 + 1e-15 * Math.abs(ref), "scalar erf(" + xs[i] + ")");
            double viaGelu = y[i] / (0.5 * erfIn[i]) - 1;
            assertEquals(ref, viaGelu, 1e-14, "vector erf(" + xs[i] + ") through gelu");
            checked++;
        }
        assertEquals(xs.length, checked);
    }
}
