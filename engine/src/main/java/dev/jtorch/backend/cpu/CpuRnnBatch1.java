package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Gemv;
import dev.jtorch.kernels.Lockstep;
import dev.jtorch.kernels.PackedB;
import dev.jtorch.kernels.PackedGemv;
import dev.jtorch.kernels.RnnGates;
import dev.jtorch.kernels.RnnGates.Nonlinearity;

/**
 * The inference forward of a recurrent layer at batch 1 (float32, no projection): every step streams the
 * whole W_hh for one GEMV, so the step is bound by the bytes read, not by the multiply-adds. Two ways past
 * that, both here:
 * <ul>
 *   <li>W_hh kept as bfloat16 when the layer's weights are bfloat16 ({@code module.to(DType.BFLOAT16)}): half
 *       the bytes per step, widened exactly to float32 in the kernel, float32 accumulation
 *       ({@link Gemv#packBf16}).</li>
 *   <li>The hidden units split into slices, one per core ({@link Lockstep}): a slice owns its units' rows of
 *       every gate in W_ih and W_hh (packed once and cached with the weight, see {@link PackedWeights}),
 *       projects its own columns of the input, and runs its GEMV and gate kernel on them; the only exchange is
 *       the new hidden state, read whole by every slice at the next step. Each core streams its slice of
 *       W_hh from its own L2.</li>
 * </ul>
 * Each output element is computed in the same order whatever the number of slices, so the result does not
 * depend on the thread count.
 */
final class CpuRnnBatch1 {
    private CpuRnnBatch1() {
    }

    /** Whether the path is taken where it applies (-Djtorch.rnn.batch1=false turns it off, for A/B runs; tests do). */
    static volatile boolean enabled = !"false".equals(System.getProperty("jtorch.rnn.batch1"));

    /** Steps whose input projection is computed at once, per slice. */
    private static final int CHUNK = 64;

    /** Whether {@link #forward} handles this call: inference, float32 compute, batch 1, no projection. */
    static boolean applies(RnnLayer l, View x, View res, View wHr) {
        return enabled && res == null && wHr == null && x.dtype() == DType.FLOAT32 && l.batch() == 1 && l.rows() > 0
                && l.rows() == l.batchSizes().length;
    }

    /** The packed slices of one weight for a plan, cached with it. */
    private record SliceKey(String what, RnnMode mode, int hidden, int inner, int tasks) {
    }

    /** Slices start at multiples of this many units: whole vectors of every width, so a unit's gate kernel
     *  lane (vector body or scalar tail) does not depend on the number of slices. */
    private static final int ALIGN = 16;

    /** The hidden units [lo(task), lo(task + 1)) of each slice (tasks &lt;= h / ALIGN). */
    private static int lo(int task, int tasks, int h) {
        if (task == tasks) {
            return h;
        }
        return (int) Math.round((double) task * h / tasks / ALIGN) * ALIGN;
    }

    /** Rows {g * H + u, u in [u0, u1)} of a (G*H x inner) weight, gate by gate, as float32 or bfloat16 bits. */
    private static Object sliceRows(View w, int g, int h, int inner, int u0, int u1) {
        Object a = ((CpuStorage) w.storage()).array();
        int off = w.storageOffset();
        int hs = u1 - u0;
        Object out = a instanceof short[] ? new short[g * hs * inner] : new float[g * hs * inner];
        for (int gate = 0; gate < g; gate++) {
            System.arraycopy(a, off + (gate * h + u0) * inner, out, gate * hs * inner, hs * inner);
        }
        return out;
    }

    /** W_ih's slices as GEMM operands (W_ih_slice^T, in x G*hs), float32 (half weights widened). */
    private static PackedB[] wihSlices(View w, RnnMode mode, int g, int h, int in, int tasks) {
        return PackedWeights.derived(w, new SliceKey("wih", mode, h, in, tasks), () -> {
            PackedB[] out = new PackedB[tasks];
            for (int t = 0; t < tasks; t++) {
                int u0 = lo(t, tasks, h);
                int u1 = lo(t + 1, tasks, h);
                float[] rows = HalfArrays.widen(sliceRows(w, g, h, in, u0, u1), w.dtype());
                out[t] = Gemm.packB(true, in, g * (u1 - u0), rows, 0, in);
            }
            return out;
        });
    }

