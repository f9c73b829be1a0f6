package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.Data.Layout;
import dev.jtorch.opencl.Data.Pair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.jtorch.DType.BOOL;
import static dev.jtorch.DType.FLOAT16;
import static dev.jtorch.DType.FLOAT32;
import static dev.jtorch.DType.FLOAT64;
import static dev.jtorch.DType.INT64;

/**
 * Every reduction (kind REDUCE), the softmax family and the indexing ops (kind INDEX) on the OpenCL device against
 * the CPU backend, on random data of odd sizes: every set of reduced dims of a 3-d input, inputs dense, with all
 * strides reversed, strided with an offset, or broadcast (stride 0); data with NaN and infinities, data with
 * many ties (ARGMAX/ARGMIN's first occurrence), int64 and bool inputs (exact), NORM's orders and VAR's
 * corrections; softmax along every dim into dense and non-contiguous outputs; the index ops along every dim with
 * duplicate indices, strided index views and non-contiguous operands. float32 to 1e-5, float64 to 1e-12, int64
 * and bool exactly.
 */
class ReduceParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final int[] SHAPE = {3, 5, 7};
    private static final int[][] DIMS = {{}, {0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};

    /** Layouts of a shape: dense (with an offset), reversed strides, strided with an offset, broadcast dim 1. */
    static List<Layout> layouts(int[] shape, boolean broadcast) {
        int nd = shape.length;
        List<Layout> l = new ArrayList<>();
        l.add(layout("dense+offset", shape, View.contiguousStrides(shape), 2));
        int[] rev = new int[nd];
        for (int i = 0, s = 1; i < nd; i++) {
            rev[i] = s;
            s *= shape[i];
        }
        l.add(layout("reversed strides", shape, rev, 0));
        int[] wide = shape.clone();
        if (nd > 0) {
            wide[nd - 1] = 2 * shape[nd - 1] + 1;
        }
        int[] st = View.contiguousStrides(wide);
        if (nd > 0) {
            st[nd - 1] = 2;
        }
        l.add(layout("strided+offset", shape, st, 3));
        if (broadcast && nd > 1) {
            int[] b = View.contiguousStrides(shape).clone();
            b[1] = 0;
            l.add(layout("broadcast dim 1", shape, b, 1));
        }
        return l;
    }

    static Layout layout(String name, int[] shape, int[] stride, int offset) {
        int hi = offset;
        for (int i = 0; i < shape.length; i++) {
            hi += (shape[i] - 1) * stride[i];
        }
        return new Layout(name, shape.clone(), stride, offset, hi + 1);
    }

    /** Runs a computation on both backends. */
    interface Run {
        void on(Backend b, boolean cpu);
    }

    /** Runs {@code run} on both backends; their outputs must agree. */
    static void compare(Run run, OpenClBackend ocl, Pair out, String what) {
        run.on(CPU, true);
        run.on(ocl, false);
        Data.assertSame(CPU, out.cpu(), ocl, out.ocl(), what);
    }

    static View v(Layout l, Pair p, boolean cpu) {
        return l.on(cpu ? p.cpu() : p.ocl());
    }

    /** Input data: 0 random, 1 with the specials (NaN, infinities, signed zeros) first, 2 many ties. */
    static Object data(DType t, int n, Random r, int kind) {
        if (kind == 2 && t != BOOL) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(3) - 1;
            }
            if (t == INT64) {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = (long) a[i];
                }
                return l;
            }
            return Data.fromDoubles(t, a);
        }
        if (kind == 0 && t == INT64) {
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = r.nextInt(7) - 3;
            }
            return l;
        }
        return Data.random(t, n, r, kind == 1);
    }

    private record Case(Op op, DType in, DType out, double[] params) {
        @Override
        public String toString() {
            return op + " " + in + "->" + out;
        }
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        double[] none = {0};
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.REDUCE) {
                continue;
            }
            double[] p = switch (op) {
                case NORM -> new double[] {2, 1, 0, 3, 0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                case VAR -> new double[] {1, 0};
                default -> none;
            };
            boolean arg = op == Op.ARGMAX || op == Op.ARGMIN;
            boolean logic = op == Op.ANY || op == Op.ALL;
            for (DType in : new DType[] {FLOAT32, FLOAT64, INT64}) {
                DType out = arg ? INT64 : logic ? BOOL : in == INT64 && !ReduceSource.exact(op) ? FLOAT64 : in;
                c.add(new Case(op, in, out, p));
            }
            if (ReduceSource.exact(op)) {
                c.add(new Case(op, BOOL, arg ? INT64 : logic ? BOOL : INT64, p));
            }
        }
        c.add(new Case(Op.SUM, FLOAT16, FLOAT16, none));
        c.add(new Case(Op.AMAX, FLOAT16, FLOAT16, none));
        c.add(new Case(Op.SUM, FLOAT32, FLOAT64, none));
        c.add(new Case(Op.ANY, FLOAT32, BOOL, none));
        return c;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.toString(), () -> reduce(c)));
        }
        return tests;
    }

    private static void reduce(Case c) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(c.toString().hashCode());
        for (Layout lx : layouts(SHAPE, true)) {
            for (int kind = 0; kind < 3; kind++) {
                for (int[] dims : DIMS) {
                    for (double p : c.params()) {
                        int[] os = SHAPE.clone();
                        for (int d : dims) {
                            os[d] = 1;
                        }
                        Layout lo = layout("out", os, View.contiguousStrides(os), 1);
                        Pair x = Data.pair(CPU, ocl, c.in(), data(c.in(), lx.storage(), r, kind));
                        Pair out = Data.pair(CPU, ocl, c.out(), data(c.out(), lo.storage(), r, 0));
                        String what = c + " x " + lx + ", data " + kind + ", dims " + java.util.Arrays.toString(dims)
                                + ", p " + p;
                        compare((b, cpu) -> b.reduce(c.op(), v(lx, x, cpu), dims, v(lo, out, cpu), p), ocl, out,
                                what);
                    }
                }
            }
        }
    }

    @TestFactory
    List<DynamicTest> edges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c + " ten dims, empty rows", () -> edges(c)));
        }
        return tests;
    }

    /** Ten-dim inputs (more dims than one launch takes) and rows of no elements. */
    private static void edges(Case c) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(c.toString().hashCode() + 1);
        int[][] highDims = {{9}, {0, 9}, {}, {2, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}};
        for (Layout lx : List.of(Data.HIGH_DENSE, Data.HIGH_REVERSED)) {
            for (int[] dims : highDims) {
                reduceOnce(c, lx, dims, r, ocl);
            }
        }
        Layout empty = layout("3x0x4", new int[] {3, 0, 4}, new int[] {4, 4, 1}, 0);
        reduceOnce(c, empty, new int[] {1}, r, ocl);
        reduceOnce(c, empty, new int[] {0, 1}, r, ocl);
        reduceOnce(c, empty, new int[] {0}, r, ocl);
        reduceOnce(c, layout("0-d", new int[0], new int[0], 2), new int[0], r, ocl);
    }

    private static void reduceOnce(Case c, Layout lx, int[] dims, Random r, OpenClBackend ocl) {
        int[] os = lx.shape().clone();
        for (int d : dims) {
            os[d] = 1;
        }
        Layout lo = layout("out", os, View.contiguousStrides(os), 0);
        double p = c.params()[0];
        Pair x = Data.pair(CPU, ocl, c.in(), data(c.in(), Math.max(1, lx.storage()), r, 0));
        Pair out = Data.pair(CPU, ocl, c.out(), data(c.out(), Math.max(1, lo.storage()), r, 0));
        compare((b, cpu) -> b.reduce(c.op(), v(lx, x, cpu), dims, v(lo, out, cpu), p), ocl, out,
                c + " x " + lx + ", dims " + java.util.Arrays.toString(dims));
    }

    @TestFactory
    List<DynamicTest> longRows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c + " long rows (work-groups)", () -> longRows(c)));
        }
        return tests;
    }

    /**
     * Rows of at least {@link ReduceSource#GROUP_ROW} elements, reduced by work-groups: eighths in [-3, 3] (whose
     * float sums are exact in any order, so the CPU's float32 sums compare at 1e-5), with NaN and infinities in
     * the middle of the rows or not, over dense, transposed and copied (non-run) inputs.
     */
    private static void longRows(Case c) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(c.toString().hashCode() + 2);
        int[] wide = {3, 1500};
        int[] tall = {1100, 3};
        int[] cube = {2, 37, 41};
        List<Object[]> runs = List.of(
                new Object[] {layout("3x1500", wide, View.contiguousStrides(wide), 1), new int[] {1}},
                new Object[] {layout("1100x3", tall, View.contiguousStrides(tall), 0), new int[] {0}},
                new Object[] {layouts(cube, false).get(0), new int[] {1, 2}},
                new Object[] {layouts(cube, false).get(1), new int[] {1, 2}},
                new Object[] {layouts(cube, false).get(2), new int[] {0, 1, 2}},
                // two-stage (chunked) reductions of few very long rows
                new Object[] {layout("2x70001", new int[] {2, 70001}, new int[] {70001, 1}, 0), new int[] {1}},
                new Object[] {layouts(new int[] {300, 250}, false).get(1), new int[] {0, 1}},
                new Object[] {layouts(new int[] {3, 300, 251}, false).get(2), new int[] {1, 2}});
        for (Object[] run : runs) {
            Layout lx = (Layout) run[0];
            int[] dims = (int[]) run[1];
            for (int kind = 0; kind < 2; kind++) {
                for (double p : c.params()) {
                    int[] os = lx.shape().clone();
                    for (int d : dims) {
                        os[d] = 1;
                    }
                    Layout lo = layout("out", os, View.contiguousStrides(os), 0);
                    Object host = eighths(c.in(), lx.storage(), r, kind == 1);
                    if (c.op() == Op.PROD && lx.storage() > 20000) {
                        // products of ones, exact in any order (long float products overflow where the order says)
                        host = units(c.in(), lx.storage(), r, kind == 1);
                    }
                    Pair x = Data.pair(CPU, ocl, c.in(), host);
                    Pair out = Data.pair(CPU, ocl, c.out(), data(c.out(), lo.storage(), r, 0));
                    compare((b, cpu) -> b.reduce(c.op(), v(lx, x, cpu), dims, v(lo, out, cpu), p), ocl, out,
                            c + " x " + lx + ", dims " + java.util.Arrays.toString(dims) + ", specials " + kind
                                    + ", p " + p);
                }
            }
        }
    }

    /** -1 and 1 (bool: random), with NaN and infinities at a few places. */
    private static Object units(DType t, int n, Random r, boolean specials) {
        Object e = eighths(t, n, r, specials);
        switch (e) {
            case float[] a -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Float.isFinite(a[i]) ? (a[i] < 0 ? -1 : 1) : a[i];
                }
            }
            case double[] a -> {
                for (int i = 0; i < n; i++) {
                    a[i] = Double.isFinite(a[i]) ? (a[i] < 0 ? -1 : 1) : a[i];
                }
            }
            case long[] a -> {
                for (int i = 0; i < n; i++) {
                    a[i] = a[i] < 0 ? -1 : 1;
                }
            }
            default -> {
            }
        }
        return e;
    }

    /** Multiples of 1/8 in [-3, 3] (int64: integers in [-24, 24]), with NaN and infinities at a few places. */
    private static Object eighths(DType t, int n, Random r, boolean specials) {
        if (t == BOOL) {
            return Data.random(t, n, r, false);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextInt(49) - 24) / 8.0;
        }
        if (specials) {
            for (int i = 0; i < n; i++) {
                if (i % 1009 == 700) {
                    a[i] = Double.NaN;
                } else if (i % 1013 == 800) {
                    a[i] = i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                }
            }
        }
        if (t == INT64) {
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = Double.isFinite(a[i]) ? (long) (a[i] * 8) : a[i] > 0 ? 1L << 40 : -(1L << 40);
            }
            return l;
        }
        return Data.fromDoubles(t, a);
    }

    @TestFactory
    List<DynamicTest> softmaxes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.SOFTMAX) {
                for (DType t : new DType[] {FLOAT32, FLOAT64}) {
                    tests.add(DynamicTest.dynamicTest(op + " " + t, () -> softmax(op, t)));
                }
            }
        }
        return tests;
    }

    private static void softmax(Op op, DType t) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(op.ordinal() * 7L + t.ordinal());
        boolean backward = op == Op.SOFTMAX_BACKWARD || op == Op.LOG_SOFTMAX_BACKWARD;
        List<Layout> ins = layouts(SHAPE, true);
        List<Layout> outs = layouts(SHAPE, false);
        for (int i = 0; i < ins.size(); i++) {
            Layout lx = ins.get(i);
            Layout ly = outs.get(i % outs.size());
            Layout lg = ins.get((i + 1) % ins.size());
            for (int kind = 0; kind < 2; kind++) {
                for (int dim = 0; dim < SHAPE.length; dim++) {
                    int d = dim;
                    Pair x = Data.pair(CPU, ocl, t, data(t, lx.storage(), r, backward ? 0 : kind));
                    Pair g = Data.pair(CPU, ocl, t, data(t, lg.storage(), r, kind));
                    Pair out = Data.pair(CPU, ocl, t, data(t, ly.storage(), r, 0));
                    String what = op + " " + t + " x " + lx + ", dy " + lg + ", out " + ly + ", data " + kind
                            + ", dim " + d;
                    compare((b, cpu) -> b.softmax(op, v(lx, x, cpu), backward ? v(lg, g, cpu) : null, d,
                            v(ly, out, cpu)), ocl, out, what);
                }
            }
        }
        // lines long enough for the work-group kernels, along a dense and a strided dim, into a transposed output
        int[] wide = {3, 1500};
        int[] tall = {1100, 2};
        for (Layout[] l : List.of(new Layout[] {layouts(wide, false).get(0), layouts(wide, false).get(1)},
                new Layout[] {layouts(tall, false).get(1), layouts(tall, false).get(0)})) {
            for (int kind = 0; kind < 2; kind++) {
                int d = l[0].shape()[0] == 3 ? 1 : 0;
                Pair x = Data.pair(CPU, ocl, t, data(t, l[0].storage(), r, backward ? 0 : kind));
                Pair g = Data.pair(CPU, ocl, t, data(t, l[0].storage(), r, kind));
                Pair out = Data.pair(CPU, ocl, t, data(t, l[1].storage(), r, 0));
                compare((b, cpu) -> b.softmax(op, v(l[0], x, cpu), backward ? v(l[0], g, cpu) : null, d,
                        v(l[1], out, cpu)), ocl, out, op + " " + t + " long lines " + l[0] + " -> " + l[1]
                        + ", data " + kind);
            }
        }
        // ten dims (split into several launches)
        for (int d : new int[] {0, 9, 4}) {
            Pair x = Data.pair(CPU, ocl, t, data(t, Data.HIGH_REVERSED.storage(), r, 0));
            Pair g = Data.pair(CPU, ocl, t, data(t, Data.HIGH_DENSE.storage(), r, 0));
            Pair out = Data.pair(CPU, ocl, t, data(t, Data.HIGH_DENSE.storage(), r, 0));
            compare((b, cpu) -> b.softmax(op, v(Data.HIGH_REVERSED, x, cpu), backward ? v(Data.HIGH_DENSE, g, cpu)
                    : null, d, v(Data.HIGH_DENSE, out, cpu)), ocl, out, op + " ten dims, dim " + d);
        }
        // a 0-dim input
        Layout s = layout("0-d", new int[0], new int[0], 1);
        Pair x = Data.pair(CPU, ocl, t, data(t, s.storage(), r, 0));
        Pair out = Data.pair(CPU, ocl, t, data(t, s.storage(), r, 0));
        compare((b, cpu) -> b.softmax(op, v(s, x, cpu), backward ? v(s, x, cpu) : null, 0, v(s, out, cpu)), ocl,
                out, op + " 0-d");
    }

    @TestFactory
    List<DynamicTest> indexing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.INDEX) {
                for (DType t : new DType[] {FLOAT32, FLOAT64, INT64}) {
                    tests.add(DynamicTest.dynamicTest(op + " " + t, () -> index(op, t)));
                }
            }
        }
        return tests;
    }

    /** Indices in [0, bound), with duplicates. */
    private static long[] indices(int n, int bound, Random r) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(bound);
        }
        return a;
    }

    private static void index(Op op, DType t) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(op.ordinal() * 11L + t.ordinal());
        for (int dim = 0; dim < SHAPE.length; dim++) {
            int d = dim;
            for (int variant = 0; variant < 3; variant++) {
                Layout self;
                Layout src;
                Layout out;
                Layout idx;
                switch (op) {
                    case INDEX_SELECT, INDEX_ADD -> {
                        int n = 9;
                        int[] small = SHAPE.clone();
                        small[d] = n;
                        idx = variant == 1 ? layout("index stride 2", new int[] {n}, new int[] {2}, 1)
                                : layout("index", new int[] {n}, new int[] {1}, 0);
                        if (op == Op.INDEX_SELECT) {
                            self = layouts(SHAPE, false).get(variant);
                            out = layouts(small, false).get((variant + 1) % 3);
                            src = self;
                        } else {
                            out = layouts(SHAPE, false).get(variant);
                            src = layouts(small, true).get((variant + 2) % 4);
                            self = out;
                        }
                    }
                    default -> {
                        // index smaller than the operands off dim (and along it for GATHER)
                        int[] ish = {2, 4, 6};
                        idx = layouts(ish, false).get(variant);
                        if (op == Op.GATHER) {
                            self = layouts(SHAPE, false).get((variant + 1) % 3);
                            out = layouts(ish, false).get((variant + 2) % 3);
                            src = self;
                        } else {
                            out = layouts(SHAPE, false).get((variant + 1) % 3);
                            src = layouts(SHAPE, false).get((variant + 2) % 3);
                            self = out;
                        }
                    }
                }
                int bound = SHAPE[d];
                Pair ix = Data.pair(CPU, ocl, INT64, indices(idx.storage(), bound, r));
                Pair ps = Data.pair(CPU, ocl, t, data(t, self.storage(), r, 0));
                Pair pr = op == Op.INDEX_SELECT || op == Op.GATHER ? ps
                        : Data.pair(CPU, ocl, t, data(t, src.storage(), r, 0));
                Pair po = op == Op.INDEX_SELECT || op == Op.GATHER
                        ? Data.pair(CPU, ocl, t, data(t, out.storage(), r, 0)) : ps;
                Layout fs = self;
                Layout fr = src;
                Layout fo = out;
                Layout fi = idx;
                String what = op + " " + t + " dim " + d + ", self " + self + ", src " + src + ", out " + out
                        + ", index " + idx;
                compare((b, cpu) -> b.index(op, v(fs, ps, cpu), d, v(fi, ix, cpu), v(fr, pr, cpu),
                        v(fo, po, cpu)), ocl, po, what);
            }
        }
    }
}
