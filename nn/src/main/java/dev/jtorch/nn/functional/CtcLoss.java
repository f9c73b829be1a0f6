package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.SavedTensor;

import java.util.Arrays;

/**
 * CTC loss (Graves et al. 2006) as PyTorch's CPU implementation: the forward (alpha) recursion in log space
 * over the blank-extended target, in double; backward by the beta recursion. As in PyTorch, the gradient
 * returned for {@code logProbs} is the one for log-probabilities produced by log_softmax (it includes the
 * softmax normalisation), so composing with logSoftmax gives the exact gradient of the logits.
 */
final class CtcLoss {
    private CtcLoss() {
    }

    private static double lse(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
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
        double[] x = lp.contiguous().toDoubleArray();
        double[][] alphas = new double[n][];
        double[] nll = new double[n];
        for (int b = 0; b < n; b++) {
            int s = (int) tl[b];
            int len = 2 * s + 1;
            int tb = (int) il[b];
            double[] a = new double[Math.max(tb, 1) * len];
            Arrays.fill(a, Double.NEGATIVE_INFINITY);
            if (tb > 0) {
                a[0] = x[(b) * c + blank];
                if (s > 0) {
                    a[1] = x[b * c + label(tv, offsets[b], 1, blank)];
                }
                for (int t = 1; t < tb; t++) {
                    for (int q = 0; q < len; q++) {
                        int l = label(tv, offsets[b], q, blank);
                        double v = a[(t - 1) * len + q];
                        if (q > 0) {
                            v = lse(v, a[(t - 1) * len + q - 1]);
                        }
                        if (q > 1 && l != blank && l != label(tv, offsets[b], q - 2, blank)) {
                            v = lse(v, a[(t - 1) * len + q - 2]);
                        }
                        a[t * len + q] = v + x[(t * n + b) * c + l];
                    }
                }
                double end = a[(tb - 1) * len + len - 1];
                if (len > 1) {
                    end = lse(end, a[(tb - 1) * len + len - 2]);
                }
                nll[b] = -end;
            } else {
                nll[b] = s == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            alphas[b] = a;
        }
        double[] out = nll.clone();
        if (zeroInfinity) {
            for (int b = 0; b < n; b++) {
                if (Double.isInfinite(out[b])) {
                    out[b] = 0;
                }
            }
        }
        DType dt = logProbs.dtype();
        Tensor raw = Torch.tensor(out, n).to(dt).to(logProbs.device());
        boolean[] zeroed = new boolean[n];
        for (int b = 0; b < n; b++) {
            zeroed[b] = zeroInfinity && Double.isInfinite(nll[b]);
        }
        if (Autograd.needsRecording(logProbs)) {
            Node node = new Node("CtcLossBackward0") {
                private final SavedTensor saved = save(logProbs);

                @Override
                public Tensor[] apply(Tensor[] gradOutputs) {
                    checkNotReleased();
                    saved.get();
                    double[] go = gradOutputs[0].toDoubleArray();
                    double[] grad = backward(x, tv, offsets, il, tl, tMax, n, c, blank, alphas, nll, go, zeroed);
                    Tensor g = Torch.tensor(grad, tMax, n, c).to(dt).to(saved.get().device());
                    return new Tensor[] {unbatched ? g.squeeze(1) : g};
                }
            };
            raw = raw.detach();
            Autograd.record(node, new Tensor[] {logProbs}, raw);
        }
        Tensor loss = unbatched ? raw.squeeze(0) : raw;
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> {
                Tensor lens = Torch.tensor(tl, tl.length).clampMin(1).to(dt).to(logProbs.device());
                yield unbatched ? loss.div(lens.squeeze(0)) : loss.div(lens).mean();
            }
            case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
        };
    }

    private static int label(long[] tv, int offset, int q, int blank) {
        return (q & 1) == 0 ? blank : (int) tv[offset + q / 2];
    }

    private static double[] backward(double[] x, long[] tv, int[] offsets, long[] il, long[] tl, int tMax, int n,
                                     int c, int blank, double[][] alphas, double[] nll, double[] go,
                                     boolean[] zeroed) {
        double[] grad = new double[tMax * n * c];
        for (int b = 0; b < n; b++) {
            int tb = (int) il[b];
            int s = (int) tl[b];
            int len = 2 * s + 1;
            if (zeroed[b] || tb == 0) {
                continue;
            }
            double[] a = alphas[b];
            double[] be = new double[tb * len];
            Arrays.fill(be, Double.NEGATIVE_INFINITY);
            be[(tb - 1) * len + len - 1] = x[((tb - 1) * n + b) * c + blank];
            if (len > 1) {
                be[(tb - 1) * len + len - 2] = x[((tb - 1) * n + b) * c + label(tv, offsets[b], len - 2, blank)];
            }
            for (int t = tb - 2; t >= 0; t--) {
                for (int q = 0; q < len; q++) {
                    int l = label(tv, offsets[b], q, blank);
                    double v = be[(t + 1) * len + q];
                    if (q < len - 1) {
                        v = lse(v, be[(t + 1) * len + q + 1]);
                    }
                    if (q < len - 2 && l != blank && l != label(tv, offsets[b], q + 2, blank)) {
                        v = lse(v, be[(t + 1) * len + q + 2]);
                    }
                    be[t * len + q] = v + x[(t * n + b) * c + l];
                }
            }
            double scale = go[go.length == 1 ? 0 : b];
            for (int t = 0; t < tb; t++) {
                double[] lcab = new double[c];
                Arrays.fill(lcab, Double.NEGATIVE_INFINITY);
                for (int q = 0; q < len; q++) {
                    int l = label(tv, offsets[b], q, blank);
                    lcab[l] = lse(lcab[l], a[t * len + q] + be[t * len + q]);
                }
                for (int k = 0; k < c; k++) {
                    double lpv = x[(t * n + b) * c + k];
                    grad[(t * n + b) * c + k] = (Math.exp(lpv) - Math.exp(lcab[k] + nll[b] - lpv)) * scale;
                }
            }
        }
        return grad;
    }
}
