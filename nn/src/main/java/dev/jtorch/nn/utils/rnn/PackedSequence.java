package dev.jtorch.nn.utils.rnn;

import dev.jtorch.Tensor;

/**
 * A batch of variable-length sequences packed time step by time step, like
 * {@code torch.nn.utils.rnn.PackedSequence}: {@code data} holds, for t = 0, 1, ..., the rows of the
 * {@code batchSizes[t]} sequences still running at step t (longest first); {@code sortedIndices} maps that
 * order to the caller's batch order and {@code unsortedIndices} back (both null when the input was sorted).
 * Recurrent layers take and return it; build one with {@link RnnUtils#packPaddedSequence} or
 * {@link RnnUtils#packSequence}.
 *
 * @param data (sum of lengths, *) rows in packed order
 * @param batchSizes int64 (max length) sequences running at each step, non-increasing
 * @param sortedIndices int64 (B) or null
 * @param unsortedIndices int64 (B) or null
 */
public record PackedSequence(Tensor data, Tensor batchSizes, Tensor sortedIndices, Tensor unsortedIndices) {
    /** The number of sequences. */
    public int batchSize() {
        return (int) batchSizes.toLongArray()[0];
    }

    /** The same packing around new data (e.g. a layer's output rows). */
    public PackedSequence withData(Tensor newData) {
        return new PackedSequence(newData, batchSizes, sortedIndices, unsortedIndices);
    }

    @Override
    public String toString() {
        return "PackedSequence(data=" + data + ", batch_sizes=" + batchSizes + ", sorted_indices="
                + (sortedIndices == null ? "None" : sortedIndices.toString()) + ", unsorted_indices="
                + (unsortedIndices == null ? "None" : unsortedIndices.toString()) + ")";
    }
}
