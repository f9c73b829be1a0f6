package dev.jtorch.backend;

/**
 * The view a normalization op takes of its contiguous input: {@code [outer, channels, inner]}, whether
 * statistics are centred (false for RMSNorm's mean of squares), and the epsilon added to the variance by the
 * ops that normalise ({@code 1 / sqrt(var + eps)}).
 *
 * @param outer    the leading size (the batch for BatchNorm, 1 for per-row statistics)
 * @param channels the size statistics are kept per (channels, or rows)
 * @param inner    the trailing contiguous size (spatial positions, or the normalized row length)
 * @param center   subtract the mean
 * @param eps      added to the variance before its inverse square root
 */
public record NormShape(int outer, int channels, int inner, boolean center, double eps) {
    /** Validates the sizes. */
    public NormShape {
        if (outer < 0 || channels < 0 || inner < 0 || (long) outer * channels * inner > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid normalization shape [" + outer + ", " + channels + ", "
                    + inner + "]");
        }
    }

    /** A shape whose ops take no epsilon (statistics, sums, scale-shift). */
    public NormShape(int outer, int channels, int inner, boolean center) {
        this(outer, channels, inner, center, 0);
    }

    /** Elements covered, outer * channels * inner. */
    public int numel() {
        return outer * channels * inner;
    }
}
