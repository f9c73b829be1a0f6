package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.RnnMode;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link OpenClBackend#rnn} (RNN_LAYER_FORWARD and RNN_LAYER_BACKWARD) against the CPU backend on the same random
 * inputs: every mode (tanh and ReLU RNN, LSTM with and without projection, GRU), padded and packed batch sizes
 * (trailing empty steps included), both directions, with and without biases, odd sizes and sizes past one GEMM
 * tile; the forward with a reserve and without (bit-identical to each other), the backward with every optional
 * incoming gradient present or absent and every output gradient wanted alone, all, or none; the empty batch;
 * float32 to 2e-5, float64 to 1e-12; and the errors raised before anything runs.
 */
class RnnParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** One layer's geometry and whether it has biases. */
    record Case(RnnMode mode, int[] bs, boolean reverse, int in, int h, int proj, boolean bias) {
        RnnLayer layer() {
            return new RnnLayer(mode, bs, reverse, in, h, proj);
        }

        @Override
        public String toString() {
            return mode + " bs " + Arrays.toString(bs) + (reverse ? " reverse" : "") + " in " + in + " h " + h
                    + (proj > 0 ? " proj " + proj : "") + (bias ? "" : " no bias");
        }
    }

    static final List<Case> CASES = List.of(
            new Case(RnnMode.RNN_TANH, new int[] {3, 3, 3, 3}, false, 5, 7, 0, true),
            new Case(RnnMode.RNN_TANH, new int[] {4, 3, 1}, true, 3, 5, 0, true),
            new Case(RnnMode.RNN_RELU, new int[] {4, 3, 3, 1}, true, 5, 7, 0, false),
            new Case(RnnMode.RNN_RELU, new int[] {2, 2, 2}, false, 4, 3, 0, true),
            new Case(RnnMode.LSTM, new int[] {3, 3, 3}, false, 5, 6, 0, true),
            new Case(RnnMode.LSTM, new int[] {5, 4, 2, 2, 1}, true, 3, 7, 0, true),
            new Case(RnnMode.LSTM, new int[] {5, 4, 2, 2, 1}, false, 3, 7, 0, false),
            new Case(RnnMode.LSTM, new int[] {4, 2, 1}, false, 5, 7, 3, true),
            new Case(RnnMode.LSTM, new int[] {4, 2, 1}, true, 5, 7, 3, true),
            new Case(RnnMode.LSTM, new int[] {3, 1, 0}, false, 2, 5, 2, false),
            new Case(RnnMode.LSTM, new int[] {1}, false, 1, 1, 0, true),
            new Case(RnnMode.LSTM, new int[] {9, 9, 7, 3}, true, 33, 70, 0, true),
            new Case(RnnMode.GRU, new int[] {3, 3, 3, 3}, false, 5, 7, 0, true),
            new Case(RnnMode.GRU, new int[] {5, 3, 3, 1}, true, 4, 6, 0, false),
            new Case(RnnMode.GRU, new int[] {5, 3, 3, 1, 0}, false, 4, 6, 0, true),
            new Case(RnnMode.GRU, new int[] {7, 7, 2}, true, 21, 67, 0, true));

    /** The random inputs of one case. */
    record Inputs(double[] x, double[] h0, double[] c0, double[] wIh, double[] wHh, double[] bIh, double[] bHh,
                  double[] wHr, double[] dy, double[] dhN, double[] dcN) {
        static Inputs of(Case c, long seed) {
            RnnLayer l = c.layer();
            Random r = new Random(seed);
            int n = l.rows();
            int b = l.batch();
            int p = l.outputSize();
            int gh = l.gateWidth();
            boolean lstm = c.mode == RnnMode.LSTM;
            return new Inputs(rand(r, n * c.in, 1), rand(r, b * p, 1), lstm ? rand(r, b * c.h, 1) : null,
                    rand(r, gh * c.in, 0.6), rand(r, gh * p, 0.6), c.bias ? rand(r, gh, 0.5) : null,
                    c.bias ? rand(r, gh, 0.5) : null, c.proj > 0 ? rand(r, p * c.h, 0.6) : null, rand(r, n * p, 1),
                    rand(r, b * p, 1), lstm ? rand(r, b * c.h, 1) : null);
        }
    }

    static double[] rand(Random r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextDouble() * 2 - 1) * scale;
        }
        return a;
    }

    static View put(Backend be, DType dt, double[] v) {
        if (v == null) {
            return null;
        }
        Storage s = be.fromHost(Data.fromDoubles(dt, v), dt);
        return View.contiguous(s, new int[] {v.length});
    }

    static View empty(Backend be, DType dt, int n) {
        return View.contiguous(be.allocate(dt, n), new int[] {n});
    }

    static double[] get(Backend be, View v) {
        if (v == null) {
            return null;
        }
        Object a = be.toHost(v.storage(), v.storageOffset(), v.intNumel());
        double[] d = new double[v.intNumel()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a instanceof float[] f ? f[i] : ((double[]) a)[i];
        }
        return d;
    }

    /** The forward's outputs {y, h_n, c_n} and the reserve (null without). */
    record Forward(View y, View hN, View cN, View reserve) {
    }

    static Forward forward(Backend be, DType dt, Case c, Inputs in, boolean record) {
        RnnLayer l = c.layer();
        int n = l.rows();
        int b = l.batch();
        boolean lstm = c.mode == RnnMode.LSTM;
        View y = empty(be, dt, n * l.outputSize());
        View hN = empty(be, dt, b * l.outputSize());
        View cN = lstm ? empty(be, dt, b * c.h) : null;
        View res = record ? empty(be, dt, be.rnnReserveSize(l)) : null;
        be.rnn(Op.RNN_LAYER_FORWARD, l, new View[] {put(be, dt, in.x), put(be, dt, in.h0), put(be, dt, in.c0),
            put(be, dt, in.wIh), put(be, dt, in.wHh), put(be, dt, in.bIh), put(be, dt, in.bHh), put(be, dt, in.wHr)},
                new View[] {y, hN, cN, res});
        return new Forward(y, hN, cN, res);
    }

    static final String[] GRADS = {"dx", "dh0", "dc0", "dw_ih", "dw_hh", "db_ih", "db_hh", "dw_hr"};

    /** The backward's outputs (null where not wanted), given which incoming gradients exist and which are wanted. */
    static double[][] backward(Backend be, DType dt, Case c, Inputs in, Forward f, boolean[] incoming,
                               boolean[] wanted) {
        RnnLayer l = c.layer();
        int n = l.rows();
        int b = l.batch();
        int p = l.outputSize();
        int gh = l.gateWidth();
        int[] sizes = {n * c.in, b * p, b * c.h, gh * c.in, gh * p, gh, gh, p * c.h};
        boolean[] exists = {true, true, c.mode == RnnMode.LSTM, true, true, true, true, c.proj > 0};
        View[] out = new View[8];
        for (int i = 0; i < 8; i++) {
            if (wanted[i] && exists[i]) {
                out[i] = empty(be, dt, sizes[i]);
                be.fill(out[i], Double.NaN); // overwritten, never accumulated into
            }
        }
        boolean rnn = c.mode == RnnMode.RNN_TANH || c.mode == RnnMode.RNN_RELU;
        be.rnn(Op.RNN_LAYER_BACKWARD, l, new View[] {put(be, dt, in.x), put(be, dt, in.wIh), put(be, dt, in.wHh),
            put(be, dt, in.wHr), rnn ? f.y : null, f.reserve, incoming[0] ? put(be, dt, in.dy) : null,
            incoming[1] ? put(be, dt, in.dhN) : null, incoming[2] ? put(be, dt, in.dcN) : null}, out);
        double[][] r = new double[8][];
        for (int i = 0; i < 8; i++) {
            r[i] = get(be, out[i]);
        }
        return r;
    }

    static double tolerance(DType dt) {
        return dt == DType.FLOAT64 ? 1e-12 : 2e-5;
    }

    static void close(double[] expected, double[] actual, DType dt, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected == null, actual == null, what + ": present on one backend only");
            return;
        }
        assertEquals(expected.length, actual.length, what + ": length");
        double tol = tolerance(dt);
        for (int i = 0; i < expected.length; i++) {
            double x = expected[i];
            double y = actual[i];
            if (!(Math.abs(x - y) <= tol + tol * Math.abs(x))) {
                fail(what + ": element " + i + " is " + y + ", expected " + x + " (tolerance " + tol + ")");
            }
        }
    }

    static List<DType> dtypes(OpenClBackend ocl) {
        return ocl.supportsFloat64() ? List.of(DType.FLOAT32, DType.FLOAT64) : List.of(DType.FLOAT32);
    }

    @TestFactory
    List<DynamicTest> forwardMatchesTheCpuWithAndWithoutReserve() {
        OpenClBackend ocl = Ocl.backend();
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : dtypes(ocl)) {
            for (Case c : CASES) {
                tests.add(DynamicTest.dynamicTest(c + " " + dt, () -> {
                    Inputs in = Inputs.of(c, c.hashCode());
                    Forward e = forward(CPU, dt, c, in, true);
                    Forward a = forward(ocl, dt, c, in, true);
                    Forward u = forward(ocl, dt, c, in, false);
                    close(get(CPU, e.y), get(ocl, a.y), dt, "y");
                    close(get(CPU, e.hN), get(ocl, a.hN), dt, "h_n");
                    close(get(CPU, e.cN), get(ocl, a.cN), dt, "c_n");
                    assertArrayEquals(get(ocl, a.y), get(ocl, u.y), "y without a reserve");
                    assertArrayEquals(get(ocl, a.hN), get(ocl, u.hN), "h_n without a reserve");
                    assertArrayEquals(get(ocl, a.cN), get(ocl, u.cN), "c_n without a reserve");
                }));
            }
        }
        return tests;
    }

    /** The patterns of wanted outputs: all, each alone, none. */
    static List<boolean[]> wantedPatterns() {
        List<boolean[]> w = new ArrayList<>();
        boolean[] all = new boolean[8];
        Arrays.fill(all, true);
        w.add(all);
        for (int i = 0; i < 8; i++) {
            boolean[] one = new boolean[8];
            one[i] = true;
            w.add(one);
        }
        w.add(new boolean[8]);
        return w;
    }

    @TestFactory
    List<DynamicTest> backwardMatchesTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : dtypes(ocl)) {
            for (Case c : CASES) {
                tests.add(DynamicTest.dynamicTest(c + " " + dt, () -> {
                    Inputs in = Inputs.of(c, c.hashCode() * 31L);
                    Forward e = forward(CPU, dt, c, in, true);
                    Forward a = forward(ocl, dt, c, in, true);
                    boolean lstm = c.mode == RnnMode.LSTM;
                    boolean[] all = new boolean[8];
                    Arrays.fill(all, true);
                    // every combination of incoming gradients, all outputs wanted
                    for (int mask = 1; mask < 8; mask++) {
                        boolean[] incoming = {(mask & 1) != 0, (mask & 2) != 0, lstm && (mask & 4) != 0};
                        if (!lstm && (mask & 4) != 0) {
                            continue;
                        }
                        compare(ocl, dt, c, in, e, a, incoming, all);
                    }
                    // every pattern of wanted outputs, all incoming gradients
                    boolean[] incoming = {true, true, lstm};
                    for (boolean[] wanted : wantedPatterns()) {
                        compare(ocl, dt, c, in, e, a, incoming, wanted);
                    }
                }));
            }
        }
        return tests;
    }

    static void compare(OpenClBackend ocl, DType dt, Case c, Inputs in, Forward e, Forward a, boolean[] incoming,
                        boolean[] wanted) {
        double[][] x = backward(CPU, dt, c, in, e, incoming, wanted);
        double[][] y = backward(ocl, dt, c, in, a, incoming, wanted);
        for (int i = 0; i < 8; i++) {
            close(x[i], y[i], dt, GRADS[i] + " (incoming " + Arrays.toString(incoming) + ", wanted "
                    + Arrays.toString(wanted) + ")");
        }
    }

    @Test
    void anEmptyBatchGivesEmptyOutputsAndZeroWeightGradients() {
        OpenClBackend ocl = Ocl.backend();
        for (RnnMode mode : RnnMode.values()) {
            Case c = new Case(mode, new int[] {0, 0}, false, 3, 4, 0, true);
            Inputs in = Inputs.of(c, 5);
            Forward e = forward(CPU, DType.FLOAT32, c, in, true);
            Forward a = forward(ocl, DType.FLOAT32, c, in, true);
            assertEquals(0, a.y.intNumel());
            boolean[] all = new boolean[8];
            Arrays.fill(all, true);
            double[][] x = backward(CPU, DType.FLOAT32, c, in, e, new boolean[] {true, true, false}, all);
            double[][] y = backward(ocl, DType.FLOAT32, c, in, a, new boolean[] {true, true, false}, all);
            for (int i = 0; i < 8; i++) {
                close(x[i], y[i], DType.FLOAT32, mode + " " + GRADS[i]);
            }
            for (double v : y[3]) {
                assertEquals(0.0, v);
            }
        }
    }

    @Test
    void theReserveSizeFollowsTheLayer() {
        OpenClBackend ocl = Ocl.backend();
        for (Case c : CASES) {
            RnnLayer l = c.layer();
            int size = ocl.rnnReserveSize(l);
            int n = l.rows();
            int p = l.outputSize();
            assertTrue(size >= n * p, c + ": at least every step's previous state");
        }
    }

    @Test
    void badOperandsAreRefusedBeforeAnythingRuns() {
        OpenClBackend ocl = Ocl.backend();
        Case c = CASES.get(4);
        Inputs in = Inputs.of(c, 9);
        RnnLayer l = c.layer();
        DType dt = DType.FLOAT32;
        View y = empty(ocl, dt, l.rows() * l.outputSize());
        View hN = empty(ocl, dt, l.batch() * c.h);
        View cN = empty(ocl, dt, l.batch() * c.h);
        View x = put(ocl, dt, in.x);
        View shortX = put(ocl, dt, Arrays.copyOf(in.x, in.x.length - 1));
        View[] good = {x, put(ocl, dt, in.h0), put(ocl, dt, in.c0), put(ocl, dt, in.wIh), put(ocl, dt, in.wHh),
            put(ocl, dt, in.bIh), put(ocl, dt, in.bHh), null};
        View[] bad = good.clone();
        bad[0] = shortX;
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ocl.rnn(Op.RNN_LAYER_FORWARD, l, bad, new View[] {y, hN, cN, null}));
        assertTrue(ex.getMessage().contains("x of 9 x 5"), ex.getMessage());
        View[] noCell = good.clone();
        noCell[2] = null;
        ex = assertThrows(IllegalArgumentException.class,
                () -> ocl.rnn(Op.RNN_LAYER_FORWARD, l, noCell, new View[] {y, hN, cN, null}));
        assertTrue(ex.getMessage().contains("c0"), ex.getMessage());
        View[] mixed = good.clone();
        mixed[3] = put(ocl, DType.FLOAT64, in.wIh);
        if (ocl.supportsFloat64()) {
            ex = assertThrows(IllegalArgumentException.class,
                    () -> ocl.rnn(Op.RNN_LAYER_FORWARD, l, mixed, new View[] {y, hN, cN, null}));
            assertTrue(ex.getMessage().contains("float64"), ex.getMessage());
        }
        View wrongReserve = empty(ocl, dt, ocl.rnnReserveSize(l) - 1);
        ex = assertThrows(IllegalArgumentException.class,
                () -> ocl.rnn(Op.RNN_LAYER_FORWARD, l, good, new View[] {y, hN, cN, wrongReserve}));
        assertTrue(ex.getMessage().contains("reserve"), ex.getMessage());
        // nothing was written: y is still the zeros it was allocated with
        for (double v : get(ocl, y)) {
            assertEquals(0.0, v);
        }
        assertThrows(IllegalArgumentException.class, () -> ocl.rnn(Op.RNN_LAYER_BACKWARD, l, new View[] {x,
            good[3], good[4], null, null, null, null, null, null}, new View[8]));
    }
}
