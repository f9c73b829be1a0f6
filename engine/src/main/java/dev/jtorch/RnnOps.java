package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;

import java.util.Arrays;

import static dev.jtorch.NnSupport.dense;
import static dev.jtorch.NnSupport.shape;

/**
 * The fused recurrent layer (one layer, one direction, over packed rows) as a backend op with its backward
 * rule: the forward is {@link Op#RNN_LAYER_FORWARD}, which with a reserve (when a graph is recorded) keeps
 * what {@link Op#RNN_LAYER_BACKWARD} needs; the node has three outputs (y, h_n, c_n) and returns the gradients
 * of x, h0, c0 and the five weights at once.
 */
final class RnnOps {
    private RnnOps() {
    }

    private static void checkShape(String what, Tensor t, int... expected) {
        if (t == null || !Arrays.equals(t.shape, expected)) {
            throw new IllegalArgumentException("rnn: expected " + what + " of shape " + shape(expected) + ", got "
                    + (t == null ? "none" : shape(t.shape)));
        }
    }

    private static void checkOperand(Tensor x, Tensor t, DType dtype) {
        NnSupport.checkDevice(x, t);
        if (t != null && t.dtype != dtype) {
            throw new IllegalArgumentException("expected scalar type " + NnSupport.scalarName(dtype) + " but found "
                    + NnSupport.scalarName(t.dtype));
        }
    }

    private static Tensor to(Tensor t, DType dt) {
        return t == null ? null : t.to(dt);
    }

    /** See {@link NnOps#rnnLayer}. */
    static Tensor[] layer(RnnMode mode, Tensor x, long[] batchSizes, boolean reverse, Tensor wIh, Tensor wHh,
                          Tensor bIh, Tensor bHh, Tensor wHr, Tensor h0, Tensor c0) {
        if (x.dtype != DType.FLOAT16 && x.dtype != DType.BFLOAT16) {
            return layer(mode, x, batchSizes, reverse, wIh, wHh, bIh, bHh, wHr, h0, c0, x.dtype);
        }
        // float16 / bfloat16 (a module.to(half)): computed in float32 and rounded back, as PyTorch's CPU does. In
        // inference on the CPU the weights stay half (the batch-1 path streams bfloat16 W_hh, half the bytes);
        // otherwise they are widened by differentiable casts.
        DType half = x.dtype;
        Tensor[] all = {x, h0, c0, wIh, wHh, bIh, bHh, wHr};
        for (Tensor t : all) {
            checkOperand(x, t, half);
        }
        Tensor[] r;
        if (x.device().equals(Device.CPU) && !Autograd.needsRecording(all)) {
            r = layer(mode, x.to(DType.FLOAT32), batchSizes, reverse, wIh, wHh, bIh, bHh, wHr, to(h0, DType.FLOAT32),
                    to(c0, DType.FLOAT32), half);
        } else {
            r = layer(mode, x.to(DType.FLOAT32), batchSizes, reverse, to(wIh, DType.FLOAT32), to(wHh, DType.FLOAT32),
                    to(bIh, DType.FLOAT32), to(bHh, DType.FLOAT32), to(wHr, DType.FLOAT32), to(h0, DType.FLOAT32),
                    to(c0, DType.FLOAT32));
        }
        return new Tensor[] {r[0].to(half), r[1].to(half), to(r[2], half)};
    }

