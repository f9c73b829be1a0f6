package dev.jtorch.backend.cpu;

import dev.jtorch.RnnMode;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.PackedB;
import dev.jtorch.kernels.RnnGates.Nonlinearity;

/**
 * The CPU backend's recurrent layer ({@link dev.jtorch.backend.Op#RNN_LAYER_FORWARD} and
 * {@code RNN_LAYER_BACKWARD}): one layer in one direction over packed rows, on the fused kernels.
 *
 * <p>The input projection of all steps is one GEMM (with b_hh folded in for RNN and LSTM, where it is a plain
 * addend); each step is one hidden GEMM (GEMV at batch 1) on W_hh^T packed once (and kept across calls while
 * the weight is unchanged, see {@link PackedWeights}) and one fused gate kernel; backward runs the fused gate
 * backward per step (W_hh packed once for its products) and computes every weight gradient as one GEMM over
 * all steps. The outputs and final states are written in place in the caller's views, and what backward needs
 * in its reserve; workspaces are sized once per call, and nothing is allocated per step.
 */
final class CpuRnn {
    private CpuRnn() {
    }

    /**
     * Rows of the input projection per chunk in inference (at least one step's): 128 rows of an LSTM with
     * H = 256 are 512 KiB, which stay in L2 next to the packed W_hh^T until the steps read them.
     */
    static final int CHUNK_ROWS = 128;
    /** {@link #CHUNK_ROWS}, lowered by tests to force many chunks on small inputs. */
    static volatile int chunkRows = CHUNK_ROWS;

    /**
     * Where the reserve keeps each step's values, as offsets from its start: the previous hidden state (N x P,
     * for dW_hh), the activations (LSTM: the gates, N x 4H, which are also the forward's input projection;
     * GRU: its 4H workspace per row), the LSTM's previous and new cell states (N x H each) and unprojected
     * hidden state (N x H, with a projection). A plain RNN needs only the previous state: its backward reads
     * the output.
     */
    private record Reserve(int hPrev, int act, int cPrev, int c, int hFull, int size) {
        static Reserve of(RnnLayer l) {
            long n = l.rows();
            long h = l.hiddenSize();
            long hPrev = 0;
            long act = hPrev + n * l.outputSize();
            long actLen = l.mode() == RnnMode.LSTM || l.mode() == RnnMode.GRU ? n * 4 * h : 0;
            long cPrev = act + actLen;
            long lstm = l.mode() == RnnMode.LSTM ? n * h : 0;
            long c = cPrev + lstm;
            long hFull = c + lstm;
            long size = hFull + (l.projSize() > 0 ? n * h : 0);
            if (size > View.LIMIT) {
                throw new IllegalArgumentException("the saved activations of a recurrent layer of " + n + " rows ("
                        + size + " elements) exceed jtorch's limit of " + View.LIMIT + " elements per storage");
            }
            return new Reserve((int) hPrev, (int) act, (int) cPrev, (int) c, (int) hFull, (int) size);
        }
    }

    static int reserveSize(RnnLayer l) {
        return Reserve.of(l).size();
    }

    private static Object arr(View v) {
        return ((CpuStorage) v.storage()).array;
    }

    /** Copies {@code len} elements from the start of a contiguous view; nothing when len is 0. */
    private static void copy(View src, Object dst, int d, int len) {
        if (len > 0) {
            System.arraycopy(arr(src), src.storageOffset(), dst, d, len);
        }
    }

    private static int[] starts(int[] bs) {
        int[] start = new int[bs.length];
        for (int t = 1; t < bs.length; t++) {
            start[t] = start[t - 1] + bs[t - 1];
        }
        return start;
    }

    private static Nonlinearity nonlinearity(RnnMode mode) {
        return mode == RnnMode.RNN_RELU ? Nonlinearity.RELU : Nonlinearity.TANH;
    }

    private static void checkDense(View[] views) {
        for (View v : views) {
            if (v != null && !v.isContiguous()) {
                throw new IllegalArgumentException("rnn: operands must be contiguous, got " + v);
            }
        }
    }

