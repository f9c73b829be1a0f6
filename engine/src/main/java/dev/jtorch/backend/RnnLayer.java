package dev.jtorch.backend;

import dev.jtorch.RnnMode;

/**
 * One recurrent layer in one direction over packed rows, as {@link Backend#rnn} takes it. Rows are in packed
 * order: step t holds {@code batchSizes[t]} rows (non-increasing), starting at the sum of the earlier steps'
 * rows, so a padded batch is the case of equal batch sizes and each sequence's final state is where its rows
 * stop. Sizes: N = {@link #rows()}, B = {@link #batch()}, In = inputSize, H = hiddenSize,
 * P = {@link #outputSize()} (projSize, or H without a projection), G = {@code mode.gates()}.
 *
 * @param mode       the cell
 * @param batchSizes rows of each time step (at least one step; not copied: do not modify)
 * @param reverse    run the steps last to first (the reverse direction of a bidirectional layer)
 * @param inputSize  features of the input rows
 * @param hiddenSize features of the hidden (and LSTM cell) state
 * @param projSize   features of an LSTM's projected hidden state, 0 for none
 */
public record RnnLayer(RnnMode mode, int[] batchSizes, boolean reverse, int inputSize, int hiddenSize,
                       int projSize) {
    /** Validates the geometry. */
    public RnnLayer {
        if (batchSizes.length == 0) {
            throw new IllegalArgumentException("Expected sequence length to be larger than 0 in RNN");
        }
        long n = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            if (batchSizes[t] < 0 || (t > 0 && batchSizes[t] > batchSizes[t - 1])) {
                throw new IllegalArgumentException("batch sizes must be non-negative and non-increasing, got "
                        + java.util.Arrays.toString(batchSizes));
            }
            n += batchSizes[t];
        }
        if (inputSize <= 0 || hiddenSize <= 0 || projSize < 0 || projSize >= hiddenSize && projSize > 0
                || projSize > 0 && mode != RnnMode.LSTM) {
            throw new IllegalArgumentException("invalid recurrent layer: " + mode + " input " + inputSize
                    + ", hidden " + hiddenSize + ", projection " + projSize);
        }
        // the widest per-row buffer: the gates (GRU: its four activations per hidden unit)
        long width = (mode == RnnMode.GRU ? 4L : mode.gates()) * hiddenSize;
        if (n * width > View.LIMIT) {
            throw new IllegalArgumentException("a recurrent layer of " + n + " rows of " + width
                    + " gate values exceeds jtorch's limit of " + View.LIMIT + " elements per storage or kernel call");
        }
    }

    /** Time steps. */
    public int steps() {
        return batchSizes.length;
    }

    /** N: rows over all steps. */
    public int rows() {
        int n = 0;
        for (int b : batchSizes) {
            n += b;
        }
        return n;
    }

    /** B: the rows of the first step, the batch of the initial and final states. */
    public int batch() {
        return batchSizes[0];
    }

    /** P: features of the output and the hidden state (projSize, or hiddenSize without a projection). */
    public int outputSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** G * H: the rows of the weights, the width of the gate pre-activations. */
    public int gateWidth() {
        return mode.gates() * hiddenSize;
    }
}