    /** The layer on float32 / float64 x and states, with weights of {@code wdt} (x's dtype, or a half type). */
    private static Tensor[] layer(RnnMode mode, Tensor x, long[] batchSizes, boolean reverse, Tensor wIh, Tensor wHh,
                                  Tensor bIh, Tensor bHh, Tensor wHr, Tensor h0, Tensor c0, DType wdt) {
        if (x.dtype != DType.FLOAT32 && x.dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("recurrent layers compute in float16, bfloat16, float32 or float64, got "
                    + x.dtype);
        }
        if (x.dim() != 2) {
            throw new IllegalArgumentException("rnn: expected packed input rows (N, input_size), got "
                    + shape(x.shape));
        }
        boolean lstm = mode == RnnMode.LSTM;
        if ((c0 != null) != lstm) {
            throw new IllegalArgumentException(lstm ? "lstm expects two hidden states" : "rnn: only LSTM has a cell "
                    + "state");
        }
        if (wHr != null && !lstm) {
            throw new IllegalArgumentException("proj_size argument is only supported for LSTM, not RNN or GRU");
        }
        int g = mode.gates();
        int in = x.shape[1];
        int n = x.shape[0];
        if (wHh.dim() != 2 || wHh.shape[0] % g != 0 || wHh.shape[0] == 0) {
            throw new IllegalArgumentException("rnn: expected weight_hh of shape (" + g + " * hidden_size, "
                    + "hidden_size or proj_size) for " + mode + ", got " + shape(wHh.shape));
        }
        int h = wHh.shape[0] / g;
        int p = wHr != null ? wHr.shape[0] : h;
        checkShape("weight_hh", wHh, g * h, p);
        checkShape("weight_ih", wIh, g * h, in);
        if (bIh != null || bHh != null) {
            checkShape("bias_ih", bIh, g * h);
            checkShape("bias_hh", bHh, g * h);
        }
        if (wHr != null) {
            checkShape("weight_hr", wHr, p, h);
        }
        int[] bs = new int[batchSizes.length];
        long total = 0;
        for (int t = 0; t < bs.length; t++) {
            if (batchSizes[t] < 0 || batchSizes[t] > n) {
                throw new IllegalArgumentException("rnn: invalid batch size " + batchSizes[t] + " for " + n + " rows");
            }
            bs[t] = (int) batchSizes[t];
            total += bs[t];
        }
        if (total != n) {
            throw new IllegalArgumentException("rnn: the batch sizes " + Arrays.toString(batchSizes) + " sum to "
                    + total + ", but the input has " + n + " rows");
        }
        RnnLayer layer = new RnnLayer(mode, bs, reverse, in, h, wHr != null ? p : 0);
        int b = layer.batch();
        checkShape("hx", h0, b, p);
        if (lstm) {
            checkShape("cx", c0, b, h);
        }
        for (Tensor t : new Tensor[] {h0, c0}) {
            checkOperand(x, t, x.dtype);
        }
        for (Tensor t : new Tensor[] {wIh, wHh, bIh, bHh, wHr}) {
            checkOperand(x, t, wdt);
        }

        Tensor[] inputs = {x, h0, c0, wIh, wHh, bIh, bHh, wHr};
        DType dt = x.dtype;
        // Training keeps every step's activations for backward in the reserve; inference keeps one step's.
        boolean record = Autograd.needsRecording(inputs);
        Tensor y = NnSupport.empty(x, dt, n, p);
        Tensor hN = NnSupport.empty(x, dt, b, p);
        Tensor cN = lstm ? NnSupport.empty(x, dt, b, h) : null;
        Tensor reserve = record ? NnSupport.empty(x, dt, Dispatch.rnnReserveSize(x, layer)) : null;
        Dispatch.rnn(Op.RNN_LAYER_FORWARD, layer, new Tensor[] {dense(x), dense(h0), dense(c0), dense(wIh),
            dense(wHh), dense(bIh), dense(bHh), dense(wHr)}, new Tensor[] {y, hN, cN, reserve});
        if (record) {
            boolean[] needs = new boolean[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                needs[i] = inputs[i] != null && inputs[i].requiresGrad();
            }
            // the plain RNN's gradient is a function of its output; LSTM and GRU read only the reserve
            Tensor savedY = lstm || mode == RnnMode.GRU ? null : y;
            String name = lstm ? "LstmLayerBackward" : mode == RnnMode.GRU ? "GruLayerBackward" : "RnnLayerBackward";
            FnNode.recordMulti(name, new Tensor[] {y, hN, cN}, inputs,
                    (grads, sv) -> backward(layer, needs, sv, grads), x, h0, c0, wIh, wHh, bIh, bHh, wHr,
                    reserve, savedY);
        }
        return new Tensor[] {y, hN, cN};
    }

    /** The gradients of {x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr} (null where not needed). */
    private static Tensor[] backward(RnnLayer l, boolean[] needs, Tensor[] sv, Tensor[] grads) {
        Tensor x = sv[0];
        DType dt = x.dtype;
        int n = l.rows();
        int b = l.batch();
        int h = l.hiddenSize();
        int p = l.outputSize();
        int gh = l.gateWidth();
        int in = l.inputSize();
        int[][] shapes = {{n, in}, {b, p}, {b, h}, {gh, in}, {gh, p}, {gh}, {gh}, {p, h}};
        Tensor[] out = new Tensor[shapes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = needs[i] ? NnSupport.empty(x, dt, shapes[i]) : null;
        }
        Tensor[] g = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            g[i] = grads[i] == null ? null : dense(grads[i].to(dt));
        }
        Dispatch.rnn(Op.RNN_LAYER_BACKWARD, l, new Tensor[] {dense(x), dense(sv[3]), dense(sv[4]), dense(sv[7]),
            sv[9], sv[8], g[0], g[1], g[2]}, out);
        return out;
    }
}
