package dev.jtorch.nn.utils.rnn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.nn.utils.rnn}: packing and padding variable-length sequences. Every function is composed of
 * differentiable tensor ops, so gradients flow through packing and unpacking.
 *
 * <p>Example:
 * <pre>{@code
 * PackedSequence p = RnnUtils.packPaddedSequence(padded, new long[] {5, 3, 4}, true, false);
 * RnnUtils.Padded out = RnnUtils.padPackedSequence(p, true);   // out.padded(), out.lengths()
 * }</pre>
 */
public final class RnnUtils {
    private RnnUtils() {
    }

    /** A padded batch and the length of each sequence ({@code pad_packed_sequence}'s result). */
    public record Padded(Tensor padded, Tensor lengths) {
    }

    /**
     * Packs a padded batch (T, B, *) or, with batchFirst, (B, T, *). With enforceSorted the lengths must be
     * non-increasing; otherwise the batch is sorted and the permutation kept in the result.
     */
    public static PackedSequence packPaddedSequence(Tensor input, long[] lengths, boolean batchFirst,
                                                    boolean enforceSorted) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("pack_padded_sequence: input must have at least 2 dims (T, B, *), got "
                    + Arrays.toString(input.shape()));
        }
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int t = x.size(0);
        int b = x.size(1);
        if (lengths.length != b) {
            throw new IllegalArgumentException("Expected `len(lengths)` to be equal to batch_size, but got "
                    + lengths.length + " (batch_size=" + b + ")");
        }
        if (x.numel() == 0) {
            throw new IllegalArgumentException("Cannot pack empty tensors.");
        }
        for (long l : lengths) {
            if (l <= 0) {
                throw new IllegalArgumentException("Length of all samples has to be greater than 0, but found an "
                        + "element in 'lengths' that is <= 0");
            }
            if (l > t) {
                throw new IllegalArgumentException("pack_padded_sequence: a length of " + l + " exceeds the "
                        + "sequence dimension of the input (" + t + ")");
            }
        }
        Tensor sorted = null;
        long[] lens = lengths.clone();
        if (enforceSorted) {
            for (int i = 1; i < b; i++) {
                if (lens[i] > lens[i - 1]) {
                    throw new IllegalArgumentException("`lengths` array must be sorted in decreasing order when "
                            + "`enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence "
                            + "and/or pack_sequence to sidestep this requirement if you do not need ONNX "
                            + "exportability.");
                }
            }
        } else {
            Integer[] order = new Integer[b];
            for (int i = 0; i < b; i++) {
                order[i] = i;
            }
            // a stable sort, descending, as torch.sort(descending=True) gives for these inputs
            Arrays.sort(order, (p, q) -> Long.compare(lengths[q], lengths[p]));
            long[] idx = new long[b];
            for (int i = 0; i < b; i++) {
                idx[i] = order[i];
                lens[i] = lengths[order[i]];
            }
            // on the input's device, as PyTorch keeps sorted_indices (batch_sizes stay on the CPU)
            sorted = Torch.tensor(idx).to(x.device());
            x = x.indexSelect(1, sorted);
        }
        int maxLen = (int) lens[0];
        long[] batchSizes = new long[maxLen];
        Tensor[] rows = new Tensor[maxLen];
        for (int step = 0; step < maxLen; step++) {
            int n = 0;
            while (n < b && lens[n] > step) {
                n++;
            }
            batchSizes[step] = n;
            rows[step] = x.select(0, step).narrow(0, 0, n);
        }
        Tensor data = Torch.cat(rows, 0);
        return new PackedSequence(data, Torch.tensor(batchSizes), sorted, sorted == null ? null : invert(sorted));
    }

    /** {@code pack_padded_sequence(input, lengths)}: time-major, lengths sorted (enforce_sorted=True). */
    public static PackedSequence packPaddedSequence(Tensor input, long[] lengths) {
        return packPaddedSequence(input, lengths, false, true);
    }

    /** {@link #packPaddedSequence} with lengths as an int64 tensor. */
    public static PackedSequence packPaddedSequence(Tensor input, Tensor lengths, boolean batchFirst,
                                                    boolean enforceSorted) {
        return packPaddedSequence(input, lengths.toLongArray(), batchFirst, enforceSorted);
    }

    static Tensor invert(Tensor permutation) {
        long[] p = permutation.toLongArray();
        long[] inv = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            inv[(int) p[i]] = i;
        }
        return Torch.tensor(inv).to(permutation.device());
    }

    /** {@code pad_packed_sequence(sequence)}: time-major, padded with 0, as long as the longest sequence. */
    public static Padded padPackedSequence(PackedSequence sequence) {
        return padPackedSequence(sequence, false, 0.0);
    }

    /** {@code pad_packed_sequence(sequence, batch_first)}: padded with 0. */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst) {
        return padPackedSequence(sequence, batchFirst, 0.0);
    }

    /** {@code pad_packed_sequence(sequence, batch_first, padding_value)}: as long as the longest sequence. */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue) {
        return pad(sequence, batchFirst, paddingValue, -1);
    }

    /**
     * Unpacks to a padded batch in the caller's order, and each sequence's length; {@code totalLength} pads the
     * time dim to that length ({@code total_length}; it must be at least the longest sequence's).
     */
    public static Padded padPackedSequence(PackedSequence sequence, boolean batchFirst, double paddingValue,
                                           int totalLength) {
        if (totalLength < 0) {
            throw new IllegalArgumentException("total_length must be non-negative, got " + totalLength);
        }
        return pad(sequence, batchFirst, paddingValue, totalLength);
    }

    private static Padded pad(PackedSequence sequence, boolean batchFirst, double paddingValue, int totalLength) {
        long[] bs = sequence.batchSizes().toLongArray();
        int maxLen = bs.length;
        int b = (int) bs[0];
        if (totalLength >= 0 && totalLength < maxLen) {
            throw new IllegalArgumentException("Expected total_length to be at least the length of the longest "
                    + "sequence in input, but got total_length=" + totalLength + " and max sequence length being "
                    + maxLen);
        }
        int len = totalLength < 0 ? maxLen : totalLength;
        Tensor data = sequence.data();
        int[] rowShape = data.shape();
        List<Tensor> steps = new ArrayList<>();
        int offset = 0;
        for (int step = 0; step < len; step++) {
            int n = step < maxLen ? (int) bs[step] : 0;
            Tensor rows = n > 0 ? data.narrow(0, offset, n) : null;
            offset += n;
            if (n < b) {
                int[] padShape = rowShape.clone();
                padShape[0] = b - n;
                Tensor pad = data.newFull(padShape, paddingValue, data.dtype());
                rows = rows == null ? pad : Torch.cat(new Tensor[] {rows, pad}, 0);
            }
            steps.add(rows);
        }
        Tensor padded = Torch.stack(steps.toArray(new Tensor[0]), 0);
        long[] lengths = new long[b];
        for (int step = 0; step < maxLen; step++) {
            for (int i = 0; i < bs[step]; i++) {
                lengths[i]++;
            }
        }
        Tensor lens = Torch.tensor(lengths);
        if (sequence.unsortedIndices() != null) {
            padded = padded.indexSelect(1, sequence.unsortedIndices());
            // the lengths stay on the CPU, as PyTorch's (lengths[unsorted_indices.cpu()])
            lens = lens.indexSelect(0, sequence.unsortedIndices().cpu());
        }
        return new Padded(batchFirst ? padded.transpose(0, 1) : padded, lens);
    }

    /** {@code pad_sequence(sequences)}: time-major, padded with 0. */
    public static Tensor padSequence(List<Tensor> sequences) {
        return padSequence(sequences, false, 0.0);
    }

    /** Stacks sequences of shape (L_i, *) into (maxL, B, *) (or (B, maxL, *)) padded with paddingValue. */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, double paddingValue) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("pad_sequence: received an empty list of sequences");
        }
        int maxLen = 0;
        for (Tensor s : sequences) {
            maxLen = Math.max(maxLen, s.size(0));
        }
        Tensor[] cols = new Tensor[sequences.size()];
        for (int i = 0; i < cols.length; i++) {
            Tensor s = sequences.get(i);
            if (s.size(0) < maxLen) {
                int[] padShape = s.shape();
                padShape[0] = maxLen - s.size(0);
                s = Torch.cat(new Tensor[] {s, s.newFull(padShape, paddingValue, s.dtype())}, 0);
            }
            cols[i] = s;
        }
        return Torch.stack(cols, batchFirst ? 0 : 1);
    }

    /** {@code pack_sequence(sequences)}: the sequences sorted by decreasing length (enforce_sorted=True). */
    public static PackedSequence packSequence(List<Tensor> sequences) {
        return packSequence(sequences, true);
    }

    /** Packs a list of sequences (L_i, *), sorted longest first unless enforceSorted is false. */
    public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
        long[] lengths = new long[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).size(0);
        }
        return packPaddedSequence(padSequence(sequences, false, 0), lengths, false, enforceSorted);
    }

    /** The sequences of a packed batch, in the caller's order. */
    public static List<Tensor> unpackSequence(PackedSequence packed) {
        Padded p = padPackedSequence(packed, true);
        return unpadSequence(p.padded(), p.lengths().toLongArray(), true);
    }

    /** {@code unpad_sequence(padded, lengths)}: time-major. */
    public static List<Tensor> unpadSequence(Tensor padded, long[] lengths) {
        return unpadSequence(padded, lengths, false);
    }

    /** The sequences of a padded batch given their lengths. */
    public static List<Tensor> unpadSequence(Tensor padded, long[] lengths, boolean batchFirst) {
        Tensor x = batchFirst ? padded : padded.transpose(0, 1);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            out.add(x.select(0, i).narrow(0, 0, (int) lengths[i]));
        }
        return out;
    }
}
