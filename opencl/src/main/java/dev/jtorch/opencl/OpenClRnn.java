package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link OpenClBackend#rnn} and {@link OpenClBackend#rnnReserveSize} on the device, as cuDNN does it: the input
 * projection of all steps is one GEMM ({@link OpenClGemm}, x W_ih^T into an (N, G H) gate buffer); each step is
 * one GEMM of the running hidden state's first {@code batchSizes[t]} rows by W_hh^T (accumulated into the step's
 * gate rows; GRU into a separate buffer, as its n gate needs W_hn h apart) and one fused gate kernel
 * ({@link RnnSource}) applying the biases and the cell, writing the output rows, the running state and the reserve;
 * a projected LSTM adds a GEMM by W_hr^T and a copy of the step's y rows into the state. The backward runs per
 * step in reverse a fused gate-backward kernel and a GEMM by W_hh for the previous state's gradient, then the
 * whole-sequence GEMMs for dx, dW_ih, dW_hh (the reserve keeps every step's previous h, so dW_hh is one product)
 * and dW_hr, and the bias gradients as column sums ({@link OpenClBackend#reduce}).
 *
 * <p>The running states are the outputs h_n and c_n themselves: a step updates the first rows (those still in
 * their sequence, packed order), so each sequence's final state stays where its last step left it, in either
 * direction. The reserve is laid out as the CPU backend's ({@link Reserve}).
 */
final class OpenClRnn {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClRnn(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    /**
     * Offsets in the reserve: every step's previous hidden state (N P, read by dW_hh), the activations (LSTM: the
     * activated gates, N 4H; GRU: r | z | n | h_n, N 4H), the LSTM's previous and new cell states (N H each) and
     * its unprojected hidden state (N H, with a projection).
     */
    record Reserve(int hPrev, int act, int cPrev, int c, int hFull, int size) {
        static Reserve of(RnnLayer l) {
            long n = l.rows();
            long h = l.hiddenSize();
            long act = n * l.outputSize();
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
            return new Reserve(0, (int) act, (int) cPrev, (int) c, (int) hFull, (int) size);
        }
    }

    int reserveSize(RnnLayer l) {
        return Reserve.of(l).size();
    }

    void rnn(Op op, RnnLayer l, View[] in, View[] out) {
        switch (op) {
            case RNN_LAYER_FORWARD -> forward(l, in, out);
            case RNN_LAYER_BACKWARD -> backward(l, in, out);
            default -> throw new IllegalArgumentException(op + " is not a recurrent layer op");
        }
    }

    // ---------------------------------------------------------------- checks

    /** Validates the operands of one call, all before anything is enqueued; gives their dtype. */
    private final class Checks {
        final List<OpenClStorage> storages = new ArrayList<>();
        DType dtype;

        void expectLength(View[] views, int n, String what) {
            if (views == null || views.length != n) {
                throw new IllegalArgumentException("rnn: expected " + n + " " + what + " views, got "
                        + (views == null ? "none" : views.length));
            }
        }

        /** A view of {@code rows x cols} elements when {@code required}; null allowed otherwise. */
        OpenClStorage view(View v, String role, boolean required, long rows, long cols) {
            if (v == null) {
                if (required) {
                    throw new IllegalArgumentException("rnn: expected " + role + " of " + rows + " x " + cols
                            + " elements, got none");
                }
                return null;
            }
            if (dtype == null) {
                if (v.dtype() != DType.FLOAT32 && v.dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("recurrent layers compute in float32 or float64, got "
                            + v.dtype() + " for " + role);
                }
                dtype = v.dtype();
            } else if (v.dtype() != dtype) {
                throw new IllegalArgumentException("rnn: expected " + role + " of dtype " + dtype + " like the "
                        + "other operands, got " + v.dtype());
            }
            if (!v.isContiguous()) {
                throw new IllegalArgumentException("rnn: operands must be contiguous, got " + role + " " + v);
            }
            if (v.numel() != rows * cols) {
                throw new IllegalArgumentException("rnn: expected " + role + " of " + rows + " x " + cols + " = "
                        + rows * cols + " elements, got " + v);
            }
            OpenClStorage s = backend.checked(v, role);
            storages.add(s);
            return s;
        }

        CType compute() {
            return dtype == DType.FLOAT64 ? CType.DOUBLE : CType.FLOAT;
        }

        void fence() {
            for (OpenClStorage s : storages) {
                Reference.reachabilityFence(s);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The matrix of {@code rows x cols} at element {@code off} of {@code s}, row-major with row stride ld. */
    private static View mat(Storage s, int off, int rows, int cols, int ld) {
        return new View(s, new int[] {1, rows, cols}, new int[] {rows * ld, ld, 1}, off);
    }

    /** The transpose (cols x rows) of the row-major {@code rows x cols} matrix at {@code off}, as a view. */
    private static View matT(Storage s, int off, int rows, int cols, int ld) {
        return new View(s, new int[] {1, cols, rows}, new int[] {rows * ld, 1, ld}, off);
    }

    private static View flat(Storage s, int off, int n) {
        return new View(s, new int[] {n}, new int[] {1}, off);
    }

    /** out = a b (+ out when accumulating). */
    private void gemm(View a, View b, View out, boolean accumulate) {
        backend.bmm(a, b, out, 1, accumulate ? 1 : 0);
    }

    private OpenClStorage temp(DType dt, long n) {
        return (OpenClStorage) backend.allocate(dt, Math.toIntExact(n));
    }

    private ClDevice.Program program(CType c) {
        return backend.program("rnn " + c, () -> RnnSource.program(c));
    }

    private static int[] starts(int[] bs) {
        int[] start = new int[bs.length];
        for (int t = 1; t < bs.length; t++) {
            start[t] = start[t - 1] + bs[t - 1];
        }
        return start;
    }

    private static int biasBits(View bIh, View bHh) {
        return (bIh != null ? 1 : 0) | (bHh != null ? 2 : 0);
    }

    private static Object block(OpenClStorage s, OpenClStorage fallback) {
        return (s != null ? s : fallback).block();
    }

    private static int off(View v) {
        return v == null ? 0 : v.storageOffset();
    }

    // ---------------------------------------------------------------- forward

    private void forward(RnnLayer l, View[] in, View[] out) {
        Checks ck = new Checks();
        ck.expectLength(in, 8, "input");
        ck.expectLength(out, 4, "output");
        View x = in[0], h0 = in[1], c0 = in[2], wIh = in[3], wHh = in[4], bIh = in[5], bHh = in[6], wHr = in[7];
        View y = out[0], hN = out[1], cN = out[2], res = out[3];
        RnnMode mode = l.mode();
        boolean lstm = mode == RnnMode.LSTM;
        boolean gru = mode == RnnMode.GRU;
        boolean proj = l.projSize() > 0;
        int n = l.rows();
        int b = l.batch();
        int in0 = l.inputSize();
        int h = l.hiddenSize();
        int p = l.outputSize();
        int gh = l.gateWidth();
        OpenClStorage sx = ck.view(x, "x", true, n, in0);
        OpenClStorage sh0 = ck.view(h0, "h0", true, b, p);
        OpenClStorage sc0 = ck.view(c0, "c0", lstm, b, h);
        OpenClStorage swIh = ck.view(wIh, "w_ih", true, gh, in0);
        OpenClStorage swHh = ck.view(wHh, "w_hh", true, gh, p);
        OpenClStorage sbIh = ck.view(bIh, "b_ih", false, 1, gh);
        OpenClStorage sbHh = ck.view(bHh, "b_hh", false, 1, gh);
        OpenClStorage swHr = ck.view(wHr, "w_hr", proj, p, h);
        OpenClStorage sy = ck.view(y, "y", true, n, p);
        OpenClStorage shN = ck.view(hN, "h_n", true, b, p);
        OpenClStorage scN = ck.view(cN, "c_n", lstm, b, h);
        // without a reserve (inference) nothing is saved: the kernels get rec = 0 and ignore these offsets
        Reserve rv = res != null ? Reserve.of(l) : new Reserve(0, 0, 0, 0, 0, 0);
        OpenClStorage sres = ck.view(res, "the reserve", false, 1, rv.size());
        if (!lstm && (c0 != null || cN != null)) {
            throw new IllegalArgumentException("rnn: only LSTM has a cell state, got one for " + mode);
        }
        if (!proj && wHr != null) {
            throw new IllegalArgumentException("rnn: w_hr given for a layer without projection");
        }
        if (n == 0) {
            return; // an empty batch: empty outputs and states
        }
        DType dt = ck.dtype;
        CType c = ck.compute();
        ClDevice.Program prog = program(c);
        boolean record = res != null;
        int ro = off(res);
        int[] bs = l.batchSizes();
        int[] start = starts(bs);
        int steps = bs.length;

        backend.copy(flat(sh0, off(h0), b * p), flat(shN, off(hN), b * p));
        if (lstm) {
            backend.copy(flat(sc0, off(c0), b * h), flat(scN, off(cN), b * h));
        }
        // the input projection of every step: gates = x W_ih^T (an LSTM's in the reserve, activated in place)
        OpenClStorage gates;
        int go;
        OpenClStorage tGates = null;
        if (record && lstm) {
            gates = sres;
            go = ro + rv.act();
        } else {
            gates = tGates = temp(dt, (long) n * gh);
            go = 0;
        }
        gemm(mat(sx, off(x), n, in0, in0), matT(swIh, off(wIh), gh, in0, in0), mat(gates, go, n, gh, gh), false);
        OpenClStorage hg = gru ? temp(dt, (long) b * 3 * h) : null;
        OpenClStorage hFull = null;
        int hfo = 0;
        if (proj) {
            if (record) {
                hFull = sres;
                hfo = ro + rv.hFull();
            } else {
                hFull = temp(dt, (long) b * h);
            }
        }
        int bias = biasBits(bIh, bHh);
        Object bi = block(sbIh, gates);
        Object bh = block(sbHh, gates);
        Object rb = block(sres, gates);
        int rec = record ? 1 : 0;
        int hso = off(hN);
        int yo = off(y);
        View whhT = matT(swHh, off(wHh), gh, p, p);
        for (int s = 0; s < steps; s++) {
            int t = l.reverse() ? steps - 1 - s : s;
            int rows = bs[t];
            if (rows == 0) {
                continue;
            }
            int r0 = start[t];
            int work = rows * h;
            View hPrev = mat(shN, hso, rows, p, p);
            switch (mode) {
                case LSTM -> {
                    gemm(hPrev, whhT, mat(gates, go + r0 * gh, rows, gh, gh), true);
                    int ko = record ? r0 : 0; // row of the unprojected h
                    dev.launch(prog, "lstm_fwd", work, gates.block(), go + r0 * gh, bi, off(bIh), bh, off(bHh),
                            bias, shN.block(), hso, scN.block(), off(cN),
                            proj ? hFull.block() : sy.block(), proj ? hfo + ko * h : yo + r0 * p, proj ? h : p,
                            rb, ro + rv.hPrev() + r0 * p, ro + rv.cPrev() + r0 * h, ro + rv.c() + r0 * h, rec,
                            rows, h, p, proj ? 1 : 0);
                    if (proj) {
                        gemm(mat(hFull, hfo + ko * h, rows, h, h), matT(swHr, off(wHr), p, h, h),
                                mat(sy, yo + r0 * p, rows, p, p), false);
                        backend.copy(flat(sy, yo + r0 * p, rows * p), flat(shN, hso, rows * p));
                    }
                }
                case GRU -> {
                    gemm(hPrev, whhT, mat(hg, 0, rows, gh, gh), false);
                    dev.launch(prog, "gru_fwd", work, gates.block(), go + r0 * gh, hg.block(), 0, bi, off(bIh),
                            bh, off(bHh), bias, shN.block(), hso, sy.block(), yo + r0 * p,
                            rb, ro + rv.act() + r0 * 4 * h, ro + rv.hPrev() + r0 * p, rec, rows, h);
                }
                default -> {
                    gemm(hPrev, whhT, mat(gates, go + r0 * gh, rows, gh, gh), true);
                    dev.launch(prog, "rnn_fwd", work, gates.block(), go + r0 * gh, bi, off(bIh), bh, off(bHh),
                            bias, shN.block(), hso, sy.block(), yo + r0 * p, rb, ro + rv.hPrev() + r0 * p, rec,
                            rows, h, mode == RnnMode.RNN_RELU ? 1 : 0);
                }
            }
        }
        ck.fence();
        Reference.reachabilityFence(tGates);
        Reference.reachabilityFence(hg);
        Reference.reachabilityFence(hFull);
    }

    // ---------------------------------------------------------------- backward

    private void backward(RnnLayer l, View[] in, View[] out) {
        Checks ck = new Checks();
        ck.expectLength(in, 9, "input");
        ck.expectLength(out, 8, "output");
        View x = in[0], wIh = in[1], wHh = in[2], wHr = in[3], y = in[4], res = in[5];
        View dy = in[6], dhN = in[7], dcN = in[8];
        View dx = out[0], dh0 = out[1], dc0 = out[2], dwIh = out[3], dwHh = out[4], dbIh = out[5], dbHh = out[6],
                dwHr = out[7];
        RnnMode mode = l.mode();
        boolean lstm = mode == RnnMode.LSTM;
        boolean gru = mode == RnnMode.GRU;
        boolean proj = l.projSize() > 0;
        int n = l.rows();
        int b = l.batch();
        int in0 = l.inputSize();
        int h = l.hiddenSize();
        int p = l.outputSize();
        int gh = l.gateWidth();
        Reserve rv = Reserve.of(l);
        OpenClStorage sx = ck.view(x, "x", dwIh != null, n, in0);
        OpenClStorage swIh = ck.view(wIh, "w_ih", dx != null, gh, in0);
        OpenClStorage swHh = ck.view(wHh, "w_hh", true, gh, p);
        OpenClStorage swHr = ck.view(wHr, "w_hr", proj, p, h);
        OpenClStorage sy = ck.view(y, "y", !lstm && !gru, n, p);
        OpenClStorage sres = ck.view(res, "the reserve", true, 1, rv.size());
        OpenClStorage sdy = ck.view(dy, "dy", false, n, p);
        OpenClStorage sdhN = ck.view(dhN, "dh_n", false, b, p);
        OpenClStorage sdcN = ck.view(dcN, "dc_n", false, b, h);
        OpenClStorage sdx = ck.view(dx, "dx", false, n, in0);
        OpenClStorage sdh0 = ck.view(dh0, "dh0", false, b, p);
        OpenClStorage sdc0 = ck.view(dc0, "dc0", false, b, h);
        OpenClStorage sdwIh = ck.view(dwIh, "dw_ih", false, gh, in0);
        OpenClStorage sdwHh = ck.view(dwHh, "dw_hh", false, gh, p);
        OpenClStorage sdbIh = ck.view(dbIh, "db_ih", false, 1, gh);
        OpenClStorage sdbHh = ck.view(dbHh, "db_hh", false, 1, gh);
        OpenClStorage sdwHr = ck.view(dwHr, "dw_hr", false, p, h);
        if (!lstm && (dcN != null || dc0 != null)) {
            throw new IllegalArgumentException("rnn: only LSTM has a cell state, got its gradient for " + mode);
        }
        if (!proj && (wHr != null || dwHr != null)) {
            throw new IllegalArgumentException("rnn: w_hr or its gradient given for a layer without projection");
        }
        if (n == 0) {
            // an empty batch: empty input and state gradients, zero weight gradients
            for (View v : out) {
                if (v != null) {
                    backend.fill(v, 0);
                }
            }
            return;
        }
        DType dt = ck.dtype;
        ClDevice.Program prog = program(ck.compute());
        int ro = res.storageOffset();
        int[] bs = l.batchSizes();
        int[] start = starts(bs);
        int steps = bs.length;
        // the running gradient of the hidden state (dh_n, then each earlier step's; dh0 at the end) and the cell
        OpenClStorage dh = sdh0 != null ? sdh0 : temp(dt, (long) b * p);
        int dho = off(dh0);
        initialize(dh, dho, sdhN, dhN, b * p);
        OpenClStorage dc = null;
        int dco = 0;
        if (lstm) {
            dc = sdc0 != null ? sdc0 : temp(dt, (long) b * h);
            dco = off(dc0);
            initialize(dc, dco, sdcN, dcN, b * h);
        }
        OpenClStorage dGates = temp(dt, (long) n * gh);
        OpenClStorage dhGates = gru ? temp(dt, (long) n * gh) : null;
        OpenClStorage dhAll = proj ? temp(dt, (long) n * p) : null;
        OpenClStorage dhFull = proj ? temp(dt, (long) b * h) : null;
        Object dyb = block(sdy, dGates);
        int dyo = off(dy);
        int hasDy = dy != null ? 1 : 0;
        View whh = mat(swHh, off(wHh), gh, p, p);
        for (int s = steps - 1; s >= 0; s--) {
            int t = l.reverse() ? steps - 1 - s : s;
            int rows = bs[t];
            if (rows == 0) {
                continue;
            }
            int r0 = start[t];
            int work = rows * h;
            View dhRows = mat(dh, dho, rows, p, p);
            switch (mode) {
                case LSTM -> {
                    if (proj) {
                        // dh of the projected output (with dy), kept for dW_hr, then through W_hr
                        dev.launch(prog, "add_dy", rows * p, dhAll.block(), r0 * p, dh.block(), dho, dyb,
                                dyo + r0 * p, hasDy, rows * p);
                        gemm(mat(dhAll, r0 * p, rows, p, p), mat(swHr, off(wHr), p, h, h),
                                mat(dhFull, 0, rows, h, h), false);
                        dev.launch(prog, "lstm_bwd", work, sres.block(), ro + rv.act() + r0 * 4 * h,
                                ro + rv.cPrev() + r0 * h, ro + rv.c() + r0 * h, dhFull.block(), 0, h, dyb, 0, 0,
                                dc.block(), dco, dGates.block(), r0 * gh, rows, h);
                    } else {
                        dev.launch(prog, "lstm_bwd", work, sres.block(), ro + rv.act() + r0 * 4 * h,
                                ro + rv.cPrev() + r0 * h, ro + rv.c() + r0 * h, dh.block(), dho, p, dyb,
                                dyo + r0 * p, hasDy, dc.block(), dco, dGates.block(), r0 * gh, rows, h);
                    }
                    gemm(mat(dGates, r0 * gh, rows, gh, gh), whh, dhRows, false);
                }
                case GRU -> {
                    dev.launch(prog, "gru_bwd", work, sres.block(), ro + rv.act() + r0 * 4 * h,
                            ro + rv.hPrev() + r0 * p, dh.block(), dho, dyb, dyo + r0 * p, hasDy, dGates.block(),
                            r0 * gh, dhGates.block(), r0 * gh, rows, h);
                    gemm(mat(dhGates, r0 * gh, rows, gh, gh), whh, dhRows, true);
                }
                default -> {
                    dev.launch(prog, "rnn_bwd", work, sy.block(), off(y) + r0 * p, dh.block(), dho, dyb,
                            dyo + r0 * p, hasDy, dGates.block(), r0 * gh, rows, h,
                            mode == RnnMode.RNN_RELU ? 1 : 0);
                    gemm(mat(dGates, r0 * gh, rows, gh, gh), whh, dhRows, false);
                }
            }
        }
        // the whole-sequence products
        OpenClStorage dhhSide = gru ? dhGates : dGates;
        if (dx != null) {
            gemm(mat(dGates, 0, n, gh, gh), mat(swIh, off(wIh), gh, in0, in0), mat(sdx, off(dx), n, in0, in0),
                    false);
        }
        if (dwIh != null) {
            gemm(matT(dGates, 0, n, gh, gh), mat(sx, off(x), n, in0, in0), mat(sdwIh, off(dwIh), gh, in0, in0),
                    false);
        }
        if (dwHh != null) {
            gemm(matT(dhhSide, 0, n, gh, gh), mat(sres, ro + rv.hPrev(), n, p, p), mat(sdwHh, off(dwHh), gh, p, p),
                    false);
        }
        if (dbIh != null) {
            columnSums(dGates, n, gh, sdbIh, off(dbIh));
        }
        if (dbHh != null) {
            if (!gru && dbIh != null) {
                // RNN/LSTM: both biases are plain addends of one pre-activation, so their gradients are equal
                backend.copy(flat(sdbIh, off(dbIh), gh), flat(sdbHh, off(dbHh), gh));
            } else {
                columnSums(dhhSide, n, gh, sdbHh, off(dbHh));
            }
        }
        if (dwHr != null) {
            gemm(matT(dhAll, 0, n, p, p), mat(sres, ro + rv.hFull(), n, h, h), mat(sdwHr, off(dwHr), p, h, h),
                    false);
        }
        ck.fence();
        Reference.reachabilityFence(dh);
        Reference.reachabilityFence(dc);
        Reference.reachabilityFence(dGates);
        Reference.reachabilityFence(dhGates);
        Reference.reachabilityFence(dhAll);
        Reference.reachabilityFence(dhFull);
    }

    /** {@code n} elements at {@code off} of {@code dst}: a copy of the incoming gradient, or zeros without one. */
    private void initialize(OpenClStorage dst, int off, OpenClStorage src, View grad, int n) {
        if (grad != null) {
            backend.copy(flat(src, grad.storageOffset(), n), flat(dst, off, n));
        } else {
            backend.fill(flat(dst, off, n), 0);
        }
    }

    /** out[c] = sum over the rows of the row-major rows x cols matrix {@code m} (in row order, as the CPU). */
    private void columnSums(OpenClStorage m, int rows, int cols, OpenClStorage out, int off) {
        backend.reduce(Op.SUM, mat(m, 0, rows, cols, cols), new int[] {1}, new View(out, new int[] {1, 1, cols},
                new int[] {cols, cols, 1}, off), 0);
    }
}
