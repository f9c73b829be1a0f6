package dev.jtorch.kernels;

/**
 * The scalar twins of {@link Activations} and their specification. Float functions are computed in double
 * with {@link Math} and rounded once, so they are the accurate reference the vector kernels are measured
 * against; double functions use {@link Math} directly, plus {@link #erf(double)} (Java has none).
 * Arguments are assumed valid.
 */
final class ScalarActivations {
    static final double SQRT1_2 = 0.70710678118654752440;
    static final double GELU_TANH_K = 0.79788456080286535588; // sqrt(2 / pi)
    static final double GELU_TANH_C = 0.044715;
    static final double INV_SQRT_2PI = 0.39894228040143267794;
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
    private static final double INV_SQRT_PI = 0.56418958354775628695;

    private ScalarActivations() {
    }

    // ---------------------------------------------------------------- scalar functions

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * The error function to about 1 ulp: the series {@code erf x = 2/sqrt(pi) x e^(-x^2) sum (2x^2)^n / (2n+1)!!}
     * (all terms positive, so no cancellation) for |x| < 3.5, and the continued fraction of erfc beyond.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        if (ax >= 6) {
            return Math.copySign(1, x);
        }
        double r;
        if (ax < 3.5) {
            double u = 2 * ax * ax, t = 1, s = 1;
            for (int n = 1; n < 200 && t > 1e-17 * s; n++) {
                t *= u / (2 * n + 1);
                s += t;
            }
            r = TWO_OVER_SQRT_PI * ax * Math.exp(-ax * ax) * s;
        } else {
            r = 1 - erfcContinuedFraction(ax, 60);
        }
        return Math.copySign(r, x);
    }

    /** erfc(x) for x >= 2 by the continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), evaluated bottom-up. */
    static double erfcContinuedFraction(double x, int depth) {
        double f = x;
        for (int k = depth; k >= 1; k--) {
            f = x + (k * 0.5) / f;
        }
        return Math.exp(-x * x) * INV_SQRT_PI / f;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x * SQRT1_2));
    }

    static double geluBackward(double x) {
        return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(GELU_TANH_K * (x + GELU_TANH_C * x * x * x)));
    }

    static double geluTanhBackward(double x) {
        double t = Math.tanh(GELU_TANH_K * (x + GELU_TANH_C * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_TANH_K * (1 + 3 * GELU_TANH_C * x * x);
    }

    static double softplus(double x, double beta, double threshold) {
        double bx = beta * x;
        return bx > threshold ? x : Math.log1p(Math.exp(bx)) / beta;
    }

    static double softplusBackward(double x, double beta, double threshold) {
        double bx = beta * x;
        return bx > threshold ? 1 : sigmoid(bx);
    }

    // ---------------------------------------------------------------- float arrays

    static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.log(x[xOff + i]);
        }
    }

    static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) sigmoid((double) x[xOff + i]);
        }
    }

    static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) gelu((double) x[xOff + i]);
        }
    }

    static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) geluTanh((double) x[xOff + i]);
        }
    }

    static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta, float threshold) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) softplus(x[xOff + i], beta, threshold);
        }
    }

    static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dy[dyOff + i] * geluBackward(x[xOff + i]));
        }
    }

    static void geluTanhBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dy[dyOff + i] * geluTanhBackward(x[xOff + i]));
        }
    }

    static void softplusBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n,
                                 float beta, float threshold) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dy[dyOff + i] * softplusBackward(x[xOff + i], beta, threshold));
        }
    }

    // ---------------------------------------------------------------- double arrays

    static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.exp(x[xOff + i]);
        }
    }

    static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.log(x[xOff + i]);
        }
    }

    static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.tanh(x[xOff + i]);
        }
    }

    static void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0.0);
        }
    }

    static void gelu(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = gelu(x[xOff + i]);
        }
    }

    static void geluTanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = geluTanh(x[xOff + i]);
        }
    }

    static void softplus(double[] x, int xOff, double[] y, int yOff, int n, double beta, double threshold) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = softplus(x[xOff + i], beta, threshold);
        }
    }

    static void sigmoidBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            double s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
        }
    }

    static void tanhBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            double t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
        }
    }

    static void reluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = x[xOff + i] > 0 ? dy[dyOff + i] : 0;
        }
    }

    static void geluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * geluBackward(x[xOff + i]);
        }
    }

    static void geluTanhBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * geluTanhBackward(x[xOff + i]);
        }
    }

    static void softplusBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n,
                                 double beta, double threshold) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * softplusBackward(x[xOff + i], beta, threshold);
        }
    }
}
