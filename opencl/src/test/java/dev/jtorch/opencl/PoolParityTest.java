package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.kernels.PoolWindows;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.jtorch.opencl.ConvParityTest.a;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pooling kernels on the OpenCL device against the CPU backend (the same windows built as PoolWindows for the
 * CPU and as PoolTables for the device, {@link Windows}): max pooling with and without indices and its gradient,
 * average pooling and its gradient, over 1-d, 2-d and 3-d windows with padding, strides, dilation and ceil mode,
 * overlapping windows, adaptive windows, per-plane (fractional) windows, the average divisors with and without
 * the padding and overridden; data with ties and NaN; operands at storage offsets, outputs overwritten; float32
 * and float64. The values and indices must be the CPU's exactly (the kernels walk the CPU's order). Also the
 * error cases, and that the tables the backend reads from a PoolWindows are the ones built here.
 */
class PoolParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    static List<Windows> maxWindows() {
        List<Windows> l = new ArrayList<>();
        l.add(Windows.regular("1-d k3 s2 p1 ceil", 5, a(10), a(3), a(2), a(1), a(1), true));
        l.add(Windows.regular("1-d k4 s3 dilation 2", 3, a(17), a(4), a(3), a(2), a(2), false));
        l.add(Windows.regular("2-d k(3,2) s(2,1) p1 dilation (2,1) ceil", 4, a(9, 7), a(3, 2), a(2, 1), a(1, 1),
                a(2, 1), true));
        l.add(Windows.regular("2-d k3 s1 overlapping", 3, a(6, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1), false));
        l.add(Windows.regular("2-d k2 s2", 6, a(8, 6), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false));
        l.add(Windows.regular("3-d k2 s2 p(1,0,1) ceil", 3, a(5, 6, 5), a(2, 3, 2), a(2, 2, 1), a(1, 1, 1),
                a(1, 1, 2), true));
        l.add(Windows.adaptive("1-d adaptive 11 -> 4", 3, a(11), a(4)));
        l.add(Windows.adaptive("2-d adaptive (7,9) -> (3,4)", 4, a(7, 9), a(3, 4)));
        l.add(Windows.adaptive("2-d adaptive (5,6) -> (8,7) (growing)", 2, a(5, 6), a(8, 7)));
        l.add(Windows.adaptive("3-d adaptive", 2, a(5, 4, 6), a(2, 3, 4)));
        l.add(Windows.adaptive("2-d global", 3, a(6, 5), a(1, 1)));
        Random r = new Random(5);
        int planes = 4;
        int[] in = {9, 10};
        int[] out = {4, 5};
        int[] k = {3, 2};
        int[][] starts = new int[2][];
        for (int d = 0; d < 2; d++) {
            starts[d] = new int[planes * out[d]];
            for (int i = 0; i < starts[d].length; i++) {
                starts[d][i] = r.nextInt(in[d] - k[d] + 1);
            }
        }
        l.add(Windows.perPlane("2-d per-plane (fractional)", planes, in, out, k, starts));
        int[][] s3 = new int[3][];
        int[] in3 = {5, 6, 7};
        int[] out3 = {2, 3, 3};
        int[] k3 = {2, 2, 3};
        for (int d = 0; d < 3; d++) {
            s3[d] = new int[3 * out3[d]];
            for (int i = 0; i < s3[d].length; i++) {
                s3[d][i] = r.nextInt(in3[d] - k3[d] + 1);
            }
        }
        l.add(Windows.perPlane("3-d per-plane (fractional)", 3, in3, out3, k3, s3));
        l.add(Windows.regular("no planes", 0, a(6, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false));
        return l;
    }

