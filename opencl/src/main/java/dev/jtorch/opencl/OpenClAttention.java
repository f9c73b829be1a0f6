package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;

import java.lang.ref.Reference;

import static dev.jtorch.opencl.AttentionSource.VIEWS;

/**
 * {@link OpenClBackend#attention} on the device: checks the views ({@link AttentionShape#check}) and their
 * storages before anything is enqueued, uploads each batch item's storage offsets (one small int64 buffer), and
 * runs {@link AttentionSource}'s kernels: {@code attn_fwd} for the forward; {@code attn_bwd_d},
 * {@code attn_bwd_dq} and {@code attn_bwd_dkv} for the backward. Launches are 2-D: query (or key) rows in
 * work-groups along dim 0, the batch item along dim 1, so each work-group is one (batch item, tile of rows).
 */
final class OpenClAttention {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClAttention(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    /** The storage offset of batch item b of a view whose leading {@code dims} dims are batch dims. */
    private static long base(View v, int dims, int b) {
        long off = v.storageOffset();
        int[] shape = v.shape();
        int[] stride = v.stride();
        for (int d = dims - 1; d >= 0; d--) {
            int idx = b % shape[d];
            b /= shape[d];
            off += (long) idx * stride[d];
        }
        return off;
    }

    void attention(Op op, AttentionShape sh, View[] in, View[] out) {
        sh.check(op, in, out);
        boolean fwd = op == Op.ATTENTION;
        DType dt = in[0].dtype();
        if (dt == DType.FLOAT64 && !dev.fp64) {
            throw new UnsupportedOperationException("attention in float64 needs double precision (cl_khr_fp64) on "
                    + dev.label());
        }
        // every view by its position in the kernels' table (null where absent)
        View[] vs = new View[VIEWS];
        vs[AttentionSource.Q] = in[0];
        vs[AttentionSource.K] = in[1];
        vs[AttentionSource.V] = in[2];
        vs[AttentionSource.MASK] = in[3];
        vs[AttentionSource.DROP] = in[4];
        if (fwd) {
            vs[AttentionSource.O] = out[0];
            vs[AttentionSource.LSE] = out[1];
        } else {
            vs[AttentionSource.O] = in[5];
            vs[AttentionSource.LSE] = in[6];
            vs[AttentionSource.DO] = in[7];
            vs[AttentionSource.DQ] = out[0];
            vs[AttentionSource.DK] = out[1];
            vs[AttentionSource.DV] = out[2];
            vs[AttentionSource.DS] = out[3];
        }
        OpenClStorage[] st = new OpenClStorage[VIEWS];
        int[] rs = new int[VIEWS];
        int[] cs = new int[VIEWS];
        for (int w = 0; w < VIEWS; w++) {
            View v = vs[w];
            if (v == null) {
                continue;
            }
            st[w] = backend.checked(v, "attention operand " + w);
            int nd = v.dim();
            if (w == AttentionSource.LSE) {
                rs[w] = v.stride()[nd - 1];
            } else {
                rs[w] = v.stride()[nd - 2];
                cs[w] = v.stride()[nd - 1];
            }
        }
        int nb = sh.batch();
        if (nb == 0 || (sh.queries() == 0 && (fwd || sh.keys() == 0))) {
            return;
        }
        long[] offs = new long[nb * VIEWS];
        for (int b = 0; b < nb; b++) {
            for (int w = 0; w < VIEWS; w++) {
                View v = vs[w];
                if (v != null) {
                    offs[b * VIEWS + w] = base(v, w == AttentionSource.LSE ? v.dim() - 1 : v.dim() - 2, b);
                }
            }
        }
        OpenClStorage so = (OpenClStorage) backend.fromHost(offs, DType.INT64);
        BufferPool.Block any = so.block();
        BufferPool.Block[] blk = new BufferPool.Block[VIEWS];
        for (int w = 0; w < VIEWS; w++) {
            blk[w] = st[w] == null || st[w].block() == null ? any : st[w].block();
        }
        int maskKind = in[3] == null ? 0 : in[3].dtype() == DType.BOOL ? 1 : 2;
        DType maskType = in[3] == null ? null : in[3].dtype();
        int[] g = AttentionSource.pack(nb, sh.queries(), sh.keys(), sh.headDim(), sh.valueDim(), sh.causal(), maskKind,
                in[4] != null, !fwd && out[3] != null, rs, cs);
        ClDevice.Program p = backend.program("attention " + dt + " " + maskType,
                () -> AttentionSource.program(dt, maskType));
        Object scale = dt == DType.FLOAT64 ? (Object) sh.scale() : (Object) (float) sh.scale();
        int l = sh.queries();
        int s = sh.keys();
        if (fwd) {
            launch(p, "attn_fwd", l, nb, blk[0], blk[1], blk[2], blk[3], blk[4], blk[5], blk[6], so.block(), g, scale,
                    out[1] != null ? 1 : 0);
        } else {
            OpenClStorage dd = l == 0 ? null : (OpenClStorage) backend.allocate(dt, View.intCount((long) nb * l,
                    in[0].shape()));
            BufferPool.Block ddb = dd == null ? any : dd.block();
            if (l > 0) {
                launch(p, "attn_bwd_d", l, nb, blk[5], blk[7], ddb, so.block(), g);
                launch(p, "attn_bwd_dq", l, nb, blk[0], blk[1], blk[2], blk[3], blk[4], blk[6], blk[7], ddb, blk[8],
                        blk[11], so.block(), g, scale);
            }
            if (s > 0) {
                launch(p, "attn_bwd_dkv", s, nb, blk[0], blk[1], blk[2], blk[3], blk[4], blk[6], blk[7], ddb, blk[9],
                        blk[10], so.block(), g, scale);
            }
            Reference.reachabilityFence(dd);
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(st);
    }

    /** Runs {@code kernel} over {@code rows} rows of each of {@code nb} batch items. */
    private void launch(ClDevice.Program p, String kernel, int rows, int nb, Object... args) {
        int local = Math.max(1, Math.min(64, dev.workGroup(p, kernel)));
        long global = ((long) rows + local - 1) / local * local;
        dev.launch3(p, kernel, new long[] {global, nb, 1}, new long[] {local, 1, 1}, args);
    }
}
