package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.SavedTensor;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.backend.cpu.CpuStorage;
import dev.jtorch.kernels.RnnGates.Nonlinearity;

/**
 * One recurrent layer in one direction over packed rows, on the fused kernels, as one autograd node.
 *
 * <p>Rows are in packed order: step t holds {@code batchSizes[t]} rows (non-increasing), so a padded batch is
 * the special case of equal batch sizes, and each sequence's final state is simply where its rows stop. The
 * input projection of all steps is one GEMM; each step is one hidden GEMM (GEMV at batch 1) and one fused
 * gate kernel; backward runs the fused gate backward per step and computes every weight gradient as one
 * GEMM over all steps. Workspaces are sized once per call; nothing is allocated per step.
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

    private static Tensor wrap(Object array, DType dt, int... shape) {
        return Tensor.fromStorage(CpuBackend.wrap(array, dt), shape, null, 0);
    }

    /**
     * Runs the layer. Returns {y (N, P), hN (B, P), cN (B, H) or null}; records one node when grad mode is on
     * and an input requires grad.
     */
    static Tensor[] run(Mode mode, Tensor x, long[] batchSizes, boolean reverse, Tensor wIh, Tensor wHh, Tensor bIh,
                        Tensor bHh, Tensor wHr, Tensor h0, Tensor c0) {
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
        Buf xb = buf(x);
        Buf wih = buf(wIh);
        Buf whh = buf(wHh);
        Buf bih = bIh == null ? null : buf(bIh);
        Buf bhh = bHh == null ? null : buf(bHh);
        Buf whr = wHr == null ? null : buf(wHr);

        // input projection of every step: xw = x W_ih^T + b_ih
        Object xw = k.alloc(n * g * h);
        k.gemm(false, true, n, g * h, in, xb.a, xb.off, in, wih.a, wih.off, in, 0, xw, 0, g * h);
        if (bih != null) {
            k.addRows(xw, 0, n, bih.a, bih.off, g * h);
        }
        // For batches above one, W_hh^T (P, G*H) is materialised once per call so that the per-step product
        // h W_hh^T runs as an NN GEMM (contiguous B packing) instead of NT (transposed packing, per step).
        // At batch 1 the NT form is the dot-product GEMV, which measured faster.
        Object whhT = null;
        if (b > 1) {
            whhT = k.alloc(p * g * h);
            transpose(whh.a, whh.off, g * h, p, whhT);
        }
        Object state = k.alloc(b * p);
        Buf hb = buf(h0);
        System.arraycopy(hb.a, hb.off, state, 0, b * p);
        Object cell = null;
        if (mode == Mode.LSTM) {
            cell = k.alloc(b * h);
            Buf cb = buf(c0);
            System.arraycopy(cb.a, cb.off, cell, 0, b * h);
        }
        Object y = k.alloc(n * p);
        Object hPrevAll = k.alloc(n * p);
        Object act = mode == Mode.GRU ? k.alloc(n * 4 * h) : mode == Mode.LSTM ? k.alloc(n * 4 * h) : null;
        Object cPrevAll = mode == Mode.LSTM ? k.alloc(n * h) : null;
        Object cAll = mode == Mode.LSTM ? k.alloc(n * h) : null;
        Object hFullAll = mode == Mode.LSTM && whr != null ? k.alloc(n * h) : null;
        Object hg = mode == Mode.GRU ? k.alloc(b * 3 * h) : null;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int rows = (int) batchSizes[t];
            int r0 = start[t];
            System.arraycopy(state, 0, hPrevAll, r0 * p, rows * p);
            switch (mode) {
                case LSTM -> {
                    // gates = xw rows + h W_hh^T + b_hh, activated in place by the fused kernel
                    hidden(k, rows, 4 * h, p, state, whh, whhT, 1, xw, r0 * 4 * h);
                    if (bhh != null) {
                        k.addRows(xw, r0 * 4 * h, rows, bhh.a, bhh.off, 4 * h);
                    }
                    System.arraycopy(cell, 0, cPrevAll, r0 * h, rows * h);
                    Object hOut = hFullAll != null ? hFullAll : y;
                    int hOff = hFullAll != null ? r0 * h : r0 * p;
                    k.lstmForward(rows, h, xw, r0 * 4 * h, cPrevAll, r0 * h, cAll, r0 * h, hOut, hOff, act,
                            r0 * 4 * h);
                    System.arraycopy(cAll, r0 * h, cell, 0, rows * h);
                    if (hFullAll != null) {
                        k.gemm(false, true, rows, p, h, hFullAll, r0 * h, h, whr.a, whr.off, h, 0, y, r0 * p, p);
                    }
                }
                case GRU -> {
                    hidden(k, rows, 3 * h, p, state, whh, whhT, 0, hg, 0);
                    if (bhh != null) {
                        k.addRows(hg, 0, rows, bhh.a, bhh.off, 3 * h);
                    }
                    k.gruForward(rows, h, xw, r0 * 3 * h, hg, 0, hPrevAll, r0 * p, y, r0 * p, act, r0 * 4 * h);
                }
                default -> {
                    hidden(k, rows, h, p, state, whh, whhT, 1, xw, r0 * h);
                    if (bhh != null) {
                        k.addRows(xw, r0 * h, rows, bhh.a, bhh.off, h);
                    }
                    k.rnnForward(rows, h, nl, xw, r0 * h, y, r0 * p);
                }
            }
            System.arraycopy(y, r0 * p, state, 0, rows * p);
        }
        Tensor yT = wrap(y, dt, n, p);
        Tensor hN = wrap(state, dt, b, p);
        Tensor cN = cell == null ? null : wrap(cell, dt, b, h);
        Tensor[] inputs = {x, h0, c0, wIh, wHh, bIh, bHh, wHr};
        if (Autograd.needsRecording(inputs)) {
            Saved sv = new Saved(mode, batchSizes, start, reverse, n, in, h, p, b, xw, act, hPrevAll, cPrevAll, cAll,
                    hFullAll, y);
            Autograd.record(new LayerNode(sv, inputs), inputs, yT, hN, cN);
        }
        return new Tensor[] {yT, hN, cN};
    }

    /** out[rows, gh] (+)= state[rows, p] W_hh^T, from W_hh (NT) or its materialised transpose (NN). */
    private static void hidden(RnnArrays k, int rows, int gh, int p, Object state, Buf whh, Object whhT, double beta,
                               Object out, int outOff) {
        if (whhT != null) {
            k.gemm(false, false, rows, gh, p, state, 0, p, whhT, 0, gh, beta, out, outOff, gh);
        } else {
            k.gemm(false, true, rows, gh, p, state, 0, p, whh.a, whh.off, p, beta, out, outOff, gh);
        }
    }

    private static void transpose(Object src, int off, int rows, int cols, Object dst) {
        if (src instanceof float[] a) {
            float[] d = (float[]) dst;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    d[c * rows + r] = a[off + r * cols + c];
                }
            }
        } else {
            double[] a = (double[]) src;
            double[] d = (double[]) dst;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    d[c * rows + r] = a[off + r * cols + c];
                }
            }
        }
    }

    private record Saved(Mode mode, long[] batchSizes, int[] start, boolean reverse, int n, int in, int h, int p, int b,
                         Object xw, Object act, Object hPrevAll, Object cPrevAll, Object cAll, Object hFullAll,
                         Object y) {
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
        Buf whh = buf(in[4]);
        Buf whr = in[7] == null ? null : buf(in[7]);
        Object dh = k.alloc(b * p);
        if (dhN != null) {
            Buf d = buf(dhN.to(dt));
            System.arraycopy(d.a, d.off, dh, 0, b * p);
        }
        Object dc = null;
        Object dcPrev = null;
        if (mode == Mode.LSTM) {
            dc = k.alloc(b * h);
            dcPrev = k.alloc(b * h);
            if (dcN != null) {
                Buf d = buf(dcN.to(dt));
                System.arraycopy(d.a, d.off, dc, 0, b * h);
            }
        }
        Buf dyb = dy == null ? null : buf(dy.to(dt));
        Object dGates = k.alloc(n * g * h);
        Object dhGates = mode == Mode.GRU ? k.alloc(n * 3 * h) : null;
        Object dhAll = whr != null ? k.alloc(n * p) : null;
        Object dhFull = whr != null ? k.alloc(b * h) : null;
        Object dhPrev = mode == Mode.GRU ? k.alloc(b * p) : null;
        for (int s = steps - 1; s >= 0; s--) {
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
                        k.gemm(false, false, rows, h, p, dh, 0, p, whr.a, whr.off, h, 0, dhFull, 0, h);
                        dhh = dhFull;
                    }
                    k.lstmBackward(rows, h, sv.act(), r0 * 4 * h, sv.cPrevAll(), r0 * h, sv.cAll(), r0 * h, dhh, 0,
                            dc, 0, dGates, r0 * 4 * h, dcPrev, 0);
                    System.arraycopy(dcPrev, 0, dc, 0, rows * h);
                    k.gemm(false, false, rows, p, 4 * h, dGates, r0 * 4 * h, 4 * h, whh.a, whh.off, p, 0, dh, 0, p);
                }
                case GRU -> {
                    k.gruBackward(rows, h, sv.act(), r0 * 4 * h, sv.hPrevAll(), r0 * p, dh, 0, dGates, r0 * 3 * h,
                            dhGates, r0 * 3 * h, dhPrev, 0);
                    k.gemm(false, false, rows, p, 3 * h, dhGates, r0 * 3 * h, 3 * h, whh.a, whh.off, p, 1, dhPrev, 0,
                            p);
                    System.arraycopy(dhPrev, 0, dh, 0, rows * p);
                }
                default -> {
                    k.rnnBackward(rows, h, nl, sv.y(), r0 * p, dh, 0, dGates, r0 * h);
                    k.gemm(false, false, rows, p, h, dGates, r0 * h, h, whh.a, whh.off, p, 0, dh, 0, p);
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
            k.addColSums(dhhSide, 0, n, g * h, db, 0);
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