    static List<Windows> avgWindows() {
        List<Windows> l = new ArrayList<>();
        for (boolean include : new boolean[] {true, false}) {
            l.add(Windows.regular("1-d k3 s2 p1 ceil", 3, a(10), a(3), a(2), a(1), a(1), true)
                    .withDivisors(include, a(1)));
            l.add(Windows.regular("2-d k(3,2) s(2,1) p1 ceil", 4, a(9, 7), a(3, 2), a(2, 1), a(1, 1), a(1, 1), true)
                    .withDivisors(include, a(1, 1)));
            l.add(Windows.regular("2-d k3 s1 overlapping", 3, a(6, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1), false)
                    .withDivisors(include, a(1, 1)));
            l.add(Windows.regular("3-d k(2,3,2) p(1,1,0) ceil", 2, a(5, 6, 5), a(2, 3, 2), a(2, 2, 1), a(1, 1, 0),
                    a(1, 1, 1), true).withDivisors(include, a(1, 1, 0)));
        }
        l.add(Windows.regular("2-d k3 s2 p1", 3, a(7, 8), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false)
                .withDivisorOverride(5));
        l.add(Windows.regular("1-d k2 s1", 2, a(9), a(2), a(1), a(0), a(1), false).withDivisorOverride(-3));
        l.add(Windows.adaptive("2-d adaptive (7,9) -> (3,4)", 4, a(7, 9), a(3, 4)).withDivisors(true, a(0, 0)));
        l.add(Windows.adaptive("3-d adaptive", 2, a(5, 4, 6), a(2, 3, 4)).withDivisors(true, a(0, 0, 0)));
        l.add(Windows.regular("no planes", 0, a(6, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false)
                .withDivisors(true, a(1, 1)));
        return l;
    }

    /** {@code off + n + 2} values: random, or (ties) a few small integers, with NaN sprinkled in when asked. */
    static Data.Pair data(OpenClBackend ocl, DType t, int off, int n, Random r, boolean ties, boolean nan) {
        double[] v = new double[n + off + 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = ties ? r.nextInt(3) : r.nextDouble() * 6 - 3;
            if (nan && r.nextInt(9) == 0) {
                v[i] = Double.NaN;
            }
        }
        return Data.pair(CPU, ocl, t, Data.fromDoubles(t, v));
    }

    static Data.Pair longs(OpenClBackend ocl, long[] v) {
        return Data.pair(CPU, ocl, DType.INT64, v);
    }

    static View flat(Storage s, int off, int n) {
        return new View(s, new int[] {n}, new int[] {1}, off);
    }

    /** The two storages hold the same values, bit for bit (any NaN matching any NaN). */
    static void assertExact(Storage expected, OpenClBackend ocl, Storage actual, String what) {
        DType t = expected.dtype();
        Object e = CPU.toHost(expected, 0, expected.size());
        Object a = ocl.toHost(actual, 0, actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double x = Data.value(t, e, i);
            double y = Data.value(t, a, i);
            boolean same = Double.isNaN(x) ? Double.isNaN(y)
                    : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
            if (!same) {
                fail(what + ": element " + i + " is " + y + ", expected " + x);
            }
        }
    }

    static void max(OpenClBackend ocl, OpenClPool pool, Windows w, DType t, boolean ties, boolean nan, long seed) {
        Random r = new Random(seed);
        String what = w + " " + t + (ties ? " ties" : "") + (nan ? " NaN" : "");
        int ni = w.ocl().inputSize();
        int no = w.ocl().outputSize();
        assertEquals(w.cpu().inputSize(), ni);
        assertEquals(w.cpu().outputSize(), no);
        Data.Pair x = data(ocl, t, 2, ni, r, ties, nan);
        Data.Pair y = data(ocl, t, 1, no, r, false, false);
        long[] junk = new long[no + 5];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = r.nextInt(1000) - 500;
        }
        Data.Pair idx = longs(ocl, junk);
        CPU.pool(Op.MAX_POOL, flat(x.cpu(), 2, ni), flat(idx.cpu(), 3, no), flat(y.cpu(), 1, no), w.cpu());
        pool.pool(Op.MAX_POOL, flat(x.ocl(), 2, ni), flat(idx.ocl(), 3, no), flat(y.ocl(), 1, no), w.ocl());
        assertExact(y.cpu(), ocl, y.ocl(), what + " MAX_POOL");
        assertExact(idx.cpu(), ocl, idx.ocl(), what + " MAX_POOL indices");

        Data.Pair y2 = data(ocl, t, 0, no, r, false, false);
        CPU.pool(Op.MAX_POOL, flat(x.cpu(), 2, ni), null, flat(y2.cpu(), 0, no), w.cpu());
        pool.pool(Op.MAX_POOL, flat(x.ocl(), 2, ni), null, flat(y2.ocl(), 0, no), w.ocl());
        assertExact(y2.cpu(), ocl, y2.ocl(), what + " MAX_POOL without indices");

        // the gradient through the forward's indices
        long[] forward = (long[]) CPU.toHost(idx.cpu(), 0, junk.length);
        Data.Pair ix = longs(ocl, forward);
        Data.Pair dy = data(ocl, t, 4, no, r, false, false);
        Data.Pair dx = data(ocl, t, 1, ni, r, false, false);
        CPU.pool(Op.MAX_POOL_BACKWARD, flat(dy.cpu(), 4, no), flat(ix.cpu(), 3, no), flat(dx.cpu(), 1, ni), w.cpu());
        pool.pool(Op.MAX_POOL_BACKWARD, flat(dy.ocl(), 4, no), flat(ix.ocl(), 3, no), flat(dx.ocl(), 1, ni), w.ocl());
        assertExact(dx.cpu(), ocl, dx.ocl(), what + " MAX_POOL_BACKWARD");
    }

