package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.Data.Layout;
import dev.jtorch.opencl.Data.Pair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.jtorch.DType.BFLOAT16;
import static dev.jtorch.DType.BOOL;
import static dev.jtorch.DType.FLOAT16;
import static dev.jtorch.DType.FLOAT32;
import static dev.jtorch.DType.FLOAT64;
import static dev.jtorch.DType.INT64;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sort ({@link Op#SORT}) and the scans ({@link Op#CUMSUM}, {@link Op#CUMPROD}) on the OpenCL device against
 * the CPU backend: every dim of a 3-d input in dense, reversed-stride, strided-with-offset and broadcast layouts,
 * outputs dense or strided; random data, data with NaN, infinities and signed zeros first, data with many ties
 * (the stable order); float32, float64, int64 (with its extremes) and bool, float16 and bfloat16 for the sort;
 * ascending and descending, forwards and from the end; lines of 1100 to 2100 elements, ten dims (more than one
 * launch takes), 0-dim and empty views. Sorted values and indices must be identical bit for bit (the values are
 * the input's elements); sums and products within the dtype's tolerance (int64 exactly), float32 sums
 * accumulated in double as on the CPU where the device has cl_khr_fp64.
 */
class SortParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final int[] SHAPE = {3, 5, 7};

    /** Asserts that two storages hold the same bits (NaN payloads, signed zeros, half bits). */
    static void assertBits(Backend ocl, Storage expected, Storage actual, String what) {
        Object e = CPU.toHost(expected, 0, expected.size());
        Object a = ocl.toHost(actual, 0, actual.size());
        boolean same = switch (e) {
            case float[] x -> Arrays.equals(bits(x), bits((float[]) a));
            case double[] x -> Arrays.equals(bits(x), bits((double[]) a));
            case long[] x -> Arrays.equals(x, (long[]) a);
            case boolean[] x -> Arrays.equals(x, (boolean[]) a);
            case short[] x -> Arrays.equals(x, (short[]) a);
            default -> throw new IllegalStateException(e.getClass().toString());
        };
        if (!same) {
            fail(what + ": the device's " + toString(a) + "\nthe CPU's    " + toString(e));
        }
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    private static long[] bits(double[] x) {
        long[] b = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Double.doubleToRawLongBits(x[i]);
        }
        return b;
    }

    private static String toString(Object a) {
        return switch (a) {
            case float[] x -> Arrays.toString(x);
            case double[] x -> Arrays.toString(x);
            case long[] x -> Arrays.toString(x);
            case boolean[] x -> Arrays.toString(x);
            case short[] x -> Arrays.toString(x);
            default -> String.valueOf(a);
        };
    }

    /** Input data: 0 random, 1 specials first (NaN, infinities, signed zeros, int64 extremes), 2 many ties. */
    private static Object data(DType t, int n, Random r, int kind) {
        return ReduceParityTest.data(t, n, r, kind);
    }

    /** Layouts of the outputs: dense with an offset, and strided with all strides reversed. */
    private static List<Layout> outputs(int[] shape) {
        List<Layout> all = ReduceParityTest.layouts(shape, false);
        return List.of(all.get(0), all.get(1));
    }

    private static void sortOnce(OpenClBackend ocl, DType t, Layout lx, Layout lo, int dim, boolean desc, int kind,
                                 Random r) {
        Pair x = Data.pair(CPU, ocl, t, data(t, Math.max(1, lx.storage()), r, kind));
        Pair values = Data.pair(CPU, ocl, t, data(t, Math.max(1, lo.storage()), r, 0));
        Pair indices = Data.pair(CPU, ocl, INT64, new long[Math.max(1, lo.storage())]);
        for (boolean cpu : new boolean[] {true, false}) {
            Backend b = cpu ? CPU : ocl;
            b.sort(ReduceParityTest.v(lx, x, cpu), dim, desc, ReduceParityTest.v(lo, values, cpu),
                    ReduceParityTest.v(lo, indices, cpu));
        }
        String what = "sort " + t + " x " + lx + " into " + lo + ", dim " + dim + (desc ? " descending" : "")
                + ", data " + kind;
        assertBits(ocl, values.cpu(), values.ocl(), what + ": values");
        assertBits(ocl, indices.cpu(), indices.ocl(), what + ": indices");
    }

    private static void scanOnce(OpenClBackend ocl, Op op, DType t, Layout lx, Layout lo, int dim, boolean reverse,
                                 int kind, Random r) {
        Pair x = Data.pair(CPU, ocl, t, data(t, Math.max(1, lx.storage()), r, kind));
        DType ot = t == BOOL ? INT64 : t;
        Pair out = Data.pair(CPU, ocl, ot, data(ot, Math.max(1, lo.storage()), r, 0));
        ReduceParityTest.compare((b, cpu) -> b.scan(op, ReduceParityTest.v(lx, x, cpu), dim, reverse,
                ReduceParityTest.v(lo, out, cpu)), ocl, out, op + " " + t + " x " + lx + " into " + lo + ", dim " + dim
                + (reverse ? " reversed" : "") + ", data " + kind);
    }

    @TestFactory
    List<DynamicTest> sorts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType t : new DType[] {FLOAT32, FLOAT64, INT64, BOOL, FLOAT16, BFLOAT16}) {
            tests.add(DynamicTest.dynamicTest("sort " + t, () -> {
                OpenClBackend ocl = Ocl.backend();
                Random r = new Random(t.ordinal() + 13);
                for (Layout lx : ReduceParityTest.layouts(SHAPE, true)) {
                    for (Layout lo : outputs(SHAPE)) {
                        for (int dim = 0; dim < 3; dim++) {
                            for (int kind = 0; kind < 3; kind++) {
                                for (boolean desc : new boolean[] {false, true}) {
                                    sortOnce(ocl, t, lx, lo, dim, desc, kind, r);
                                }
                            }
                        }
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> scans() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : new Op[] {Op.CUMSUM, Op.CUMPROD}) {
            for (DType t : new DType[] {FLOAT32, FLOAT64, INT64, BOOL, FLOAT16}) {
                tests.add(DynamicTest.dynamicTest(op + " " + t, () -> {
                    OpenClBackend ocl = Ocl.backend();
                    Random r = new Random(op.ordinal() * 31 + t.ordinal());
                    for (Layout lx : ReduceParityTest.layouts(SHAPE, true)) {
                        for (Layout lo : outputs(SHAPE)) {
                            for (int dim = 0; dim < 3; dim++) {
                                for (int kind = 0; kind < 3; kind++) {
                                    for (boolean reverse : new boolean[] {false, true}) {
                                        scanOnce(ocl, op, t, lx, lo, dim, reverse, kind, r);
                                    }
                                }
                            }
                        }
                    }
                }));
            }
        }
        return tests;
    }

    /** Long lines (many merge passes, long running sums), ten dims, 0-dim and empty views. */
    @Test
    void edges() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(99);
        Layout wide = ReduceParityTest.layout("2x2100", new int[] {2, 2100}, new int[] {2100, 1}, 0);
        Layout tall = ReduceParityTest.layouts(new int[] {1100, 3}, false).get(1);
        Layout scalar = ReduceParityTest.layout("0-d", new int[0], new int[0], 2);
        for (DType t : new DType[] {FLOAT32, FLOAT64, INT64}) {
            for (int kind = 0; kind < 3; kind++) {
                sortOnce(ocl, t, wide, wide, 1, kind == 1, kind, r);
                sortOnce(ocl, t, tall, outputs(tall.shape()).get(0), 0, kind == 2, kind, r);
                scanOnce(ocl, Op.CUMSUM, t, wide, wide, 1, kind == 1, kind, r);
                scanOnce(ocl, Op.CUMSUM, t, tall, outputs(tall.shape()).get(0), 0, false, kind, r);
            }
            sortOnce(ocl, t, Data.HIGH_REVERSED, Data.HIGH_DENSE, 9, true, 2, r);
            sortOnce(ocl, t, Data.HIGH_DENSE, Data.HIGH_REVERSED, 0, false, 1, r);
            scanOnce(ocl, Op.CUMPROD, t, Data.HIGH_REVERSED, Data.HIGH_DENSE, 4, true, 0, r);
            scanOnce(ocl, Op.CUMSUM, t, Data.HIGH_DENSE, Data.HIGH_REVERSED, 9, false, 1, r);
            sortOnce(ocl, t, scalar, scalar, 0, false, 1, r);
            scanOnce(ocl, Op.CUMPROD, t, scalar, scalar, 0, false, 1, r);
            Layout empty = ReduceParityTest.layout("3x0x4", new int[] {3, 0, 4}, new int[] {4, 4, 1}, 0);
            for (int dim = 0; dim < 3; dim++) {
                sortOnce(ocl, t, empty, empty, dim, false, 0, r);
                scanOnce(ocl, Op.CUMSUM, t, empty, empty, dim, false, 0, r);
            }
        }
    }

    /** In place: the running sum written over its input, as the CPU backend allows. */
    @Test
    void scanInPlace() {
        OpenClBackend ocl = Ocl.backend();
        Layout l = ReduceParityTest.layouts(SHAPE, false).get(2);
        Pair x = Data.pair(CPU, ocl, FLOAT64, data(FLOAT64, l.storage(), new Random(5), 0));
        ReduceParityTest.compare((b, cpu) -> b.scan(Op.CUMSUM, ReduceParityTest.v(l, x, cpu), 1, false,
                ReduceParityTest.v(l, x, cpu)), ocl, x, "cumsum in place");
    }

    @Test
    void badArgumentsAreRefused() {
        OpenClBackend ocl = Ocl.backend();
        Storage s = ocl.allocate(FLOAT32, 6);
        Storage l = ocl.allocate(INT64, 6);
        View x = View.contiguous(s, new int[] {2, 3});
        View idx = View.contiguous(l, new int[] {2, 3});
        assertThrows(IllegalArgumentException.class, () -> ocl.sort(x, 2, false, x, idx));
        assertThrows(IllegalArgumentException.class, () -> ocl.sort(x, 1, false, x, x));
        assertThrows(IllegalArgumentException.class, () -> ocl.sort(x, 1, false, View.contiguous(s, new int[] {3, 2}),
                idx));
        assertThrows(IllegalArgumentException.class, () -> ocl.scan(Op.SUM, x, 1, false, x));
        View past = new View(s, new int[] {2, 3}, new int[] {3, 1}, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> ocl.scan(Op.CUMSUM, past, 1, false, x));
    }
}
