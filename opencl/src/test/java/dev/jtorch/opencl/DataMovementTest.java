package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.Data.Layout;
import dev.jtorch.opencl.Data.Pair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.jtorch.opencl.Data.COLUMN;
import static dev.jtorch.opencl.Data.DENSE;
import static dev.jtorch.opencl.Data.HIGH_DENSE;
import static dev.jtorch.opencl.Data.HIGH_REVERSED;
import static dev.jtorch.opencl.Data.SCALAR;
import static dev.jtorch.opencl.Data.STRIDED;
import static dev.jtorch.opencl.Data.TRANSPOSED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Storages on the device: host round trips of every dtype (bit for bit, in pieces larger than the staging
 * buffer too), zero-filled allocation (also of a reused buffer), partial reads, and copy (every pair of dtypes,
 * strided, broadcast, ten-dim, overlapping within one storage) and fill against the CPU backend.
 */
class DataMovementTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    @Test
    void everyDtypeRoundTripsBitForBit() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(1);
        for (DType t : DType.values()) {
            for (int n : new int[] {0, 1, 7, 1000}) {
                Object host = Data.random(t, n, r, true);
                Storage s = ocl.fromHost(host, t);
                assertEquals(ocl.device(), s.device());
                assertEquals(t, s.dtype());
                assertEquals(n, s.size());
                assertEquals(n, java.lang.reflect.Array.getLength(ocl.toHost(s, 0, n)));
                assertBitsEqual(host, ocl.toHost(s, 0, n), t + " x " + n);
            }
        }
        // every float16 and bfloat16 bit pattern, NaN payloads included
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            assertArrayEquals(all, (short[]) ocl.toHost(ocl.fromHost(all, t), 0, all.length), t.toString());
        }
        float[] nan = {Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffa00000), -0f};
        assertBitsEqual(nan, ocl.toHost(ocl.fromHost(nan, DType.FLOAT32), 0, 3), "float NaN payloads");
    }

    @Test
    void transfersLargerThanTheStagingBufferArriveWhole() {
        OpenClBackend ocl = Ocl.backend();
        int n = 5_000_001; // 20 MB of float32: two pieces and a tail
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 0.5f - 7;
        }
        Storage s = ocl.fromHost(a, DType.FLOAT32);
        assertArrayEquals(a, (float[]) ocl.toHost(s, 0, n));
        float[] part = (float[]) ocl.toHost(s, 4_194_300, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(a[4_194_300 + i], part[i]);
        }
        boolean[] z = new boolean[17_000_003];
        for (int i = 0; i < z.length; i += 3) {
            z[i] = true;
        }
        assertArrayEquals(z, (boolean[]) ocl.toHost(ocl.fromHost(z, DType.BOOL), 0, z.length));
    }

    @Test
    void allocationIsZeroFilledEvenOfAReusedBuffer() throws InterruptedException {
        OpenClBackend ocl = Ocl.backend();
        for (DType t : DType.values()) {
            Storage s = ocl.allocate(t, 33);
            Object zeros = CPU.toHost(CPU.allocate(t, 33), 0, 33);
            assertBitsEqual(zeros, ocl.toHost(s, 0, 33), t.toString());
        }
        long[] ones = new long[300];
        java.util.Arrays.fill(ones, -1);
        ocl.fromHost(ones, DType.INT64); // dropped at once: its buffer goes back to the pool
        for (int i = 0; i < 50 && ocl.clDevice().pool().pooled(BufferPool.round(2400)) == 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        Storage again = ocl.allocate(DType.INT64, 300);
        assertArrayEquals(new long[300], (long[]) ocl.toHost(again, 0, 300));
        assertEquals(0, ocl.allocate(DType.FLOAT32, 0).size());
    }

    private static void assertBitsEqual(Object expected, Object actual, String what) {
        switch (expected) {
            case float[] e -> {
                float[] a = (float[]) actual;
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + " at " + i);
                }
            }
            case double[] e -> {
                double[] a = (double[]) actual;
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), what + " at " + i);
                }
            }
            case long[] e -> assertArrayEquals(e, (long[]) actual, what);
            case boolean[] e -> assertArrayEquals(e, (boolean[]) actual, what);
            case short[] e -> assertArrayEquals(e, (short[]) actual, what);
            default -> throw new IllegalArgumentException(String.valueOf(expected));
        }
    }

    private static final Layout[][] COPY_LAYOUTS = {{DENSE, DENSE}, {STRIDED, TRANSPOSED}, {TRANSPOSED, COLUMN},
        {DENSE, SCALAR}, {HIGH_DENSE, HIGH_REVERSED}};

    @TestFactory
    List<DynamicTest> copyConvertsEveryDtypePairAsTheCpuDoes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                tests.add(DynamicTest.dynamicTest(from + " -> " + to, () -> copy(from, to)));
            }
        }
        return tests;
    }

    private static void copy(DType from, DType to) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(from.ordinal() * 7L + to.ordinal());
        for (Layout[] l : COPY_LAYOUTS) {
            Pair src = Data.pair(CPU, ocl, from, Data.random(from, l[1].storage(), r, true));
            Pair dst = Data.pair(CPU, ocl, to, Data.random(to, l[0].storage(), r, false));
            CPU.copy(l[1].on(src.cpu()), l[0].on(dst.cpu()));
            ocl.copy(l[1].on(src.ocl()), l[0].on(dst.ocl()));
            Data.assertSame(CPU, dst.cpu(), ocl, dst.ocl(), "copy " + from + " " + l[1] + " -> " + to + " " + l[0]);
        }
    }

    @Test
    void overlappingCopiesWithinOneStorageReadBeforeTheyWrite() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(3);
        for (DType t : new DType[] {DType.FLOAT32, DType.INT64}) {
            Pair p = Data.pair(CPU, ocl, t, Data.random(t, 40, r, true));
            int[][] cases = {{0, 1}, {1, 0}, {5, 5}};
            for (int[] c : cases) {
                View s = new View(p.cpu(), new int[] {30}, new int[] {1}, c[0]);
                View d = new View(p.cpu(), new int[] {30}, new int[] {1}, c[1]);
                CPU.copy(s, d);
                ocl.copy(new View(p.ocl(), new int[] {30}, new int[] {1}, c[0]),
                        new View(p.ocl(), new int[] {30}, new int[] {1}, c[1]));
                Data.assertSame(CPU, p.cpu(), ocl, p.ocl(), t + " overlapping copy " + c[0] + " -> " + c[1]);
            }
            // strided: a square block transposed onto itself reads every element before writing any (the CPU's
            // row-by-row loop reads rows it has already written, so it is not the reference here)
            Object host = Data.random(t, 36, r, true);
            Storage q = ocl.fromHost(host, t);
            ocl.copy(new View(q, new int[] {6, 6}, new int[] {1, 6}, 0), View.contiguous(q, new int[] {6, 6}));
            Object got = ocl.toHost(q, 0, 36);
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    assertEquals(Data.value(t, host, j * 6 + i), Data.value(t, got, i * 6 + j), t + " transpose");
                }
            }
        }
    }

    @Test
    void fillWritesEveryDtypeAsTheCpuDoes() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(4);
        double[] values = {0, 1, -2.5, Double.NaN, 1e10, -0.0, Double.NEGATIVE_INFINITY, 3.4e38, 1e-8};
        for (DType t : DType.values()) {
            for (double v : values) {
                for (Layout l : new Layout[] {DENSE, STRIDED, TRANSPOSED, HIGH_REVERSED}) {
                    Pair p = Data.pair(CPU, ocl, t, Data.random(t, l.storage(), r, false));
                    CPU.fill(l.on(p.cpu()), v);
                    ocl.fill(l.on(p.ocl()), v);
                    Data.assertSame(CPU, p.cpu(), ocl, p.ocl(), "fill " + t + " " + l + " with " + v);
                }
                // a dense run inside a larger storage: only the run is written
                Pair p = Data.pair(CPU, ocl, t, Data.random(t, 20, r, false));
                CPU.fill(new View(p.cpu(), new int[] {13}, new int[] {1}, 3), v);
                ocl.fill(new View(p.ocl(), new int[] {13}, new int[] {1}, 3), v);
                Data.assertSame(CPU, p.cpu(), ocl, p.ocl(), "fill " + t + " elements 3..15 with " + v);
            }
        }
    }
}