    static void avg(OpenClBackend ocl, OpenClPool pool, Windows w, DType t, boolean nan, long seed) {
        Random r = new Random(seed);
        String what = w + " " + t + (nan ? " NaN" : "");
        int ni = w.ocl().inputSize();
        int no = w.ocl().outputSize();
        Data.Pair x = data(ocl, t, 2, ni, r, false, nan);
        Data.Pair y = data(ocl, t, 1, no, r, false, false);
        CPU.pool(Op.AVG_POOL, flat(x.cpu(), 2, ni), null, flat(y.cpu(), 1, no), w.cpu());
        pool.pool(Op.AVG_POOL, flat(x.ocl(), 2, ni), null, flat(y.ocl(), 1, no), w.ocl());
        assertExact(y.cpu(), ocl, y.ocl(), what + " AVG_POOL");
        Data.Pair dy = data(ocl, t, 3, no, r, false, false);
        Data.Pair dx = data(ocl, t, 1, ni, r, false, false);
        CPU.pool(Op.AVG_POOL_BACKWARD, flat(dy.cpu(), 3, no), null, flat(dx.cpu(), 1, ni), w.cpu());
        pool.pool(Op.AVG_POOL_BACKWARD, flat(dy.ocl(), 3, no), null, flat(dx.ocl(), 1, ni), w.ocl());
        assertExact(dx.cpu(), ocl, dx.ocl(), what + " AVG_POOL_BACKWARD");
    }

    @TestFactory
    List<DynamicTest> maxPooling() {
        OpenClBackend ocl = Ocl.backend();
        OpenClPool pool = new OpenClPool(ocl, ocl.clDevice());
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 10;
        for (Windows w : maxWindows()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(w + " " + t, () -> {
                    max(ocl, pool, w, t, false, false, s);
                    max(ocl, pool, w, t, true, false, s + 1000);
                    max(ocl, pool, w, t, true, true, s + 2000);
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> averagePooling() {
        OpenClBackend ocl = Ocl.backend();
        OpenClPool pool = new OpenClPool(ocl, ocl.clDevice());
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 100;
        for (Windows w : avgWindows()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(w + " " + t, () -> {
                    avg(ocl, pool, w, t, false, s);
                    avg(ocl, pool, w, t, true, s + 1000);
                }));
            }
        }
        return tests;
    }

    @Test
    void badOperandsFailBeforeAnythingRuns() {
        OpenClBackend ocl = Ocl.backend();
        OpenClPool pool = new OpenClPool(ocl, ocl.clDevice());
        Windows w = Windows.regular("2-d", 3, a(6, 6), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false);
        int ni = w.ocl().inputSize();
        int no = w.ocl().outputSize();
        View x = flat(ocl.allocate(DType.FLOAT32, ni), 0, ni);
        View y = flat(ocl.allocate(DType.FLOAT32, no), 0, no);
        View yd = flat(ocl.allocate(DType.FLOAT64, no), 0, no);
        View idx = flat(ocl.allocate(DType.INT64, no), 0, no);
        View idxF = flat(ocl.allocate(DType.FLOAT32, no), 0, no);
        String m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.CONV, x, null, y, w.ocl())).getMessage();
        assertTrue(m.contains("not a pooling op"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.MAX_POOL, x, null, yd, w.ocl())).getMessage();
        assertTrue(m.contains("is " + DType.FLOAT32 + ", expected " + DType.FLOAT64), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.MAX_POOL, x, idxF, y, w.ocl())).getMessage();
        assertTrue(m.contains("the indices") && m.contains("expected " + DType.INT64), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.MAX_POOL_BACKWARD, y, null, x, w.ocl())).getMessage();
        assertTrue(m.contains("needs the indices"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.AVG_POOL, x, null, y, w.ocl())).getMessage();
        assertTrue(m.contains("average pooling needs divisors"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.MAX_POOL, flat(x.storage(), 1, ni - 1), idx, y, w.ocl())).getMessage();
        assertTrue(m.contains("needs " + ni + " elements from offset 1"), m);
        View strided = new View(x.storage(), new int[] {ni / 2}, new int[] {2}, 0);
        m = assertThrows(IllegalArgumentException.class,
                () -> pool.pool(Op.MAX_POOL, strided, idx, y, w.ocl())).getMessage();
        assertTrue(m.contains("must be contiguous"), m);
    }

    @Test
    void theBackendReadsTheWindowsOfPoolWindowsAsTheTestsBuildThem() {
        List<Windows> all = new ArrayList<>(maxWindows());
        all.addAll(avgWindows());
        for (Windows w : all) {
            PoolTables got = PoolTables.of(w.cpu());
            PoolTables want = w.ocl();
            assertEquals(want.planes(), got.planes(), w.name());
            assertArrayEquals(want.in(), got.in(), w.name());
            assertArrayEquals(want.out(), got.out(), w.name());
            assertArrayEquals(want.dilation(), got.dilation(), w.name());
            assertTrue(java.util.Arrays.deepEquals(want.start(), got.start()), w.name() + ": starts");
            assertTrue(java.util.Arrays.deepEquals(want.count(), got.count()), w.name() + ": counts");
            assertEquals(want.perPlane(), got.perPlane(), w.name());
            assertTrue(java.util.Arrays.deepEquals(want.divisor(), got.divisor()), w.name() + ": divisors");
            assertEquals(want.divisorOverride(), got.divisorOverride(), w.name());
        }
    }
}
