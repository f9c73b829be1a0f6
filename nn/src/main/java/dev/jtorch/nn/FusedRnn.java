package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.SavedTensor;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.backend.cpu.CpuStorage;
import dev.jtorch.kernels.PackedB;
import dev.jtorch.kernels.RnnGates.Nonlinearity;

/**
 * One recurrent layer in one direction over packed rows, on the fused kernels, as one autograd node.
 *
 * <p>Rows are in packed order: step t holds {@code batchSizes[t]} rows (non-increasing), so a padded batch is
 * the special case of equal batch sizes, and each sequence's final state is simply where its rows stop. The
 * input projection of all steps is one GEMM (with b_hh folded in for RNN and LSTM, where it is a plain
 * addend); each step is one hidden GEMM (GEMV at batch 1) on W_hh^T packed once per call (or kept from the
 * previous call while the weight is unchanged, see {@link PackedWeights}) and one fused gate kernel; backward
 * runs the fused gate backward per step (W_hh packed once for its products) and computes every weight gradient
 * as one GEMM over all steps. Workspaces are sized once per call; nothing is allocated per step.
 */
final class FusedRnn {
    /** The cell type. */
    enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Mode(int gates) {
            this.gates = gates;
        }
    }

    private FusedRnn() {
    }

    private record Buf(Object a, int off) {
    }

    private static Buf buf(Tensor t) {
        Tensor c = t.contiguous();
        return new Buf(((CpuStorage) c.storage()).array(), c.storageOffset());
    }

    /** Copies the first {@code len} elements of t (row-major) into dst; nothing for an empty t. */
    private static void copyIn(Tensor t, Object dst, int len) {
        if (len > 0) {
            Buf b = buf(t);
            System.arraycopy(b.a, b.off, dst, 0, len);
        }
    }

    private static Tensor wrap(Object array, DType dt, int... shape) {
        return Tensor.fromStorage(CpuBackend.wrap(array, dt), shape, null, 0);
    }

    /**
     * Runs the layer. Returns {y (N, P), hN (B, P), cN (B, H) or null}; records one node when grad mode is on
     * and an input requires grad.
     */
    static Tensor[] run(Mode mode, Tensor x, long[] batchSizes, boolean reverse, Tensor wIh, Tensor wHh, Tensor bIh,
                        Tensor bHh, Tensor wHr, Tensor h0, Tensor c0) {
        return run(mode, x, batchSizes, reverse, wIh, wHh, bIh, bHh, wHr, h0, c0, null);
    }

    /** {@link #run} keeping the packed recurrent weights in {@code cache} across calls (null: pack per call). */
    static Tensor[] run(Mode mode, Tensor x, long[] batchSizes, boolean reverse, Tensor wIh, Tensor wHh, Tensor bIh,
                        Tensor bHh, Tensor wHr, Tensor h0, Tensor c0, PackedWeights cache) {
        DType dt = x.dtype();
        RnnArrays k = RnnArrays.of(dt);
        int n = x.size(0);
        int in = x.size(1);
        int g = mode.gates;
        int h = wHh.size(0) / g;
        int p = wHr != null ? wHr.size(0) : h;
        int b = h0.size(0);
        int steps = batchSizes.length;
        int[] start = new int[steps];
        for (int t = 1; t < steps; t++) {
            start[t] = start[t - 1] + (int) batchSizes[t - 1];
        }
        Nonlinearity nl = mode == Mode.RNN_RELU ? Nonlinearity.RELU : Nonlinearity.TANH;
        Tensor[] inputs = {x, h0, c0, wIh, wHh, bIh, bHh, wHr};
        // Training keeps every step's activations for backward; inference keeps one step's and one chunk's.
        boolean record = Autograd.needsRecording(inputs);
        int gh = g * h;
        Buf xb = buf(x);
        Object bias = inputBias(k, mode, bIh, bHh, gh);
        Buf bhh = bHh == null || mode != Mode.GRU ? null : buf(bHh);
        // W_ih^T (In x G*H), W_hh^T (P x G*H) and W_hr^T (H x P) packed once, for all chunks and steps
        PackedB wihT = PackedWeights.get(cache, PackedWeights.IH_T, k, wIh, true, in, gh);
        PackedB whhT = PackedWeights.get(cache, PackedWeights.HH_T, k, wHh, true, p, gh);
        PackedB whrT = wHr == null ? null : PackedWeights.get(cache, PackedWeights.HR_T, k, wHr, true, h, p);

        // The input projection xw = x W_ih^T + bias runs one chunk of consecutive steps at a time (at least
        // CHUNK_ROWS rows), so the rows a step reads are still in cache. When recording, xw spans all rows (it
        // doubles as the LSTM's saved activations); RNN/LSTM still project by chunks then (LSTM (100, 32, 128,
        // 256) forward+backward 88-93 ms against 99-105 in one projection, alternating runs), GRU, which keeps its
        // activations elsewhere, in one GEMM (300-323 ms against 330-350 by chunks at (50, 64, 512, 512)).
        int chunkMax = record && mode == Mode.GRU ? n : Math.min(n, Math.max(chunkRows, (int) batchSizes[0]));
        Object xw = k.alloc((record ? n : chunkMax) * gh);
        int chunkLo = 0;
        int chunkHi = 0; // rows [chunkLo, chunkHi) of x are projected in xw, from xw row 0 (record: from row chunkLo)

        Object state = k.alloc(b * p);
        copyIn(h0, state, b * p);
        Object cell = null;
        if (mode == Mode.LSTM) {
            cell = k.alloc(b * h);
            copyIn(c0, cell, b * h);
        }
        Object y = k.alloc(n * p);
        // saved for backward (record), or one step's worth (inference)
        int keep = record ? n : b;
        Object hPrevAll = record ? k.alloc(n * p) : null;
        Object act = mode == Mode.GRU ? k.alloc(keep * 4 * h) : mode == Mode.LSTM && record ? xw : null;
        Object cPrevAll = mode == Mode.LSTM && record ? k.alloc(n * h) : null;
        Object cAll = mode == Mode.LSTM ? k.alloc(keep * h) : null;
        Object hFullAll = mode == Mode.LSTM && whrT != null ? k.alloc(keep * h) : null;
        Object hg = mode == Mode.GRU ? k.alloc(b * 3 * h) : null;
        // an empty batch (n = 0) has nothing to compute: empty outputs and states, and zero gradients
        for (int s = 0; s < steps && n > 0; s++) {
            int t = reverse ? steps - 1 - s : s;
            int rows = (int) batchSizes[t];
            int r0 = start[t];
            if (r0 < chunkLo || r0 + rows > chunkHi) {
                // project the next chunk: this step and the following ones in processing order, whose rows are
                // contiguous (backwards in packed order when reverse)
                int lo = r0;
                int hi = r0 + rows;
                for (int u = s + 1; u < steps; u++) {
                    int tu = reverse ? steps - 1 - u : u;
                    int nlo = Math.min(lo, start[tu]);
                    int nhi = Math.max(hi, start[tu] + (int) batchSizes[tu]);
                    if (nhi - nlo > chunkMax) {
                        break;
                    }
                    lo = nlo;
                    hi = nhi;
                }
                int dst = record ? lo * gh : 0;
                k.gemm(false, hi - lo, xb.a, xb.off + lo * in, in, wihT, 0, xw, dst, gh);
                if (bias != null) {
                    k.addRows(xw, dst, hi - lo, bias, 0, gh);
                }
                chunkLo = lo;
                chunkHi = hi;
            }
            int xo = (record ? r0 : r0 - chunkLo) * gh;
            int ko = record ? r0 : 0; // row of the per-step buffers
            if (record) {
                System.arraycopy(state, 0, hPrevAll, r0 * p, rows * p);
            }
            switch (mode) {
                case LSTM -> {
                    // gates = (xw rows + b_ih + b_hh) + h W_hh^T, activated in place by the fused kernel
                    k.gemm(false, rows, state, 0, p, whhT, 1, xw, xo, gh);
                    Object cPrev = record ? cPrevAll : cell;
                    if (record) {
                        System.arraycopy(cell, 0, cPrevAll, r0 * h, rows * h);
                    }
                    Object hOut = hFullAll != null ? hFullAll : y;
                    int hOff = hFullAll != null ? ko * h : r0 * p;
                    k.lstmForward(rows, h, xw, xo, cPrev, ko * h, cAll, ko * h, hOut, hOff, xw, xo);
                    System.arraycopy(cAll, ko * h, cell, 0, rows * h);
                    if (hFullAll != null) {
                        k.gemm(false, rows, hFullAll, ko * h, h, whrT, 0, y, r0 * p, p);
                    }
                }
                case GRU -> {
                    k.gemm(false, rows, state, 0, p, whhT, 0, hg, 0, gh);
                    if (bhh != null) {
                        k.addRows(hg, 0, rows, bhh.a, bhh.off, gh);
                    }
                    Object hPrev = record ? hPrevAll : state;
                    k.gruForward(rows, h, xw, xo, hg, 0, hPrev, ko * p, y, r0 * p, act, ko * 4 * h);
                }
                default -> {
                    k.gemm(false, rows, state, 0, p, whhT, 1, xw, xo, h);
                    k.rnnForward(rows, h, nl, xw, xo, y, r0 * p);
                }
            }
            System.arraycopy(y, r0 * p, state, 0, rows * p);
        }
        Tensor yT = wrap(y, dt, n, p);
        Tensor hN = wrap(state, dt, b, p);
        Tensor cN = cell == null ? null : wrap(cell, dt, b, h);
        if (record) {
            Saved sv = new Saved(mode, batchSizes, start, reverse, n, in, h, p, b, act, hPrevAll, cPrevAll, cAll,
                    hFullAll, y, cache);
            Autograd.record(new LayerNode(sv, inputs), inputs, yT, hN, cN);
        }
        return new Tensor[] {yT, hN, cN};
    }

    /**
     * Rows of the input projection per chunk in inference (at least one step's): 128 rows of an LSTM with
     * H = 256 are 512 KiB, which stay in L2 next to the packed W_hh^T until the steps read them.
     */
    static final int CHUNK_ROWS = 128;
    /** {@link #CHUNK_ROWS}, lowered by tests to force many chunks on small inputs. */
    static volatile int chunkRows = CHUNK_ROWS;

    /**
     * The bias added to the input projection: b_ih, plus b_hh for RNN and LSTM, where it is a plain addend of
     * the pre-activation (GRU's b_hn sits inside r * (W_hn h + b_hn) and is added per step). Null if none.
     */
    private static Object inputBias(RnnArrays k, Mode mode, Tensor bIh, Tensor bHh, int gh) {
        boolean withHh = bHh != null && mode != Mode.GRU;
        if (bIh == null && !withHh) {
            return null;
        }
        Object bias = k.alloc(gh);
        if (bIh != null) {
            Buf bi = buf(bIh);
            k.add(bias, 0, bi.a, bi.off, gh);
        }
        if (withHh) {
            Buf bh = buf(bHh);
            k.add(bias, 0, bh.a, bh.off, gh);
        }
        return bias;
    }

    private record Saved(Mode mode, long[] batchSizes, int[] start, boolean reverse, int n, int in, int h, int p, int b,
                         Object act, Object hPrevAll, Object cPrevAll, Object cAll, Object hFullAll,
                         Object y, PackedWeights cache) {
    }

    /** The layer's backward: fused gate backward per step, weight gradients as GEMMs over all steps. */
    private static final class LayerNode extends Node {
        private Saved sv;
        private final SavedTensor[] saved;
        private final boolean[] needs;

        LayerNode(Saved sv, Tensor[] inputs) {
            super(sv.mode() == Mode.LSTM ? "LstmLayerBackward" : sv.mode() == Mode.GRU ? "GruLayerBackward"
                    : "RnnLayerBackward");
            this.sv = sv;
            this.saved = new SavedTensor[inputs.length];
            this.needs = new boolean[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null) {
                    saved[i] = save(inputs[i]);
                    needs[i] = inputs[i].requiresGrad();
                }
            }
        }

        @Override
        public int numOutputs() {
            return 3;
        }

        @Override
        protected void releaseVariables() {
            super.releaseVariables();
            sv = null;
        }

        @Override
        public Tensor[] apply(Tensor[] grads) {
            checkNotReleased();
            Tensor[] in = new Tensor[saved.length];
            for (int i = 0; i < saved.length; i++) {
                in[i] = saved[i] == null ? null : saved[i].get();
            }
            return backward(sv, in, needs, grads[0], grads[1], grads[2]);
        }
    }

    private static Tensor[] backward(Saved sv, Tensor[] in, boolean[] needs, Tensor dy, Tensor dhN, Tensor dcN) {
        Tensor x = in[0];
        DType dt = x.dtype();
        RnnArrays k = RnnArrays.of(dt);
        Mode mode = sv.mode();
        int n = sv.n();
        int h = sv.h();
        int p = sv.p();
        int b = sv.b();
        int g = mode.gates;
        long[] bs = sv.batchSizes();
        int steps = bs.length;
        Nonlinearity nl = mode == Mode.RNN_RELU ? Nonlinearity.RELU : Nonlinearity.TANH;
        // W_hh (G*H x P) and W_hr (P x H) as the right operands of the per-step products dGates W_hh, dh W_hr
        PackedB whh = PackedWeights.get(sv.cache(), PackedWeights.HH, k, in[4], false, g * h, p);
        PackedB whr = in[7] == null ? null : PackedWeights.get(sv.cache(), PackedWeights.HR, k, in[7], false, p, h);
        Object dh = k.alloc(b * p);
        if (dhN != null) {
            copyIn(dhN.to(dt), dh, b * p);
        }
        Object dc = null;
        Object dcPrev = null;
        if (mode == Mode.LSTM) {
            dc = k.alloc(b * h);
            dcPrev = k.alloc(b * h);
            if (dcN != null) {
                copyIn(dcN.to(dt), dc, b * h);
            }
        }
        Buf dyb = dy == null ? null : buf(dy.to(dt));
        Object dGates = k.alloc(n * g * h);
        Object dhGates = mode == Mode.GRU ? k.alloc(n * 3 * h) : null;
        Object dhAll = whr != null ? k.alloc(n * p) : null;
        Object dhFull = whr != null ? k.alloc(b * h) : null;
        Object dhPrev = mode == Mode.GRU ? k.alloc(b * p) : null;
        for (int s = n > 0 ? steps - 1 : -1; s >= 0; s--) {
            int t = sv.reverse() ? steps - 1 - s : s;
            int rows = (int) bs[t];
            int r0 = sv.start()[t];
            if (dyb != null) {
                k.add(dh, 0, dyb.a, dyb.off + r0 * p, rows * p);
            }
            switch (mode) {
                case LSTM -> {
                    Object dhh = dh;
                    if (whr != null) {
                        System.arraycopy(dh, 0, dhAll, r0 * p, rows * p);
                        k.gemm(false, rows, dh, 0, p, whr, 0, dhFull, 0, h);
                        dhh = dhFull;
                    }
                    k.lstmBackward(rows, h, sv.act(), r0 * 4 * h, sv.cPrevAll(), r0 * h, sv.cAll(), r0 * h, dhh, 0,
                            dc, 0, dGates, r0 * 4 * h, dcPrev, 0);
                    System.arraycopy(dcPrev, 0, dc, 0, rows * h);
                    k.gemm(false, rows, dGates, r0 * 4 * h, 4 * h, whh, 0, dh, 0, p);
                }
                case GRU -> {
                    k.gruBackward(rows, h, sv.act(), r0 * 4 * h, sv.hPrevAll(), r0 * p, dh, 0, dGates, r0 * 3 * h,
                            dhGates, r0 * 3 * h, dhPrev, 0);
                    k.gemm(false, rows, dhGates, r0 * 3 * h, 3 * h, whh, 1, dhPrev, 0, p);
                    System.arraycopy(dhPrev, 0, dh, 0, rows * p);
                }
                default -> {
                    k.rnnBackward(rows, h, nl, sv.y(), r0 * p, dh, 0, dGates, r0 * h);
                    k.gemm(false, rows, dGates, r0 * h, h, whh, 0, dh, 0, p);
                }
            }
        }
        Tensor[] out = new Tensor[8];
        Buf xb = buf(x);
        Object dhhSide = mode == Mode.GRU ? dhGates : dGates;
        if (needs[0]) {
            Buf wih = buf(in[3]);
            Object dx = k.alloc(n * sv.in());
            k.gemm(false, false, n, sv.in(), g * h, dGates, 0, g * h, wih.a, wih.off, sv.in(), 0, dx, 0, sv.in());
            out[0] = wrap(dx, dt, n, sv.in());
        }
        if (needs[1]) {
            out[1] = wrap(dh, dt, b, p);
        }
        if (needs[2]) {
            out[2] = wrap(dc, dt, b, h);
        }
        if (needs[3]) {
            Object dw = k.alloc(g * h * sv.in());
            k.gemm(true, false, g * h, sv.in(), n, dGates, 0, g * h, xb.a, xb.off, sv.in(), 0, dw, 0, sv.in());
            out[3] = wrap(dw, dt, g * h, sv.in());
        }
        if (needs[4]) {
            Object dw = k.alloc(g * h * p);
            k.gemm(true, false, g * h, p, n, dhhSide, 0, g * h, sv.hPrevAll(), 0, p, 0, dw, 0, p);
            out[4] = wrap(dw, dt, g * h, p);
        }
        if (needs[5]) {
            Object db = k.alloc(g * h);
            k.addColSums(dGates, 0, n, g * h, db, 0);
            out[5] = wrap(db, dt, g * h);
        }
        if (needs[6]) {
            Object db = k.alloc(g * h);
            if (dhhSide == dGates && out[5] != null) {
                // RNN/LSTM: both biases are plain addends of the same pre-activation, so their gradients are equal
                Buf d5 = buf(out[5]);
                System.arraycopy(d5.a, d5.off, db, 0, g * h);
            } else {
                k.addColSums(dhhSide, 0, n, g * h, db, 0);
            }
            out[6] = wrap(db, dt, g * h);
        }
        if (needs[7]) {
            Object dw = k.alloc(p * h);
            k.gemm(true, false, p, h, n, dhAll, 0, p, sv.hFullAll(), 0, h, 0, dw, 0, h);
            out[7] = wrap(dw, dt, p, h);
        }
        return out;
    }
}
