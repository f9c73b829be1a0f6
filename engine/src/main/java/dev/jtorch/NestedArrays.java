package dev.jtorch;

import java.util.function.IntUnaryOperator;

/**
 * The shape checks of {@link Torch#tensor} over nested Java arrays: every row as long as the first, as
 * {@code torch.tensor} requires of nested lists ("expected sequence of length 3 at dim 1 (got 2)"); a null row
 * is refused.
 */
final class NestedArrays {
    /** The length of row {@code (i, j)} of a three-dim array, -1 when it is null. */
    interface Length2 {
        int at(int i, int j);
    }

    private NestedArrays() {
    }

    /** The common length of {@code rows} rows whose lengths {@code length} gives (-1: a null row). */
    static int columns(int rows, IntUnaryOperator length) {
        int cols = rows == 0 ? 0 : length.applyAsInt(0);
        for (int i = 0; i < rows; i++) {
            int n = length.applyAsInt(i);
            if (n < 0) {
                throw new IllegalArgumentException("torch.tensor: row " + i + " is null");
            }
            if (n != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got " + n
                        + ")");
            }
        }
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("torch.tensor: " + ((long) rows * cols) + " elements exceed 2^31 - 1");
        }
        return cols;
    }

    /** The shape of a three-dim array: {@code outer} entries, each with {@code middle} rows of lengths {@code inner}. */
    static int[] shape3(int outer, IntUnaryOperator middle, Length2 inner) {
        int m = columns(outer, middle);
        int n = outer == 0 || m == 0 ? 0 : inner.at(0, 0);
        for (int i = 0; i < outer; i++) {
            for (int j = 0; j < m; j++) {
                int k = inner.at(i, j);
                if (k < 0) {
                    throw new IllegalArgumentException("torch.tensor: row (" + i + ", " + j + ") is null");
                }
                if (k != n) {
                    throw new IllegalArgumentException("expected sequence of length " + n + " at dim 2 (got " + k
                            + ")");
                }
            }
        }
        long total = (long) outer * m * n;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("torch.tensor: " + total + " elements exceed 2^31 - 1");
        }
        return new int[] {outer, m, n};
    }
}
