package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;

/** CTC loss as a backend op ({@link Op#CTC_LOSS} and its backward), with its backward rule. */
final class CtcOps {
    private CtcOps() {
    }

    /**
     * The per-sample CTC loss [N] (logProbs' dtype) of {@code logProbs} [T, N, C] against int64 {@code targets}
     * (sample b's labels from {@code offsets[b]}), lengths already validated by the caller; with
     * {@code zeroInfinity} an impossible sample gives 0 and no gradient.
     */
    static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, int[] offsets,
                          int blank, boolean zeroInfinity) {
        ElementwiseOps.checkDevices(logProbs, targets);
        int tMax = logProbs.size(0);
        int n = logProbs.size(1);
        long maxS = 0;
        for (long s : targetLengths) {
            maxS = Math.max(maxS, s);
        }
        Device dev = logProbs.device();
        Tensor x;
        Tensor tgt;
        Tensor nll = Torch.zeros(DType.FLOAT64, dev, n);
        Tensor alpha = Torch.zeros(DType.FLOAT64, dev, n, Math.max(tMax, 1), (int) (2 * maxS + 1));
        Tensor raw;
        Tensor keep = null;
        try (var _ = Autograd.noGrad()) {
            x = logProbs.contiguous();
            tgt = targets.contiguous();
            Dispatch.ctc(Op.CTC_LOSS, x, tgt, inputLengths, targetLengths, offsets, blank, nll, alpha, null, null);
            raw = nll.to(logProbs.dtype);
            if (zeroInfinity) {
                Tensor inf = nll.eq(Double.POSITIVE_INFINITY);
                raw = Torch.where(inf.logicalNot(), raw, 0.0);
                keep = inf.logicalNot().to(DType.FLOAT64);
            }
        }
        Tensor kept = keep;
        return FnNode.record1("CtcLossBackward0", raw, logProbs, (g, s) -> {
            Tensor go = g.to(DType.FLOAT64).contiguous();
            if (kept != null) {
                go = go.mul(kept);
            }
            Tensor grad = x.newEmptyShared(x.dtype, x.shape);
            Dispatch.ctc(Op.CTC_LOSS_BACKWARD, x, tgt, inputLengths, targetLengths, offsets, blank, nll, alpha,
                    go, grad);
            return new Tensor[] {grad};
        });
    }
}