    /** W_hh's slices as GEMV operands (W_hh_slice^T, P x G*hs): bfloat16 kept as such, float16 widened. */
    private static PackedGemv[] whhSlices(View w, RnnMode mode, int g, int h, int p, int tasks) {
        return PackedWeights.derived(w, new SliceKey("whh", mode, h, p, tasks), () -> {
            PackedGemv[] out = new PackedGemv[tasks];
            for (int t = 0; t < tasks; t++) {
                int u0 = lo(t, tasks, h);
                int u1 = lo(t + 1, tasks, h);
                Object rows = sliceRows(w, g, h, p, u0, u1);
                out[t] = w.dtype() == DType.BFLOAT16 ? Gemv.packBf16(true, p, g * (u1 - u0), (short[]) rows, 0, p)
                        : Gemv.pack(true, p, g * (u1 - u0), HalfArrays.widen(rows, w.dtype()), 0, p);
            }
            return out;
        });
    }

    /** The slice [u0, u1) of each gate of a bias (length G*H), gate by gate; zeros for none. */
    private static float[] sliceBias(float[] bias, int g, int h, int u0, int u1) {
        int hs = u1 - u0;
        float[] out = new float[g * hs];
        for (int gate = 0; bias != null && gate < g; gate++) {
            System.arraycopy(bias, gate * h + u0, out, gate * hs, hs);
        }
        return out;
    }

    /** One slice's buffers. */
    private static final class Slice {
        final int u0;
        final int hs;
        final PackedB wih;
        final PackedGemv whh;
        final float[] bias;     // added to the projection: b_ih (+ b_hh for RNN and LSTM)
        final float[] bhh;      // GRU's b_hh, added to the hidden side every step
        final float[] xw;       // the projection of one chunk of steps, CHUNK x G*hs
        final float[] hg;       // GRU: the hidden side of one step
        final float[] ws;       // GRU: its saved activations (unused in inference, the kernel writes them)
        final float[] cNew;     // LSTM: the new cell state of the slice
        final float[] h;        // the previous hidden state, copied whole before the product (see forward)
        int chunkStep = -1;     // the first step of the chunk in xw

        Slice(int u0, int hs, int g, PackedB wih, PackedGemv whh, float[] bias, float[] bhh, boolean gru,
              boolean lstm, int hidden) {
            this.u0 = u0;
            this.hs = hs;
            this.wih = wih;
            this.whh = whh;
            this.bias = bias;
            this.bhh = bhh;
            this.xw = new float[CHUNK * g * hs];
            this.hg = gru ? new float[g * hs] : null;
            this.ws = gru ? new float[4 * hs] : null;
            this.cNew = lstm ? new float[hs] : null;
            this.h = new float[hidden];
        }
    }

    private static float[] floats(View v) {
        return (float[]) ((CpuStorage) v.storage()).array();
    }

