package dev.jtorch.nn.functional;

import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.util.Arrays;

/**
 * CTC loss (Graves et al. 2006): checks the arguments as PyTorch does, lays the targets out per sample and
 * runs the engine's CTC op ({@link NnOps#ctcLoss}: the alpha recursion forward and the beta recursion
 * backward on the tensors' backend), then reduces. As in PyTorch, the gradient returned for {@code logProbs}
 * is the one for log-probabilities produced by log_softmax (it includes the softmax normalisation), so
 * composing with logSoftmax gives the exact gradient of the logits.
 */
final class CtcLoss {
    private CtcLoss() {
    }

    static Tensor apply(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, int blank,
                        Reduction r, boolean zeroInfinity) {
        boolean unbatched = logProbs.dim() == 2;
        Tensor lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
        if (lp.dim() != 3) {
            throw new IllegalArgumentException("ctc_loss: log_probs must be (T, N, C) or (T, C), got "
                    + Arrays.toString(logProbs.shape()));
        }
        int tMax = lp.size(0);
        int n = lp.size(1);
        int c = lp.size(2);
        if (blank < 0 || blank >= c) {
            throw new IllegalArgumentException("blank must be in label range");
        }
        F.requireLong("ctc_loss", targets);
        long[] il = unbatched ? new long[] {inputLengths.toLongArray()[0]} : inputLengths.toLongArray();
        long[] tl = unbatched ? new long[] {targetLengths.toLongArray()[0]} : targetLengths.toLongArray();
        if (il.length != n || tl.length != n) {
            throw new IllegalArgumentException("ctc_loss: input_lengths and target_lengths must have " + n
                    + " entries, got " + il.length + " and " + tl.length);
        }
        long[] tv = targets.toLongArray();
        boolean padded = unbatched ? false : targets.dim() == 2;
        int sMax = padded ? targets.size(1) : 0;
        int[] offsets = new int[n];
        int total = 0;
        for (int b = 0; b < n; b++) {
            if (il[b] < 0 || il[b] > tMax) {
                throw new IllegalArgumentException("Expected input_lengths to have value at most " + tMax + ", but got"
                        + " value " + il[b] + " (while checking arguments for ctc_loss_cpu)");
            }
            if (tl[b] < 0) {
                throw new IllegalArgumentException("target_lengths must be non-negative, got " + tl[b]);
            }
            if (padded) {
                if (tl[b] > sMax) {
                    throw new IllegalArgumentException("Expected tensor to have size at least " + tl[b]
                            + " at dimension 1, but got size " + sMax + " for argument #2 'targets' (while checking "
                            + "arguments for ctc_loss_cpu)");
                }
                offsets[b] = b * sMax;
            } else {
                offsets[b] = total;
                total += (int) tl[b];
            }
        }
        if (!padded && total > tv.length) {
            throw new IllegalArgumentException("ctc_loss: target_lengths sum to " + total + " but targets has "
                    + tv.length + " entries");
        }
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < tl[b]; i++) {
                long label = tv[offsets[b] + i];
                if (label < 0 || label >= c) {
                    throw new IndexOutOfBoundsException("ctc_loss: target label " + label + " of sample " + b
                            + " is out of range for " + c + " classes");
                }
            }
        }
        Tensor raw = NnOps.ctcLoss(lp, targets.reshape(-1), il, tl, offsets, blank, zeroInfinity);
        Tensor loss = unbatched ? raw.squeeze(0) : raw;
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> {
                Tensor lens = Torch.tensor(tl, tl.length).clampMin(1).to(logProbs.dtype()).to(logProbs.device());
                yield unbatched ? loss.div(lens.squeeze(0)) : loss.div(lens).mean();
            }
            case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
        };
    }
}
