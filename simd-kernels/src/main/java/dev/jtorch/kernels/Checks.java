package dev.jtorch.kernels;

/**
 * Argument validation shared by the kernel facades. Every check runs before anything is written and throws
 * {@link IllegalArgumentException} naming the argument, what was expected and what came.
 */
final class Checks {
    private Checks() {
    }

    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
        }
    }

    static void notNull(String name, Object array) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** The array holds {@code n} elements from {@code off} with stride 1. */
    static void range(String name, int length, int off, long n) {
        if (off < 0) {
            throw new IllegalArgumentException(name + " offset must be >= 0 but was " + off);
        }
        if (off + n > length) {
            throw new IllegalArgumentException(name + " is too short: " + n + " elements from offset " + off
                    + " need length >= " + (off + n) + " but length is " + length);
        }
    }

    /** The length of an array argument (float[], double[] or long[]), which must not be null. */
    static int length(String name, Object array) {
        notNull(name, array);
        return array instanceof float[] f ? f.length : array instanceof double[] d ? d.length : ((long[]) array).length;
    }

    /** The array argument (float[], double[] or long[]) is not null and holds {@code n} elements from {@code off}. */
    static void range(String name, Object array, int off, long n) {
        range(name, length(name, array), off, n);
    }

    /** A rows x cols row-major matrix with leading dimension {@code ld} starting at {@code off}. */
    static void matrix(String name, String ldName, int length, int off, int rows, int cols, int ld, String layout) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(ldName + " must be >= " + Math.max(1, cols) + " (the row length of "
                    + name + " as stored, " + layout + ") but was " + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException(name + " offset must be >= 0 but was " + off);
        }
        if (rows > 0 && cols > 0) {
            long need = off + (long) (rows - 1) * ld + cols;
            if (need > length) {
                throw new IllegalArgumentException(name + " is too short for a " + rows + "x" + cols + " matrix with "
                        + ldName + "=" + ld + " from offset " + off + ": needs length >= " + need
                        + " but length is " + length);
            }
        }
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aLength, int aOff, int lda,
                     Object b, int bLength, int bOff, int ldb, Object c, int cLength, int cOff, int ldc) {
        nonNegative("m", m);
        nonNegative("n", n);
        nonNegative("k", k);
        notNull("a", a);
        notNull("b", b);
        notNull("c", c);
        matrix("a", "lda", aLength, aOff, transA ? k : m, transA ? m : k, lda,
                transA ? "transA=true: k x m" : "transA=false: m x k");
        matrix("b", "ldb", bLength, bOff, transB ? n : k, transB ? k : n, ldb,
                transB ? "transB=true: n x k" : "transB=false: k x n");
        matrix("c", "ldc", cLength, cOff, m, n, ldc, "m x n");
    }

    /** A batch x width block laid out contiguously ({@code batch * width} elements). */
    static long block(String what, int batch, int width) {
        nonNegative("batch", batch);
        nonNegative(what, width);
        return (long) batch * width;
    }
}
