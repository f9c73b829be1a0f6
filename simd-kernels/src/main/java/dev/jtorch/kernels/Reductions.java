package dev.jtorch.kernels;

/**
 * Row-wise reductions over a row-major {@code rows x cols} matrix with leading dimension {@code ldx}: sum, max,
 * argmax, and the numerically stable softmax and log-softmax (max subtracted before exp, as torch.softmax).
 *
 * <p>NaN: max and argmax propagate NaN as torch.max and torch.argmax do (argmax returns the first NaN);
 * ties go to the first index. softmax of a row with a NaN is all NaN.
 *
 * <p>Example: {@code Reductions.logSoftmax(batch, classes, logits, 0, classes, out, 0, classes)}.
 *
 * <p>The kernels throw {@link IllegalArgumentException} for negative sizes or offsets, a leading dimension below
 * {@code cols}, arrays too short, or max/argmax over an empty row; before any write.
 */
public final class Reductions {
    private Reductions() {
    }

    private static void check(int rows, int cols, Object x, int xOff, int ldx, Object y, int yOff, boolean nonEmpty) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        if (nonEmpty && cols == 0 && rows > 0) {
            throw new IllegalArgumentException("cannot reduce rows of 0 columns: max and argmax need cols >= 1");
        }
        Checks.matrix("x", "ldx", Checks.length("x", x), xOff, rows, cols, ldx, "rows x cols");
        Checks.range("y", y, yOff, rows);
    }

    private static void check2(int rows, int cols, Object x, int xOff, int ldx, Object y, int yOff, int ldy) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        Checks.matrix("x", "ldx", Checks.length("x", x), xOff, rows, cols, ldx, "rows x cols");
        Checks.matrix("y", "ldy", Checks.length("y", y), yOff, rows, cols, ldy, "rows x cols");
    }

    /** y[r] = the sum of row r (0 for an empty row). */
    public static void rowSum(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff) {
        check(rows, cols, x, xOff, ldx, y, yOff, false);
        Kernels.PROVIDER.rowSum(rows, cols, x, xOff, ldx, y, yOff);
    }

    /** y[r] = the maximum of row r. */
    public static void rowMax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff) {
        check(rows, cols, x, xOff, ldx, y, yOff, true);
        Kernels.PROVIDER.rowMax(rows, cols, x, xOff, ldx, y, yOff);
    }

    /** idx[r] = the index of the first maximum of row r. */
    public static void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, long[] idx, int idxOff) {
        check(rows, cols, x, xOff, ldx, idx, idxOff, true);
        Kernels.PROVIDER.rowArgmax(rows, cols, x, xOff, ldx, idx, idxOff);
    }

    /** y = softmax(x) along each row (y may be x). */
    public static void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        check2(rows, cols, x, xOff, ldx, y, yOff, ldy);
        Kernels.PROVIDER.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    /**
     * One key tile of an online softmax (FlashAttention's inner step), in place on the tile {@code s} (rows x cols,
     * leading dimension lds): per row r, {@code m' = max(m[r], max_j s[r][j])}; the row becomes
     * {@code exp(s[r][j] - m')}; {@code alpha[r] = exp(m[r] - m')}, {@code l[r] = l[r] * alpha[r] + sum_j
     * exp(s[r][j] - m')}, {@code m[r] = m'} (m, l and alpha indexed from rOff). A row with {@code m' = -inf} (every
     * score masked so far) is set to zeros with alpha 1 and its m and l unchanged. The caller scales its
     * accumulator row by alpha[r] and adds the tile's probabilities times V.
     */
    public static void onlineSoftmax(int rows, int cols, float[] s, int sOff, int lds, float[] m, float[] l, float[] alpha,
                                     int rOff) {
        checkOnlineSoftmax(rows, cols, s, sOff, lds, m, l, alpha, rOff);
        Kernels.PROVIDER.onlineSoftmax(rows, cols, s, sOff, lds, m, l, alpha, rOff);
    }

    /** y = log_softmax(x) along each row (y may be x). */
    public static void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        check2(rows, cols, x, xOff, ldx, y, yOff, ldy);
        Kernels.PROVIDER.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    /** y[r] = the sum of row r (0 for an empty row). */
    public static void rowSum(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        check(rows, cols, x, xOff, ldx, y, yOff, false);
        Kernels.PROVIDER.rowSum(rows, cols, x, xOff, ldx, y, yOff);
    }

    /** y[r] = the maximum of row r. */
    public static void rowMax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        check(rows, cols, x, xOff, ldx, y, yOff, true);
        Kernels.PROVIDER.rowMax(rows, cols, x, xOff, ldx, y, yOff);
    }

    /** idx[r] = the index of the first maximum of row r. */
    public static void rowArgmax(int rows, int cols, double[] x, int xOff, int ldx, long[] idx, int idxOff) {
        check(rows, cols, x, xOff, ldx, idx, idxOff, true);
        Kernels.PROVIDER.rowArgmax(rows, cols, x, xOff, ldx, idx, idxOff);
    }

    /** y = softmax(x) along each row (y may be x). */
    public static void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        check2(rows, cols, x, xOff, ldx, y, yOff, ldy);
        Kernels.PROVIDER.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    /**
     * One key tile of an online softmax (FlashAttention's inner step), in place on the tile {@code s} (rows x cols,
     * leading dimension lds): per row r, {@code m' = max(m[r], max_j s[r][j])}; the row becomes
     * {@code exp(s[r][j] - m')}; {@code alpha[r] = exp(m[r] - m')}, {@code l[r] = l[r] * alpha[r] + sum_j
     * exp(s[r][j] - m')}, {@code m[r] = m'} (m, l and alpha indexed from rOff). A row with {@code m' = -inf} (every
     * score masked so far) is set to zeros with alpha 1 and its m and l unchanged. The caller scales its
     * accumulator row by alpha[r] and adds the tile's probabilities times V.
     */
    public static void onlineSoftmax(int rows, int cols, double[] s, int sOff, int lds, double[] m, double[] l, double[] alpha,
                                     int rOff) {
        checkOnlineSoftmax(rows, cols, s, sOff, lds, m, l, alpha, rOff);
        Kernels.PROVIDER.onlineSoftmax(rows, cols, s, sOff, lds, m, l, alpha, rOff);
    }

    /** y = log_softmax(x) along each row (y may be x). */
    public static void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        check2(rows, cols, x, xOff, ldx, y, yOff, ldy);
        Kernels.PROVIDER.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    private static void checkOnlineSoftmax(int rows, int cols, Object s, int sOff, int lds, Object m, Object l,
                                           Object alpha, int rOff) {
        check2(rows, cols, s, sOff, lds, s, sOff, lds);
        Checks.range("m", m, rOff, rows);
        Checks.range("l", l, rOff, rows);
        Checks.range("alpha", alpha, rOff, rows);
    }
}