    /** RNN_LAYER_FORWARD; argument positions as {@link dev.jtorch.backend.Backend#rnn} documents them. */
    static void forward(RnnLayer l, View[] in, View[] out) {
        checkDense(in);
        checkDense(out);
        View x = in[0], h0 = in[1], c0 = in[2], wIh = in[3], wHh = in[4], bIh = in[5], bHh = in[6], wHr = in[7];
        View y = out[0], hN = out[1], cN = out[2], res = out[3];
        if (CpuRnnBatch1.applies(l, x, res, wHr)) {
            CpuRnnBatch1.forward(l, in, out);
            return;
        }
        RnnArrays k = RnnArrays.of(x.dtype());
        RnnMode mode = l.mode();
        int[] bs = l.batchSizes();
        int steps = bs.length;
        int n = l.rows();
        int in0 = l.inputSize();
        int h = l.hiddenSize();
        int p = l.outputSize();
        int b = l.batch();
        int gh = l.gateWidth();
        int[] start = starts(bs);
        Nonlinearity nl = nonlinearity(mode);
        // Training keeps every step's activations for backward (in the reserve); inference keeps one step's and
        // one chunk's.
        boolean record = res != null;
        Reserve rv = record ? Reserve.of(l) : null;
        Object ra = record ? arr(res) : null;
        int ro = record ? res.storageOffset() : 0;
        Object xa = arr(x);
        int xo = x.storageOffset();
        Object bias = inputBias(k, mode, bIh, bHh, gh);
        Object bhh = bHh == null || mode != RnnMode.GRU ? null : dataOf(bHh, gh);
        int bhhO = bhh == null || bhh != arr(bHh) ? 0 : bHh.storageOffset();
        // W_ih^T (In x G*H), W_hh^T (P x G*H) and W_hr^T (H x P) packed once, for all chunks and steps
        PackedB wihT = PackedWeights.get(k, wIh, true, in0, gh);
        PackedB whhT = PackedWeights.get(k, wHh, true, p, gh);
        PackedB whrT = wHr == null ? null : PackedWeights.get(k, wHr, true, h, p);

        // The input projection xw = x W_ih^T + bias runs one chunk of consecutive steps at a time (at least
        // CHUNK_ROWS rows), so the rows a step reads are still in cache. When recording, xw spans all rows (it
        // doubles as the LSTM's saved activations); RNN/LSTM still project by chunks then (LSTM (100, 32, 128,
        // 256) forward+backward 88-93 ms against 99-105 in one projection, alternating runs), GRU, which keeps its
        // activations elsewhere, in one GEMM (300-323 ms against 330-350 by chunks at (50, 64, 512, 512)).
        int chunkMax = record && mode == RnnMode.GRU ? n : Math.min(n, Math.max(chunkRows, bs[0]));
        Object xw;
        int xwO;
        if (record && mode == RnnMode.LSTM) {
            xw = ra;
            xwO = ro + rv.act();
        } else {
            xw = k.alloc((record ? n : chunkMax) * gh);
            xwO = 0;
        }
        int chunkLo = 0;
        int chunkHi = 0; // rows [chunkLo, chunkHi) of x are projected in xw, from xw row 0 (record: from row chunkLo)

        Object state = arr(hN);
        int so = hN.storageOffset();
        copy(h0, state, so, b * p);
        Object cell = null;
        int co = 0;
        if (mode == RnnMode.LSTM) {
            cell = arr(cN);
            co = cN.storageOffset();
            copy(c0, cell, co, b * h);
        }
        Object ya = arr(y);
        int yo = y.storageOffset();
        // Per-step buffers, each an (array, offset) pair: the reserve's regions (record), or one step's worth
        Object hPrevAll = ra;
        int hpO = ro + (record ? rv.hPrev() : 0);
        Object act = null;
        int actO = 0;
        if (mode == RnnMode.GRU) {
            act = record ? ra : k.alloc(b * 4 * h);
            actO = record ? ro + rv.act() : 0;
        } else if (mode == RnnMode.LSTM && record) {
            act = xw;
            actO = xwO;
        }
        Object cPrevAll = mode == RnnMode.LSTM && record ? ra : null;
        int cpO = record ? ro + rv.cPrev() : 0;
        Object cAll = mode == RnnMode.LSTM ? (record ? ra : k.alloc(b * h)) : null;
        int caO = record ? ro + rv.c() : 0;
        Object hFullAll = mode == RnnMode.LSTM && whrT != null ? (record ? ra : k.alloc(b * h)) : null;
        int hfO = record ? ro + rv.hFull() : 0;
        Object hg = mode == RnnMode.GRU ? k.alloc(b * 3 * h) : null;
        // an empty batch (n = 0) has nothing to compute: empty outputs and states
        for (int s = 0; s < steps && n > 0; s++) {
            int t = l.reverse() ? steps - 1 - s : s;
            int rows = bs[t];
            int r0 = start[t];
            if (r0 < chunkLo || r0 + rows > chunkHi) {
                // project the next chunk: this step and the following ones in processing order, whose rows are
                // contiguous (backwards in packed order when reverse)
                int lo = r0;
                int hi = r0 + rows;
                for (int u = s + 1; u < steps; u++) {
                    int tu = l.reverse() ? steps - 1 - u : u;
                    int nlo = Math.min(lo, start[tu]);
                    int nhi = Math.max(hi, start[tu] + bs[tu]);
                    if (nhi - nlo > chunkMax) {
                        break;
                    }
                    lo = nlo;
                    hi = nhi;
                }
                int dst = xwO + (record ? lo * gh : 0);
                k.gemm(false, hi - lo, xa, xo + lo * in0, in0, wihT, 0, xw, dst, gh);
                if (bias != null) {
                    k.addRows(xw, dst, hi - lo, bias, 0, gh);
                }
                chunkLo = lo;
                chunkHi = hi;
            }
            int xr = xwO + (record ? r0 : r0 - chunkLo) * gh;
            int ko = record ? r0 : 0; // row of the per-step buffers
            if (record) {
                System.arraycopy(state, so, hPrevAll, hpO + r0 * p, rows * p);
            }
            switch (mode) {
                case LSTM -> {
                    // gates = (xw rows + b_ih + b_hh) + h W_hh^T, activated in place by the fused kernel
                    k.gemm(false, rows, state, so, p, whhT, 1, xw, xr, gh);
                    Object cPrev = cell;
                    int cPrevO = co;
                    if (record) {
                        System.arraycopy(cell, co, cPrevAll, cpO + r0 * h, rows * h);
                        cPrev = cPrevAll;
                        cPrevO = cpO + r0 * h;
                    }
                    Object hOut = hFullAll != null ? hFullAll : ya;
                    int hOff = hFullAll != null ? hfO + ko * h : yo + r0 * p;
                    k.lstmForward(rows, h, xw, xr, cPrev, cPrevO, cAll, caO + ko * h, hOut, hOff, xw, xr);
                    System.arraycopy(cAll, caO + ko * h, cell, co, rows * h);
                    if (hFullAll != null) {
                        k.gemm(false, rows, hFullAll, hfO + ko * h, h, whrT, 0, ya, yo + r0 * p, p);
                    }
                }
                case GRU -> {
                    k.gemm(false, rows, state, so, p, whhT, 0, hg, 0, gh);
                    if (bhh != null) {
                        k.addRows(hg, 0, rows, bhh, bhhO, gh);
                    }
                    Object hPrev = record ? hPrevAll : state;
                    int hPrevO = record ? hpO + r0 * p : so;
                    k.gruForward(rows, h, xw, xr, hg, 0, hPrev, hPrevO, ya, yo + r0 * p, act, actO + ko * 4 * h);
                }
                default -> {
                    k.gemm(false, rows, state, so, p, whhT, 1, xw, xr, h);
                    k.rnnForward(rows, h, nl, xw, xr, ya, yo + r0 * p);
                }
            }
            System.arraycopy(ya, yo + r0 * p, state, so, rows * p);
        }
    }

