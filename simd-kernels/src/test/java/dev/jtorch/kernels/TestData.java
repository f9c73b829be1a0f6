package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Random inputs and tolerant comparisons shared by the kernel tests. */
final class TestData {
    /** The odd sizes every vector kernel is checked on: below, at and across lane multiples. */
    static final int[] SIZES = {0, 1, 3, 7, 13, 16, 17, 33, 64, 207, 702, 1025};

    private TestData() {
    }

    static float[] floats(SplittableRandom r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * (float) r.nextDouble();
        }
        return a;
    }

    static double[] doubles(SplittableRandom r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    /** |actual - expected| <= atol + rtol * |expected| element by element over the whole arrays. */
    static void assertClose(float[] expected, float[] actual, double atol, double rtol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
                continue;
            }
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + " but expected " + e + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }

    static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
                continue;
            }
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + " but expected " + e + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }
}
