package dev.jtorch.kernels;

/**
 * Elementwise activation functions and the derivatives their backward passes need, on float and double
 * arrays.
 *
 * <p>Args: forward functions take {@code (x, xOff, y, yOff, n)}: read {@code x[xOff .. xOff+n)}, write
 * {@code y[yOff .. yOff+n)}; {@code y} may be {@code x} at the same offset (in place). Backward functions
 * take the saved forward input or output, the incoming gradient {@code dy} and write {@code dx}, which may
 * alias {@code dy}.
 *
 * <p>Special values: NaN in gives NaN out (relu included); infinities saturate exactly; subnormals are
 * handled. The float exp, sigmoid and tanh are within 2 ulp of the correctly rounded result over every
 * finite float (proven by the exhaustive sweep, {@code ./jtorch sweep}); the other functions are within a
 * few ulp.
 *
 * <p>Example:
 * <pre>{@code
 * Activations.tanh(gates, 0, gates, 0, gates.length); // in place
 * }</pre>
 *
 * <p>The kernels throw {@link IllegalArgumentException} for a negative n or offset, or an array too short, before
 * any write.
 */
public final class Activations {
    /** softplus's default beta, as in torch.nn.Softplus. */
    public static final float SOFTPLUS_BETA = 1f;
    /** softplus's default threshold, as in torch.nn.Softplus. */
    public static final float SOFTPLUS_THRESHOLD = 20f;

    private Activations() {
    }

    /** A forward function's arguments: x and y (float[] or double[]) hold n elements from their offsets. */
    private static void check(Object x, int xOff, Object y, int yOff, int n) {
        Checks.nonNegative("n", n);
        Checks.range("x", x, xOff, n);
        Checks.range("y", y, yOff, n);
    }

    /** A backward function's arguments: the saved input (named in), dy and dx hold n elements from their offsets. */
    private static void check3(String in, Object saved, int inOff, Object dy, int dyOff, Object dx, int dxOff, int n) {
        Checks.nonNegative("n", n);
        Checks.range(in, saved, inOff, n);
        Checks.range("dy", dy, dyOff, n);
        Checks.range("dx", dx, dxOff, n);
    }

    /** y = e^x. Float: within 2 ulp of the correctly rounded result over every finite float. */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.exp(x, xOff, y, yOff, n);
    }

    /** y = ln x (NaN for x &lt; 0, -inf for 0). */
    public static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.log(x, xOff, y, yOff, n);
    }

    /** y = 1 / (1 + e^-x). Float: within 2 ulp over every finite float; sigmoid(-inf) = 0. */
    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.sigmoid(x, xOff, y, yOff, n);
    }

    /** y = tanh x. Float: within 2 ulp over every finite float; tanh(+-inf) = +-1. */
    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.tanh(x, xOff, y, yOff, n);
    }

    /** y = max(x, 0); NaN stays NaN, as in PyTorch. */
    public static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.relu(x, xOff, y, yOff, n);
    }

    /** y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), GELU with approximate="none". */
    public static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.gelu(x, xOff, y, yOff, n);
    }

    /** y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GELU with approximate="tanh". */
    public static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.geluTanh(x, xOff, y, yOff, n);
    }

    /** y = log(1 + e^x), softplus with torch.nn.Softplus's defaults beta = 1, threshold = 20. */
    public static void softplus(float[] x, int xOff, float[] y, int yOff, int n) {
        softplus(x, xOff, y, yOff, n, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD);
    }

    /** y = log(1 + e^(beta x)) / beta, or x where beta x &gt; threshold (torch.nn.Softplus). */
    public static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta, float threshold) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.softplus(x, xOff, y, yOff, n, beta, threshold);
    }

    /** dx = dy * y * (1 - y), from the forward output y. */
    public static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        check3("y", y, yOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * (1 - y^2), from the forward output y. */
    public static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        check3("y", y, yOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.tanhBackward(y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy where x &gt; 0, else 0 (PyTorch's threshold_backward). */
    public static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.reluBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * (Phi(x) + x phi(x)). */
    public static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.geluBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * d/dx of the tanh approximation. */
    public static void geluTanhBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.geluTanhBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * sigmoid(beta x), or dy where beta x &gt; threshold: softplus's derivative. */
    public static void softplusBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n,
                                        float beta, float threshold) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.softplusBackward(x, xOff, dy, dyOff, dx, dxOff, n, beta, threshold);
    }

    /**
     * y = erf(x) in double precision (a few ulp; the Gauss error function that gelu uses). Scalar only: the
     * tensor engine needs it for torch.erf, which is not on a hot path.
     */
    public static void erf(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ScalarActivations.erf(x[xOff + i]);
        }
    }

    /** y = e^x. Float: within 2 ulp of the correctly rounded result over every finite float. */
    public static void exp(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.exp(x, xOff, y, yOff, n);
    }

    /** y = ln x (NaN for x &lt; 0, -inf for 0). */
    public static void log(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.log(x, xOff, y, yOff, n);
    }

    /** y = 1 / (1 + e^-x). Float: within 2 ulp over every finite float; sigmoid(-inf) = 0. */
    public static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.sigmoid(x, xOff, y, yOff, n);
    }

    /** y = tanh x. Float: within 2 ulp over every finite float; tanh(+-inf) = +-1. */
    public static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.tanh(x, xOff, y, yOff, n);
    }

    /** y = max(x, 0); NaN stays NaN, as in PyTorch. */
    public static void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.relu(x, xOff, y, yOff, n);
    }

    /** y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), GELU with approximate="none". */
    public static void gelu(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.gelu(x, xOff, y, yOff, n);
    }

    /** y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GELU with approximate="tanh". */
    public static void geluTanh(double[] x, int xOff, double[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.geluTanh(x, xOff, y, yOff, n);
    }

    /** y = log(1 + e^x), softplus with torch.nn.Softplus's defaults beta = 1, threshold = 20. */
    public static void softplus(double[] x, int xOff, double[] y, int yOff, int n) {
        softplus(x, xOff, y, yOff, n, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD);
    }

    /** y = log(1 + e^(beta x)) / beta, or x where beta x &gt; threshold (torch.nn.Softplus). */
    public static void softplus(double[] x, int xOff, double[] y, int yOff, int n, double beta, double threshold) {
        check(x, xOff, y, yOff, n);
        Kernels.PROVIDER.softplus(x, xOff, y, yOff, n, beta, threshold);
    }

    /** dx = dy * y * (1 - y), from the forward output y. */
    public static void sigmoidBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        check3("y", y, yOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * (1 - y^2), from the forward output y. */
    public static void tanhBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        check3("y", y, yOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.tanhBackward(y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy where x &gt; 0, else 0 (PyTorch's threshold_backward). */
    public static void reluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.reluBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * (Phi(x) + x phi(x)). */
    public static void geluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.geluBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * d/dx of the tanh approximation. */
    public static void geluTanhBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.geluTanhBackward(x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /** dx = dy * sigmoid(beta x), or dy where beta x &gt; threshold: softplus's derivative. */
    public static void softplusBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n,
                                        double beta, double threshold) {
        check3("x", x, xOff, dy, dyOff, dx, dxOff, n);
        Kernels.PROVIDER.softplusBackward(x, xOff, dy, dyOff, dx, dxOff, n, beta, threshold);
    }
}
