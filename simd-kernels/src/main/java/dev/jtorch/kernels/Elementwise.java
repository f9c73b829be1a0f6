package dev.jtorch.kernels;

/**
 * Elementwise arithmetic on float and double arrays, BLAS level 1 style: add, sub, mul, div
 * ({@code y = a op b}), axpy ({@code y += alpha x}), scale ({@code y = alpha x}) and dot.
 *
 * <p>Args: arrays with their offsets, then the count {@code n}; the output may be one of the inputs at the
 * same offset (in place). Example: {@code Elementwise.axpy(n, -lr, grad, 0, weight, 0)}.
 *
 * <p>The kernels throw {@link IllegalArgumentException} for a negative n or offset or an array too short, before
 * any write.
 */
public final class Elementwise {
    private Elementwise() {
    }

    private static void check(String a, Object x, int xOff, String b, Object y, int yOff, int n) {
        Checks.nonNegative("n", n);
        Checks.notNull(a, x);
        Checks.notNull(b, y);
        Checks.range(a, x, xOff, n);
        Checks.range(b, y, yOff, n);
    }

    /** y = a + b elementwise. */
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.add(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a - b elementwise. */
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.sub(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a * b elementwise. */
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.mul(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a / b elementwise. */
    public static void div(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.div(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = alpha * x + y (BLAS axpy), one fused multiply-add per element. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        check("x", x, xOff, "y", y, yOff, n);
        Kernels.PROVIDER.axpy(n, alpha, x, xOff, y, yOff);
    }

    /** y = alpha * x. */
    public static void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        check("x", x, xOff, "y", y, yOff, n);
        Kernels.PROVIDER.scale(alpha, x, xOff, y, yOff, n);
    }

    /** The dot product of x and y (vector path: several partial sums, so the order differs from the twin). */
    public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        check("x", x, xOff, "y", y, yOff, n);
        return Kernels.PROVIDER.dot(x, xOff, y, yOff, n);
    }

    /** y = a + b elementwise. */
    public static void add(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.add(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a - b elementwise. */
    public static void sub(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.sub(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a * b elementwise. */
    public static void mul(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.mul(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = a / b elementwise. */
    public static void div(double[] a, int aOff, double[] b, int bOff, double[] y, int yOff, int n) {
        check("a", a, aOff, "b", b, bOff, n);
        Checks.range("y", y, yOff, n);
        Kernels.PROVIDER.div(a, aOff, b, bOff, y, yOff, n);
    }

    /** y = alpha * x + y (BLAS axpy), one fused multiply-add per element. */
    public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        check("x", x, xOff, "y", y, yOff, n);
        Kernels.PROVIDER.axpy(n, alpha, x, xOff, y, yOff);
    }

    /** y = alpha * x. */
    public static void scale(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        check("x", x, xOff, "y", y, yOff, n);
        Kernels.PROVIDER.scale(alpha, x, xOff, y, yOff, n);
    }

    /** The dot product of x and y (vector path: several partial sums, so the order differs from the twin). */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        check("x", x, xOff, "y", y, yOff, n);
        return Kernels.PROVIDER.dot(x, xOff, y, yOff, n);
    }
}
