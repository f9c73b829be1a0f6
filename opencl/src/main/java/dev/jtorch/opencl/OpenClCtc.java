package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;

import java.lang.ref.Reference;

/**
 * {@link OpenClBackend#ctc} on the device: checks the operands and the host-side lengths before anything is
 * enqueued, uploads the per-sample sizes (one small int64 buffer), and runs {@link CtcSource}'s kernels: the alpha
 * recursion and nll for the forward; the links, the beta recursion and the gradient for the backward.
 */
final class OpenClCtc {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClCtc(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    private static void dense(View v, String role, DType dt) {
        if (v == null) {
            throw new IllegalArgumentException("ctc: " + role + " is required");
        }
        if (v.dtype() != dt) {
            throw new IllegalArgumentException("ctc: " + role + " " + v + " is " + v.dtype() + ", expected " + dt);
        }
        if (!v.isContiguous()) {
            throw new IllegalArgumentException("ctc: " + role + " " + v + " must be contiguous");
        }
    }

    private static void count(View v, String role, long n) {
        if (v.numel() != n) {
            throw new IllegalArgumentException("ctc: " + role + " " + v + " has " + v.numel() + " elements, expected "
                    + n);
        }
    }

    /** The work-group size for samples of at most {@code len} extended positions. */
    private int group(ClDevice.Program p, String kernel, int len) {
        int lim = Math.min(256, dev.workGroup(p, kernel));
        int g = 1;
        while (g < len && g < lim) {
            g <<= 1;
        }
        return Math.max(1, Math.min(g, lim));
    }

    void ctc(Op op, View logProbs, View targets, long[] inputLengths, long[] targetLengths, int[] targetOffsets,
             int blank, View nll, View alpha, View gradOut, View grad) {
        if (op != Op.CTC_LOSS && op != Op.CTC_LOSS_BACKWARD) {
            throw new IllegalArgumentException(op + " is not a CTC op");
        }
        if (logProbs == null || logProbs.dim() != 3) {
            throw new IllegalArgumentException("ctc: logProbs must be [T, N, C], got " + logProbs);
        }
        DType dt = logProbs.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException("ctc: expected float32 or float64 logProbs, got " + dt);
        }
        dense(logProbs, "logProbs", dt);
        dense(targets, "targets", DType.INT64);
        int nt = logProbs.size(0);
        int nb = logProbs.size(1);
        int nc = logProbs.size(2);
        if (inputLengths == null || targetLengths == null || targetOffsets == null || inputLengths.length != nb
                || targetLengths.length != nb || targetOffsets.length < nb) {
            throw new IllegalArgumentException("ctc: expected " + nb + " input lengths, target lengths and target "
                    + "offsets");
        }
        if (blank < 0 || blank >= nc) {
            throw new IllegalArgumentException("ctc: blank " + blank + " is outside the " + nc + " classes");
        }
        dense(nll, "nll", DType.FLOAT64);
        count(nll, "nll", nb);
        dense(alpha, "alpha", DType.FLOAT64);
        if (alpha.dim() != 3 || alpha.size(0) != nb || alpha.size(1) < nt) {
            throw new IllegalArgumentException("ctc: alpha must be [" + nb + ", " + nt + ", 2 S + 1], got " + alpha);
        }
        int len0 = alpha.size(2);
        long[] meta = new long[4 * nb];
        long links = 0;
        int maxLen = 1;
        for (int b = 0; b < nb; b++) {
            long il = inputLengths[b];
            long tl = targetLengths[b];
            if (il < 0 || il > nt) {
                throw new IllegalArgumentException("ctc: input length " + il + " of sample " + b + " is outside [0, "
                        + nt + "]");
            }
            if (tl < 0 || 2 * tl + 1 > len0) {
                throw new IllegalArgumentException("ctc: target length " + tl + " of sample " + b + " does not fit "
                        + "alpha's " + len0 + " positions");
            }
            if (targetOffsets[b] < 0 || targetOffsets[b] + tl > targets.numel()) {
                throw new IllegalArgumentException("ctc: the labels [" + targetOffsets[b] + ", "
                        + (targetOffsets[b] + tl) + ") of sample " + b + " are outside the " + targets.numel()
                        + " targets");
            }
            meta[b] = il;
            meta[nb + b] = tl;
            meta[2 * nb + b] = targetOffsets[b];
            meta[3 * nb + b] = links;
            links += tl;
            maxLen = Math.max(maxLen, (int) (2 * tl + 1));
        }
        boolean backward = op == Op.CTC_LOSS_BACKWARD;
        if (backward) {
            dense(gradOut, "gradOut", DType.FLOAT64);
            count(gradOut, "gradOut", nb);
            dense(grad, "grad", dt);
            count(grad, "grad", logProbs.numel());
        }
        if (!dev.fp64) {
            throw new UnsupportedOperationException("ctc needs double precision (cl_khr_fp64) on " + dev.label());
        }
        OpenClStorage slp = backend.checked(logProbs, "logProbs");
        OpenClStorage stg = backend.checked(targets, "targets");
        OpenClStorage snll = backend.checked(nll, "nll");
        OpenClStorage sal = backend.checked(alpha, "alpha");
        if (nb == 0) {
            return;
        }
        // an empty operand has no buffer: any other buffer stands in (it is not read)
        OpenClStorage sm = (OpenClStorage) backend.fromHost(meta, DType.INT64);
        BufferPool.Block any = sm.block();
        BufferPool.Block lp = slp.block() == null ? any : slp.block();
        BufferPool.Block tg = stg.block() == null ? any : stg.block();
        BufferPool.Block al = sal.block() == null ? any : sal.block();
        ClDevice.Program p = backend.program("ctc " + dt, () -> CtcSource.program(dt));
        if (!backward) {
            int local = group(p, "ctc_alpha", maxLen);
            dev.launch3(p, "ctc_alpha", new long[] {(long) nb * local, 1, 1}, new long[] {local, 1, 1}, lp,
                    logProbs.storageOffset(), tg, targets.storageOffset(), sm.block(), al,
                    alpha.storageOffset(), snll.block(), nll.storageOffset(), nt, nb, nc, len0, blank);
        } else {
            OpenClStorage sgo = backend.checked(gradOut, "gradOut");
            OpenClStorage sgr = backend.checked(grad, "grad");
            if (grad.numel() > 0) {
                OpenClStorage beta = (OpenClStorage) backend.allocate(DType.FLOAT64, View.intCount((long) nb * nt
                        * len0, alpha.shape()));
                OpenClStorage lk = (OpenClStorage) backend.allocate(DType.INT64, View.intCount((long) nb * nc
                        + links, alpha.shape()));
                int local = group(p, "ctc_beta", maxLen);
                dev.launch3(p, "ctc_beta", new long[] {(long) nb * local, 1, 1}, new long[] {local, 1, 1}, lp,
                        logProbs.storageOffset(), tg, targets.storageOffset(), sm.block(), beta.block(),
                        sgo.block(), gradOut.storageOffset(), nt, nb, nc, len0, blank);
                dev.launch(p, "ctc_links", nb * nc, tg, targets.storageOffset(), sm.block(), lk.block(), nb, nc);
                dev.launch(p, "ctc_grad", grad.intNumel(), lp, logProbs.storageOffset(), tg, targets.storageOffset(),
                        sm.block(), lk.block(), al, alpha.storageOffset(), beta.block(), snll.block(),
                        nll.storageOffset(), sgo.block(), gradOut.storageOffset(), sgr.block(), grad.storageOffset(),
                        nt, nb, nc, len0, blank);
                Reference.reachabilityFence(beta);
                Reference.reachabilityFence(lk);
            }
            Reference.reachabilityFence(sgo);
            Reference.reachabilityFence(sgr);
        }
        Reference.reachabilityFence(sm);
        Reference.reachabilityFence(slp);
        Reference.reachabilityFence(stg);
        Reference.reachabilityFence(snll);
        Reference.reachabilityFence(sal);
    }
}