    /**
     * A bias's array: its storage's, or for float16 / bfloat16 weights of a float32 inference (module.to(half)),
     * the first n elements widened to a new float[] (from index 0).
     */
    private static Object dataOf(View v, int n) {
        return arr(v) instanceof short[] ? HalfArrays.widen(v, n) : arr(v);
    }

    /**
     * The bias added to the input projection: b_ih, plus b_hh for RNN and LSTM, where it is a plain addend of
     * the pre-activation (GRU's b_hn sits inside r * (W_hn h + b_hn) and is added per step). Null if none.
     */
    private static Object inputBias(RnnArrays k, RnnMode mode, View bIh, View bHh, int gh) {
        boolean withHh = bHh != null && mode != RnnMode.GRU;
        if (bIh == null && !withHh) {
            return null;
        }
        Object bias = k.alloc(gh);
        if (bIh != null) {
            Object b = dataOf(bIh, gh);
            k.add(bias, 0, b, b == arr(bIh) ? bIh.storageOffset() : 0, gh);
        }
        if (withHh) {
            Object b = dataOf(bHh, gh);
            k.add(bias, 0, b, b == arr(bHh) ? bHh.storageOffset() : 0, gh);
        }
        return bias;
    }

    /**
     * RNN_LAYER_BACKWARD: fused gate backward per step, weight gradients as GEMMs over all steps; argument
     * positions as {@link dev.jtorch.backend.Backend#rnn} documents them.
     */
    static void backward(RnnLayer l, View[] in, View[] out) {
        checkDense(in);
        checkDense(out);
        View x = in[0], wIh = in[1], wHh = in[2], wHr = in[3], y = in[4], res = in[5];
        View dy = in[6], dhN = in[7], dcN = in[8];
        View dxV = out[0], dh0 = out[1], dc0 = out[2], dwIh = out[3], dwHh = out[4], dbIh = out[5],
                dbHh = out[6], dwHr = out[7];
        RnnArrays k = RnnArrays.of(x.dtype());
        RnnMode mode = l.mode();
        Reserve rv = Reserve.of(l);
        Object ra = arr(res);
        int ro = res.storageOffset();
        int n = l.rows();
        int in0 = l.inputSize();
        int h = l.hiddenSize();
        int p = l.outputSize();
        int b = l.batch();
        int gh = l.gateWidth();
        int[] bs = l.batchSizes();
        int[] start = starts(bs);
        int steps = bs.length;
        Nonlinearity nl = nonlinearity(mode);
        // W_hh (G*H x P) and W_hr (P x H) as the right operands of the per-step products dGates W_hh, dh W_hr
        PackedB whh = PackedWeights.get(k, wHh, false, gh, p);
        PackedB whr = wHr == null ? null : PackedWeights.get(k, wHr, false, p, h);
        // the running gradient of the hidden state: dh_n, then that of each earlier step's; dh0 at the end
        Object dh = dh0 != null ? arr(dh0) : k.alloc(b * p);
        int dhO = dh0 != null ? dh0.storageOffset() : 0;
        if (dhN != null) {
            copy(dhN, dh, dhO, b * p);
        } else {
            k.zero(dh, dhO, b * p);
        }
        Object dc = null;
        int dcO = 0;
        Object dcPrev = null;
        if (mode == RnnMode.LSTM) {
            dc = dc0 != null ? arr(dc0) : k.alloc(b * h);
            dcO = dc0 != null ? dc0.storageOffset() : 0;
            dcPrev = k.alloc(b * h);
            if (dcN != null) {
                copy(dcN, dc, dcO, b * h);
            } else {
                k.zero(dc, dcO, b * h);
            }
        }
        Object dya = dy == null ? null : arr(dy);
        int dyO = dy == null ? 0 : dy.storageOffset();
        Object dGates = k.alloc(n * gh);
        Object dhGates = mode == RnnMode.GRU ? k.alloc(n * 3 * h) : null;
        Object dhAll = whr != null ? k.alloc(n * p) : null;
        Object dhFull = whr != null ? k.alloc(b * h) : null;
        Object dhPrev = mode == RnnMode.GRU ? k.alloc(b * p) : null;
        for (int s = n > 0 ? steps - 1 : -1; s >= 0; s--) {
            int t = l.reverse() ? steps - 1 - s : s;
            int rows = bs[t];
            int r0 = start[t];
            if (dya != null) {
                k.add(dh, dhO, dya, dyO + r0 * p, rows * p);
            }
            switch (mode) {
                case LSTM -> {
                    Object dhh = dh;
                    int dhhO = dhO;
                    if (whr != null) {
                        System.arraycopy(dh, dhO, dhAll, r0 * p, rows * p);
                        k.gemm(false, rows, dh, dhO, p, whr, 0, dhFull, 0, h);
                        dhh = dhFull;
                        dhhO = 0;
                    }
                    k.lstmBackward(rows, h, ra, ro + rv.act() + r0 * 4 * h, ra, ro + rv.cPrev() + r0 * h, ra,
                            ro + rv.c() + r0 * h, dhh, dhhO, dc, dcO, dGates, r0 * 4 * h, dcPrev, 0);
                    System.arraycopy(dcPrev, 0, dc, dcO, rows * h);
                    k.gemm(false, rows, dGates, r0 * 4 * h, 4 * h, whh, 0, dh, dhO, p);
                }
                case GRU -> {
                    k.gruBackward(rows, h, ra, ro + rv.act() + r0 * 4 * h, ra, ro + rv.hPrev() + r0 * p, dh, dhO,
                            dGates, r0 * 3 * h, dhGates, r0 * 3 * h, dhPrev, 0);
                    k.gemm(false, rows, dhGates, r0 * 3 * h, 3 * h, whh, 1, dhPrev, 0, p);
                    System.arraycopy(dhPrev, 0, dh, dhO, rows * p);
                }
                default -> {
                    k.rnnBackward(rows, h, nl, arr(y), y.storageOffset() + r0 * p, dh, dhO, dGates, r0 * h);
                    k.gemm(false, rows, dGates, r0 * h, h, whh, 0, dh, dhO, p);
                }
            }
        }
        Object dhhSide = mode == RnnMode.GRU ? dhGates : dGates;
        if (dxV != null) {
            k.gemm(false, false, n, in0, gh, dGates, 0, gh, arr(wIh), wIh.storageOffset(), in0, 0, arr(dxV),
                    dxV.storageOffset(), in0);
        }
        if (dwIh != null) {
            k.gemm(true, false, gh, in0, n, dGates, 0, gh, arr(x), x.storageOffset(), in0, 0, arr(dwIh),
                    dwIh.storageOffset(), in0);
        }
        if (dwHh != null) {
            k.gemm(true, false, gh, p, n, dhhSide, 0, gh, ra, ro + rv.hPrev(), p, 0, arr(dwHh),
                    dwHh.storageOffset(), p);
        }
        if (dbIh != null) {
            k.zero(arr(dbIh), dbIh.storageOffset(), gh);
            k.addColSums(dGates, 0, n, gh, arr(dbIh), dbIh.storageOffset());
        }
        if (dbHh != null) {
            if (dhhSide == dGates && dbIh != null) {
                // RNN/LSTM: both biases are plain addends of the same pre-activation, so their gradients are equal
                System.arraycopy(arr(dbIh), dbIh.storageOffset(), arr(dbHh), dbHh.storageOffset(), gh);
            } else {
                k.zero(arr(dbHh), dbHh.storageOffset(), gh);
                k.addColSums(dhhSide, 0, n, gh, arr(dbHh), dbHh.storageOffset());
            }
        }
        if (dwHr != null) {
            k.gemm(true, false, p, h, n, dhAll, 0, p, ra, ro + rv.hFull(), h, 0, arr(dwHr), dwHr.storageOffset(), h);
        }
    }
}