    /**
     * RNN_LAYER_FORWARD at batch 1 in inference ({@link #applies}); argument positions as
     * {@link dev.jtorch.backend.Backend#rnn} documents them. Weights may be float32, bfloat16 or float16; x, the
     * states and the outputs are float32.
     */
    static void forward(RnnLayer l, View[] in, View[] out) {
        View x = in[0], h0 = in[1], c0 = in[2], wIh = in[3], wHh = in[4], bIh = in[5], bHh = in[6];
        View y = out[0], hN = out[1], cN = out[2];
        RnnMode mode = l.mode();
        boolean lstm = mode == RnnMode.LSTM;
        boolean gru = mode == RnnMode.GRU;
        int steps = l.rows();
        int inSize = l.inputSize();
        int h = l.hiddenSize();
        int g = mode.gates();
        long bytesPerStep = (long) g * h * h * (wHh.dtype() == DType.BFLOAT16 ? 2 : 4);
        int tasks = Math.min(Lockstep.tasksFor(bytesPerStep), Math.max(1, h / ALIGN));
        PackedB[] wih = wihSlices(wIh, mode, g, h, inSize, tasks);
        PackedGemv[] whh = whhSlices(wHh, mode, g, h, h, tasks);
        float[] bI = bIh == null ? null : HalfArrays.widen(bIh, (long) g * h);
        float[] bH = bHh == null ? null : HalfArrays.widen(bHh, (long) g * h);
        float[] inputBias = null;
        if (bI != null || (bH != null && !gru)) {
            inputBias = new float[g * h];
            for (int i = 0; i < inputBias.length; i++) {
                inputBias[i] = (bI == null ? 0f : bI[i]) + (bH == null || gru ? 0f : bH[i]);
            }
        }
        Slice[] slices = new Slice[tasks];
        for (int t = 0; t < tasks; t++) {
            int u0 = lo(t, tasks, h);
            int u1 = lo(t + 1, tasks, h);
            slices[t] = new Slice(u0, u1 - u0, g, wih[t], whh[t], sliceBias(inputBias, g, h, u0, u1),
                    gru && bH != null ? sliceBias(bH, g, h, u0, u1) : null, gru, lstm, h);
        }
        float[] xa = floats(x);
        int xo = x.storageOffset();
        float[] ya = floats(y);
        int yo = y.storageOffset();
        float[] state = floats(hN);
        int so = hN.storageOffset();
        System.arraycopy(floats(h0), h0.storageOffset(), state, so, h);
        float[] cell = lstm ? floats(cN) : null;
        int co = lstm ? cN.storageOffset() : 0;
        if (lstm) {
            System.arraycopy(floats(c0), c0.storageOffset(), cell, co, h);
        }
        boolean reverse = l.reverse();
        Nonlinearity nl = mode == RnnMode.RNN_RELU ? Nonlinearity.RELU : Nonlinearity.TANH;
        Lockstep.run(tasks, steps, (task, s) -> {
            Slice sl = slices[task];
            int gw = g * sl.hs;
            if (sl.chunkStep < 0 || s >= sl.chunkStep + CHUNK) {
                // project this slice's columns for steps [s, s + CHUNK): rows [lo, hi) of x, in processing order
                int count = Math.min(CHUNK, steps - s);
                int lo = reverse ? steps - s - count : s;
                Gemm.sgemm(false, count, 1f, xa, xo + lo * inSize, inSize, sl.wih, 0f, sl.xw, 0, gw);
                for (int r = 0; r < count; r++) {
                    for (int c = 0; c < gw; c++) {
                        sl.xw[r * gw + c] += sl.bias[c];
                    }
                }
                sl.chunkStep = s;
            }
            int t = reverse ? steps - 1 - s : s;
            int chunkLo = reverse ? steps - sl.chunkStep - Math.min(CHUNK, steps - sl.chunkStep) : sl.chunkStep;
            int xr = (t - chunkLo) * gw;
            // the previous hidden state: h0 (in hN) at the first step, else the previous step's output row
            int tPrev = reverse ? t + 1 : t - 1;
            // copied first: half of it was just written by the other cores, and one copy takes those cache lines in
            // parallel where the product's in-order reads would wait for them one by one
            System.arraycopy(s == 0 ? state : ya, s == 0 ? so : yo + tPrev * h, sl.h, 0, h);
            float[] hp = sl.h;
            int hpo = 0;
            int yr = yo + t * h + sl.u0;
            switch (mode) {
                case LSTM -> {
                    Gemv.gemv(hp, hpo, sl.whh, sl.xw, xr);
                    RnnGates.lstmGatesForward(1, sl.hs, sl.xw, xr, cell, co + sl.u0, sl.cNew, 0, ya, yr, sl.xw, xr);
                    System.arraycopy(sl.cNew, 0, cell, co + sl.u0, sl.hs);
                }
                case GRU -> {
                    if (sl.bhh != null) {
                        System.arraycopy(sl.bhh, 0, sl.hg, 0, gw);
                    } else {
                        java.util.Arrays.fill(sl.hg, 0f);
                    }
                    Gemv.gemv(hp, hpo, sl.whh, sl.hg, 0);
                    RnnGates.gruGatesForward(1, sl.hs, sl.xw, xr, sl.hg, 0, hp, hpo + sl.u0, ya, yr, sl.ws, 0);
                }
                default -> {
                    Gemv.gemv(hp, hpo, sl.whh, sl.xw, xr);
                    RnnGates.rnnStepForward(1, sl.hs, nl, sl.xw, xr, ya, yr);
                }
            }
        });
        int tLast = reverse ? 0 : steps - 1;
        System.arraycopy(ya, yo + tLast * h, state, so, h);
    }
}
