package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.Data.Pair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.jtorch.DType.BFLOAT16;
import static dev.jtorch.DType.FLOAT16;
import static dev.jtorch.DType.FLOAT32;
import static dev.jtorch.DType.FLOAT64;
import static dev.jtorch.DType.INT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link OpenClBackend#bmm} against the CPU backend: square and odd shapes (1, 7, 33, 64, 129, 257, none of
 * them or all of them multiples of the tiles), every layout of each operand (row-major "N", column-major "T",
 * and strided "S", neither), batches with a broadcast (stride-0) operand, offsets, and alpha/beta (beta 0 over an
 * output of NaN, which must not be read). float32 agrees to 1e-4 and float64 to 1e-12, relative to the magnitude
 * of the sum ({@code |out| + |alpha| sum |a||b| + |beta out|}, since the order of accumulation differs); float16
 * and bfloat16 also within one rounding of their own; int64 exactly, wrapping.
 */
class GemmParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final int[] SIZES = {1, 7, 33, 64, 129, 257};

    /** An operand's layout: row-major, column-major, or neither (both strides above 1), with an offset. */
    enum L {
        N, T, S
    }

    /** A [batch, rows, cols] view of a fresh storage pair in layout {@code l}; batch stride 0 where broadcast. */
    private record Operand(Pair p, View cpu, View ocl, Object host) {
    }

    private static Operand operand(OpenClBackend ocl, DType t, int batch, int rows, int cols, L l, boolean broadcast,
                                   Random r) {
        int off = 3;
        int[] st = switch (l) {
            case N -> new int[] {0, cols, 1};
            case T -> new int[] {0, 1, rows};
            case S -> new int[] {0, 2, 2 * rows + 1};
        };
        int span = (rows - 1) * st[1] + (cols - 1) * st[2] + 1;
        st[0] = broadcast ? 0 : span + 5;
        int size = off + (broadcast ? 1 : batch) * (span + 5);
        Object host = Data.random(t, size, r, t == INT64);
        Pair p = Data.pair(CPU, ocl, t, host);
        int[] shape = {batch, rows, cols};
        return new Operand(p, new View(p.cpu(), shape, st, off), new View(p.ocl(), shape, st, off), host);
    }

    private static void check(OpenClBackend ocl, DType t, int batch, int m, int n, int k, L la, L lb,
                              boolean broadcastA, boolean broadcastB, double alpha, double beta, long seed) {
        Random r = new Random(seed);
        Operand a = operand(ocl, t, batch, m, k, la, broadcastA, r);
        Operand b = operand(ocl, t, batch, k, n, lb, broadcastB, r);
        int off = 1;
        int size = off + batch * m * n;
        Object outHost = Data.random(t, size, r, false);
        if (beta == 0 && t != INT64) {
            double[] nan = new double[size];
            java.util.Arrays.fill(nan, Double.NaN);
            outHost = Data.fromDoubles(t, nan);
        }
        Pair o = Data.pair(CPU, ocl, t, outHost);
        int[] shape = {batch, m, n};
        int[] st = {m * n, n, 1};
        CPU.bmm(a.cpu(), b.cpu(), new View(o.cpu(), shape, st, off), alpha, beta);
        ocl.bmm(a.ocl(), b.ocl(), new View(o.ocl(), shape, st, off), alpha, beta);
        String what = t + " " + batch + "x" + m + "x" + n + "x" + k + " " + la + lb
                + (broadcastA ? " a broadcast" : "") + (broadcastB ? " b broadcast" : "") + " alpha " + alpha
                + " beta " + beta;
        compare(ocl, t, a, b, o, outHost, batch, m, n, k, alpha, beta, what);
    }

    private static void compare(OpenClBackend ocl, DType t, Operand a, Operand b, Pair o, Object outBefore,
                                int batch, int m, int n, int k, double alpha, double beta, String what) {
        Object e = CPU.toHost(o.cpu(), 0, o.cpu().size());
        Object g = ocl.toHost(o.ocl(), 0, o.ocl().size());
        if (t == INT64) {
            long[] x = (long[]) e;
            long[] y = (long[]) g;
            for (int i = 0; i < x.length; i++) {
                if (x[i] != y[i]) {
                    fail(what + ": element " + i + " is " + y[i] + ", expected " + x[i]);
                }
            }
            return;
        }
        double tol = switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 1e-4;
            default -> Data.tolerance(t);
        };
        int[] sa = a.cpu().stride();
        int[] sb = b.cpu().stride();
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int oi = 1 + (z * m + i) * n + j;
                    double bound = 0;
                    for (int q = 0; q < k; q++) {
                        bound += Math.abs(Data.value(t, a.host(), a.cpu().storageOffset() + z * sa[0] + i * sa[1]
                                + q * sa[2]) * Data.value(t, b.host(), b.cpu().storageOffset() + z * sb[0]
                                + q * sb[1] + j * sb[2]));
                    }
                    bound = Math.abs(alpha) * bound + (beta == 0 ? 0 : Math.abs(beta * Data.value(t, outBefore, oi)));
                    double x = Data.value(t, e, oi);
                    double y = Data.value(t, g, oi);
                    if (!(Math.abs(x - y) <= tol * (Math.abs(x) + bound)) && !(x == y)) {
                        fail(what + ": element (" + z + ", " + i + ", " + j + ") is " + y + ", expected " + x
                                + " (tolerance " + tol + " of " + (Math.abs(x) + bound) + ")");
                    }
                }
            }
        }
        assertEquals(Data.value(t, outBefore, 0), Data.value(t, g, 0), 0.0, what + ": before the output");
    }

    @TestFactory
    List<DynamicTest> squareSizesInEveryTransposeCombination() {
        OpenClBackend ocl = Ocl.backend();
        List<DynamicTest> tests = new ArrayList<>();
        for (int s : SIZES) {
            for (L la : L.values()) {
                for (L lb : L.values()) {
                    tests.add(DynamicTest.dynamicTest("float32 " + s + " " + la + lb,
                            () -> check(ocl, FLOAT32, 1, s, s, s, la, lb, false, false, 1, 0, s * 31L + la.ordinal())));
                }
            }
            tests.add(DynamicTest.dynamicTest("float64 " + s + " NT",
                    () -> check(ocl, FLOAT64, 1, s, s, s, L.N, L.T, false, false, 1, 0, s)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> oddShapesEveryLayoutAndDtype() {
        OpenClBackend ocl = Ocl.backend();
        int[][] shapes = {{7, 33, 129}, {129, 1, 64}, {1, 257, 7}, {33, 64, 1}, {65, 63, 17}, {257, 7, 33}};
        List<DynamicTest> tests = new ArrayList<>();
        List<DType> types = new ArrayList<>(List.of(FLOAT32, INT64));
        if (ocl.supportsFloat64()) {
            types.add(FLOAT64);
        }
        for (DType t : types) {
            for (int[] sh : shapes) {
                for (L la : L.values()) {
                    for (L lb : L.values()) {
                        tests.add(DynamicTest.dynamicTest(t + " " + sh[0] + "x" + sh[1] + "x" + sh[2] + " " + la + lb,
                                () -> check(ocl, t, 1, sh[0], sh[1], sh[2], la, lb, false, false, 1, 0,
                                        sh[0] * 7L + sh[1] + la.ordinal() * 3 + lb.ordinal())));
                    }
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> batchesWithBroadcastOperands() {
        OpenClBackend ocl = Ocl.backend();
        List<DynamicTest> tests = new ArrayList<>();
        List<DType> types = new ArrayList<>(List.of(FLOAT32, INT64));
        if (ocl.supportsFloat64()) {
            types.add(FLOAT64);
        }
        for (DType t : types) {
            for (boolean ba : new boolean[] {false, true}) {
                for (boolean bb : new boolean[] {false, true}) {
                    tests.add(DynamicTest.dynamicTest(t + " batch 3, broadcast a " + ba + " b " + bb,
                            () -> check(ocl, t, 3, 33, 70, 65, L.T, L.N, ba, bb, 1, 0, 5)));
                }
            }
            tests.add(DynamicTest.dynamicTest(t + " batch 5 strided",
                    () -> check(ocl, t, 5, 9, 17, 130, L.S, L.T, false, true, 2, 1, 6)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> alphaAndBeta() {
        OpenClBackend ocl = Ocl.backend();
        double[][] ab = {{1, 0}, {2.5, 0}, {1, 1}, {-0.5, 2}, {0, 1.5}, {3, -1}};
        List<DynamicTest> tests = new ArrayList<>();
        for (double[] p : ab) {
            tests.add(DynamicTest.dynamicTest("float32 alpha " + p[0] + " beta " + p[1],
                    () -> check(ocl, FLOAT32, 2, 65, 31, 40, L.N, L.N, false, false, p[0], p[1], 11)));
            tests.add(DynamicTest.dynamicTest("int64 alpha " + p[0] + " beta " + p[1],
                    () -> check(ocl, INT64, 2, 12, 31, 40, L.T, L.S, false, false, Math.rint(p[0]),
                            Math.rint(p[1]), 12)));
            if (ocl.supportsFloat64()) {
                tests.add(DynamicTest.dynamicTest("float64 alpha " + p[0] + " beta " + p[1],
                        () -> check(ocl, FLOAT64, 2, 65, 31, 40, L.T, L.T, false, false, p[0], p[1], 13)));
            }
        }
        return tests;
    }

    @Test
    void halfTypesComputeInFloat32AndRoundOnce() {
        OpenClBackend ocl = Ocl.backend();
        for (DType t : new DType[] {FLOAT16, BFLOAT16}) {
            check(ocl, t, 2, 33, 20, 64, L.N, L.T, false, false, 1, 0, 21);
            check(ocl, t, 1, 7, 129, 9, L.T, L.N, false, false, 0.5, 1, 22);
        }
    }

    @Test
    void otherTileParametersGiveTheSameProducts() {
        OpenClBackend ocl = Ocl.backend();
        String old = System.getProperty("jtorch.opencl.gemm");
        try {
            for (String tiles : new String[] {"16,32,8,2,4,2,0", "32,16,4,4,2,1", "8,8,8,1,1,8,2", "32,32,16,4,4,4,1"}) {
                System.setProperty("jtorch.opencl.gemm", tiles);
                for (L la : L.values()) {
                    for (L lb : L.values()) {
                        check(ocl, FLOAT32, 2, 37, 45, 29, la, lb, false, true, 1.5, 0.5, 31);
                    }
                }
            }
            System.setProperty("jtorch.opencl.gemm", "16,16,16,3,4,1");
            assertThrows(IllegalArgumentException.class,
                    () -> check(ocl, FLOAT32, 1, 5, 5, 5, L.N, L.N, false, false, 1, 0, 1));
        } finally {
            if (old == null) {
                System.clearProperty("jtorch.opencl.gemm");
            } else {
                System.setProperty("jtorch.opencl.gemm", old);
            }
        }
    }

    @Test
    void emptyAndMismatchedShapes() {
        OpenClBackend ocl = Ocl.backend();
        Storage s = ocl.allocate(FLOAT32, 64);
        View a = new View(s, new int[] {1, 4, 0}, new int[] {0, 1, 1}, 0);
        View b = new View(s, new int[] {1, 0, 3}, new int[] {0, 3, 1}, 0);
        ocl.fill(View.contiguous(s, new int[] {64}), 2);
        View out = View.contiguous(s, new int[] {1, 4, 3});
        ocl.bmm(a, b, out, 1, 0.5);
        float[] h = (float[]) ocl.toHost(s, 0, 12);
        for (float v : h) {
            assertEquals(1f, v, "k = 0 leaves beta * out");
        }
        View bad = View.contiguous(s, new int[] {1, 5, 3});
        assertThrows(IllegalArgumentException.class, () -> ocl.bmm(a, b, bad, 1, 0));
    }

    @Test
    void timingOf512CubedSgemm() {
        OpenClBackend ocl = Ocl.backend();
        int s = 512;
        Random r = new Random(1);
        Object ha = Data.random(FLOAT32, s * s, r, false);
        Object hb = Data.random(FLOAT32, s * s, r, false);
        int[] shape = {1, s, s};
        Pair a = Data.pair(CPU, ocl, FLOAT32, ha);
        Pair b = Data.pair(CPU, ocl, FLOAT32, hb);
        Pair o = Data.pair(CPU, ocl, FLOAT32, new float[s * s]);
        View oc = View.contiguous(o.cpu(), shape);
        View od = View.contiguous(o.ocl(), shape);
        View ac = View.contiguous(a.cpu(), shape);
        View bc = View.contiguous(b.cpu(), shape);
        View ad = View.contiguous(a.ocl(), shape);
        View bd = View.contiguous(b.ocl(), shape);
        long best1 = Long.MAX_VALUE;
        long best2 = Long.MAX_VALUE;
        for (int rep = 0; rep < 6; rep++) {
            // the first runs compile the program and warm the JIT; the best of the rest is reported
            long t0 = System.nanoTime();
            ocl.bmm(ad, bd, od, 1, 0);
            ocl.synchronize();
            long t1 = System.nanoTime();
            CPU.bmm(ac, bc, oc, 1, 0);
            long t2 = System.nanoTime();
            if (rep >= 2) {
                best1 = Math.min(best1, t1 - t0);
                best2 = Math.min(best2, t2 - t1);
            }
        }
        double flops = 2.0 * s * s * s;
        double ms1 = best1 / 1e6;
        double ms2 = best2 / 1e6;
        System.out.printf("SGEMM 512x512x512, best of 4, tiles %s, on %s: %.1f ms (%.2f GFLOP/s); "
                        + "CPU backend: %.1f ms (%.2f GFLOP/s)%n",
                GemmSource.Tiles.configured(), ocl.describe(), ms1, flops / ms1 / 1e6, ms2, flops / ms2 / 1e6);
        assertTrue(ms1 > 0);
    }
}
