package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.NnOps;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused recurrent layer op ({@link NnOps#rnnLayer} on the CPU backend's {@link CpuRnn}) against a
 * step-by-step composition of engine ops (the cells' formulas, which match PyTorch in nn's CellTest), on
 * packed batches of unequal lengths in both directions, and gradcheck of its single backward node in float64.
 */
class CpuRnnTest {
    static final Generator G = new Generator(5);

    static Tensor rnd(int... shape) {
        return Torch.randn(G, DType.FLOAT64, shape);
    }

    /** Reference: one step at a time on the active rows, with the cells' formulas. */
    static Tensor[] reference(RnnMode mode, Tensor x, long[] bs, boolean reverse, Tensor wIh, Tensor wHh,
                              Tensor bIh, Tensor bHh, Tensor wHr, Tensor h0, Tensor c0) {
        int steps = bs.length;
        int[] start = new int[steps];
        for (int t = 1; t < steps; t++) {
            start[t] = start[t - 1] + (int) bs[t - 1];
        }
        Tensor h = h0;
        Tensor c = c0;
        Tensor[] ys = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int rows = (int) bs[t];
            Tensor xt = x.narrow(0, start[t], rows);
            Tensor hp = h.narrow(0, 0, rows);
            Tensor gi = xt.matmul(wIh.t());
            Tensor gh = hp.matmul(wHh.t());
            if (bIh != null) {
                gi = gi.add(bIh);
                gh = gh.add(bHh);
            }
            Tensor hn;
            Tensor cn = null;
            switch (mode) {
                case LSTM -> {
                    Tensor[] q = gi.add(gh).chunk(4, 1);
                    cn = q[1].sigmoid().mul(c.narrow(0, 0, rows)).add(q[0].sigmoid().mul(q[2].tanh()));
                    hn = q[3].sigmoid().mul(cn.tanh());
                    if (wHr != null) {
                        hn = hn.matmul(wHr.t());
                    }
                }
                case GRU -> {
                    Tensor[] a = gi.chunk(3, 1);
                    Tensor[] bb = gh.chunk(3, 1);
                    Tensor r = a[0].add(bb[0]).sigmoid();
                    Tensor z = a[1].add(bb[1]).sigmoid();
                    Tensor nn = a[2].add(r.mul(bb[2])).tanh();
                    hn = nn.add(z.mul(hp.sub(nn)));
                }
                case RNN_RELU -> hn = gi.add(gh).relu();
                default -> hn = gi.add(gh).tanh();
            }
            ys[t] = hn;
            h = rows == h.size(0) ? hn : Torch.cat(new Tensor[] {hn, h.narrow(0, rows, h.size(0) - rows)}, 0);
            if (cn != null) {
                c = rows == c.size(0) ? cn : Torch.cat(new Tensor[] {cn, c.narrow(0, rows, c.size(0) - rows)}, 0);
            }
        }
        return new Tensor[] {Torch.cat(ys, 0), h, c};
    }

    record Setup(RnnMode mode, boolean reverse, boolean bias, boolean proj) {
    }

    static List<Setup> setups() {
        List<Setup> out = new ArrayList<>();
        for (RnnMode m : RnnMode.values()) {
            for (boolean rev : new boolean[] {false, true}) {
                out.add(new Setup(m, rev, true, false));
            }
            out.add(new Setup(m, false, false, false));
        }
        out.add(new Setup(RnnMode.LSTM, false, true, true));
        out.add(new Setup(RnnMode.LSTM, true, false, true));
        return out;
    }

    @Test
    void matchesTheStepByStepCompositionAndPassesGradcheck() {
        long[] bs = {3, 3, 2, 1};
        int n = 9;
        int in = 4;
        int h = 3;
        for (Setup st : setups()) {
            int g = st.mode().gates();
            int p = st.proj() ? 2 : h;
            Tensor x = rnd(n, in).requiresGrad_(true);
            Tensor wIh = rnd(g * h, in).mul(0.5).requiresGrad_(true);
            Tensor wHh = rnd(g * h, p).mul(0.5).requiresGrad_(true);
            Tensor bIh = st.bias() ? rnd(g * h).requiresGrad_(true) : null;
            Tensor bHh = st.bias() ? rnd(g * h).requiresGrad_(true) : null;
            Tensor wHr = st.proj() ? rnd(p, h).requiresGrad_(true) : null;
            Tensor h0 = rnd(3, p).requiresGrad_(true);
            Tensor c0 = st.mode() == RnnMode.LSTM ? rnd(3, h).requiresGrad_(true) : null;
            Tensor[] f = NnOps.rnnLayer(st.mode(), x, bs, st.reverse(), wIh, wHh, bIh, bHh, wHr, h0, c0);
            Tensor[] r = reference(st.mode(), x, bs, st.reverse(), wIh, wHh, bIh, bHh, wHr, h0, c0);
            assertTrue(r[0].allclose(f[0], 1e-12, 1e-13), st + " output");
            assertTrue(r[1].allclose(f[1], 1e-12, 1e-13), st + " h_n");
            if (c0 != null) {
                assertTrue(r[2].allclose(f[2], 1e-12, 1e-13), st + " c_n");
            }
            List<Tensor> leaves = new ArrayList<>(List.of(x, wIh, wHh, h0));
            for (Tensor t : new Tensor[] {bIh, bHh, wHr, c0}) {
                if (t != null) {
                    leaves.add(t);
                }
            }
            Tensor wy = rnd(n, p);
            Tensor wh = rnd(3, p);
            Tensor wc = rnd(3, h);
            assertTrue(Autograd.gradcheck(a -> {
                Tensor[] o = NnOps.rnnLayer(st.mode(), a[0], bs, st.reverse(), a[1], a[2], st.bias() ? a[4] : null,
                        st.bias() ? a[5] : null, st.proj() ? a[st.bias() ? 6 : 4] : null, a[3],
                        c0 != null ? a[a.length - 1] : null);
                Tensor loss = o[0].mul(wy).sum().add(o[1].mul(wh).sum());
                return o[2] == null ? loss : loss.add(o[2].mul(wc).sum());
            }, leaves.toArray(new Tensor[0])), st + " gradcheck");
        }
    }

    /**
     * Inference (no graph recorded) keeps one step's activations and projects the input a chunk of steps at a
     * time (RNN/LSTM also when recording); the numbers must be exactly those of one projection, whatever the
     * chunk size, also in float32 and with the packed weights kept across calls.
     */
    @Test
    void inferenceIsBitIdenticalToTheRecordingPathForAnyChunkSize() {
        long[] bs = {3, 3, 2, 2, 1};
        int n = 11;
        int saved = CpuRnn.chunkRows;
        try {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                for (Setup st : setups()) {
                    int g = st.mode().gates();
                    int h = 5;
                    int p = st.proj() ? 2 : h;
                    Tensor x = rnd(n, 4).to(dt);
                    Tensor wIh = rnd(g * h, 4).mul(0.5).to(dt).requiresGrad_(true);
                    Tensor wHh = rnd(g * h, p).mul(0.5).to(dt);
                    Tensor bIh = st.bias() ? rnd(g * h).to(dt) : null;
                    Tensor bHh = st.bias() ? rnd(g * h).to(dt) : null;
                    Tensor wHr = st.proj() ? rnd(p, h).to(dt) : null;
                    Tensor h0 = rnd(3, p).to(dt);
                    Tensor c0 = st.mode() == RnnMode.LSTM ? rnd(3, h).to(dt) : null;
                    CpuRnn.chunkRows = CpuRnn.CHUNK_ROWS;
                    Tensor[] want = NnOps.rnnLayer(st.mode(), x, bs, st.reverse(), wIh, wHh, bIh, bHh, wHr, h0, c0);
                    assertTrue(want[0].requiresGrad(), "the reference run must record a graph");
                    for (int chunk : new int[] {1, 2, 3, 5, 128, 1}) {
                        CpuRnn.chunkRows = chunk;
                        Tensor[] got;
                        try (var _ = Autograd.noGrad()) {
                            got = NnOps.rnnLayer(st.mode(), x, bs, st.reverse(), wIh, wHh, bIh, bHh, wHr, h0, c0);
                        }
                        String what = st + " " + dt + " chunk rows " + chunk;
                        Tensor[] recorded = NnOps.rnnLayer(st.mode(), x, bs, st.reverse(), wIh, wHh, bIh, bHh, wHr, h0,
                                c0);
                        assertTrue(want[0].equal(recorded[0]), what + ": output when recording");
                        assertTrue(want[0].detach().equal(got[0]), what + ": output");
                        assertTrue(want[1].detach().equal(got[1]), what + ": h_n");
                        if (c0 != null) {
                            assertTrue(want[2].detach().equal(got[2]), what + ": c_n");
                        }
                    }
                }
            }
        } finally {
            CpuRnn.chunkRows = saved;
        }
    }

    @Test
    void floatMatchesDouble() {
        long[] bs = {2, 2, 1};
        for (RnnMode m : RnnMode.values()) {
            int g = m.gates();
            Tensor x = rnd(5, 4);
            Tensor wIh = rnd(g * 3, 4);
            Tensor wHh = rnd(g * 3, 3);
            Tensor h0 = rnd(2, 3);
            Tensor c0 = rnd(2, 3);
            Tensor[] d = NnOps.rnnLayer(m, x, bs, false, wIh, wHh, null, null, null, h0, m == RnnMode.LSTM ? c0 : null);
            Tensor[] f = NnOps.rnnLayer(m, x.float32(), bs, false, wIh.float32(), wHh.float32(), null, null, null,
                    h0.float32(), m == RnnMode.LSTM ? c0.float32() : null);
            assertTrue(d[0].allclose(f[0].float64(), 1e-5, 1e-6), m + " float32");
        }
    }
}
