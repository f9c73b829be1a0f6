package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.kernels.ConvGeometry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The five convolution ops on the OpenCL device against the CPU backend, on random data of odd shapes: 1-d, 2-d
 * and 3-d, strides, padding, dilation, groups (GEMM-wide and depthwise), 1x1 kernels (the input as the columns),
 * a batch of one and of none; each of CONV (with and without bias), CONV_BACKWARD_INPUT and CONV_BACKWARD_WEIGHT
 * by the direct kernels, by the GEMM path and by the path the backend picks; IM2COL and COL2IM; operands at
 * storage offsets, outputs overwritten (the storage around them untouched); the GEMM path's batch processed in
 * chunks and large images in slices of output positions; float32 and float64; and the error cases.
 */
class ConvParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** A geometry and its name. */
    record Case(String name, ConvGeometry g) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, int n, int c, int oc, int groups, int[] in, int[] k, int[] s, int[] p, int[] d) {
        return new Case(name, ConvGeometry.of(n, c, oc, groups, in, k, s, p, d));
    }

    static int[] a(int... v) {
        return v;
    }

    static List<Case> cases() {
        return List.of(
                c("1-d stride 2 pad 1 dilation 2", 2, 3, 4, 1, a(11), a(3), a(2), a(1), a(2)),
                c("1-d plain", 3, 2, 3, 1, a(9), a(4), a(1), a(0), a(1)),
                c("2-d odd", 2, 3, 5, 1, a(7, 9), a(3, 2), a(2, 1), a(1, 0), a(1, 2)),
                c("2-d big padding", 1, 2, 3, 1, a(4, 5), a(3, 3), a(3, 2), a(2, 2), a(1, 1)),
                c("3-d", 2, 2, 3, 1, a(5, 6, 4), a(2, 3, 2), a(1, 2, 1), a(1, 1, 0), a(2, 1, 1)),
                c("2-d groups 2 (GEMM wide)", 2, 4, 32, 2, a(6, 5), a(3, 3), a(1, 2), a(1, 1), a(1, 1)),
                c("2-d groups 3 narrow", 2, 6, 9, 3, a(5, 7), a(3, 2), a(2, 1), a(1, 1), a(1, 2)),
                c("2-d depthwise", 3, 4, 4, 4, a(8, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1)),
                c("2-d depthwise multiplier 2", 2, 3, 6, 3, a(6, 6), a(3, 3), a(1, 1), a(1, 1), a(2, 1)),
                c("3-d groups 2", 2, 4, 6, 2, a(4, 5, 3), a(2, 2, 2), a(2, 1, 1), a(0, 1, 1), a(1, 2, 1)),
                c("2-d 1x1", 2, 5, 6, 1, a(4, 5), a(1, 1), a(1, 1), a(0, 0), a(1, 1)),
                c("2-d 1x1 groups 2 wide", 2, 32, 32, 2, a(3, 3), a(1, 1), a(1, 1), a(0, 0), a(1, 1)),
                c("2-d 1x1 stride 2", 2, 3, 4, 1, a(5, 5), a(1, 1), a(2, 2), a(0, 0), a(1, 1)),
                c("2-d batch of one", 1, 3, 4, 1, a(5, 6), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
                c("2-d batch of none", 0, 3, 4, 1, a(5, 6), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
                c("2-d kernel as large as the padded input", 2, 2, 3, 1, a(3, 4), a(5, 4), a(1, 1), a(1, 0),
                        a(1, 1)));
    }

    static double tol(DType t) {
        return t == DType.FLOAT32 ? 5e-5 : 1e-12;
    }

    /** A storage of {@code off + n + 2} random values (the operand at offset {@code off}) on both backends. */
    static Data.Pair data(OpenClBackend ocl, DType t, int off, long n, Random r) {
        double[] v = new double[(int) n + off + 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return Data.pair(CPU, ocl, t, Data.fromDoubles(t, v));
    }

    static View flat(Storage s, int off, long n) {
        return new View(s, new int[] {(int) n}, new int[] {1}, off);
    }

    /** Runs {@code op} on both backends (on the OpenCL one through {@code conv}) and compares the outputs. */
    static void check(OpenClBackend ocl, OpenClConv conv, Op op, ConvGeometry g, DType t, boolean withBias,
                      Boolean direct, long seed, String what) {
        Random r = new Random(seed);
        ConvGeometry gg = g;
        long cols = (long) g.batch() * g.inChannels() * g.kernelVolume() * g.outSpatial();
        long na = switch (op) {
            case CONV, CONV_BACKWARD_WEIGHT, IM2COL -> g.inputSize();
            case CONV_BACKWARD_INPUT -> g.outputSize();
            case COL2IM -> cols;
            default -> throw new IllegalArgumentException(op.toString());
        };
        long nb = switch (op) {
            case CONV, CONV_BACKWARD_INPUT -> g.weightSize();
            case CONV_BACKWARD_WEIGHT -> g.outputSize();
            default -> -1;
        };
        long no = switch (op) {
            case CONV -> g.outputSize();
            case CONV_BACKWARD_INPUT, COL2IM -> g.inputSize();
            case CONV_BACKWARD_WEIGHT -> g.weightSize();
            default -> cols;
        };
        Data.Pair pa = data(ocl, t, 3, na, r);
        Data.Pair pb = nb < 0 ? null : data(ocl, t, 1, nb, r);
        Data.Pair pc = withBias ? data(ocl, t, 2, g.outChannels(), r) : null;
        Data.Pair po = data(ocl, t, 5, no, r);
        CPU.conv(op, flat(pa.cpu(), 3, na), pb == null ? null : flat(pb.cpu(), 1, nb),
                pc == null ? null : flat(pc.cpu(), 2, g.outChannels()), flat(po.cpu(), 5, no), gg);
        conv.conv(op, flat(pa.ocl(), 3, na), pb == null ? null : flat(pb.ocl(), 1, nb),
                pc == null ? null : flat(pc.ocl(), 2, g.outChannels()), flat(po.ocl(), 5, no), gg, direct);
        assertClose(CPU, po.cpu(), ocl, po.ocl(), tol(t), what);
    }

    static void assertClose(Backend cpu, Storage expected, Backend ocl, Storage actual, double tol, String what) {
        DType t = expected.dtype();
        Object e = cpu.toHost(expected, 0, expected.size());
        Object a = ocl.toHost(actual, 0, actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double x = Data.value(t, e, i);
            double y = Data.value(t, a, i);
            if (!(x == y || Math.abs(x - y) <= tol + tol * Math.abs(x))) {
                fail(what + ": element " + i + " is " + y + ", expected " + x + " (tolerance " + tol + ")");
            }
        }
    }

    @TestFactory
    List<DynamicTest> everyOpOnEveryShape() {
        OpenClBackend ocl = Ocl.backend();
        OpenClConv conv = new OpenClConv(ocl, ocl.clDevice());
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1;
        for (Case k : cases()) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(k + " " + t, () -> {
                    for (Boolean direct : new Boolean[] {null, true, false}) {
                        String path = direct == null ? "chosen" : direct ? "direct" : "GEMM";
                        for (boolean bias : new boolean[] {false, true}) {
                            check(ocl, conv, Op.CONV, k.g(), t, bias, direct, s, k + " " + t + " CONV " + path
                                    + (bias ? " with bias" : ""));
                        }
                        check(ocl, conv, Op.CONV_BACKWARD_INPUT, k.g(), t, false, direct, s + 100,
                                k + " " + t + " CONV_BACKWARD_INPUT " + path);
                        check(ocl, conv, Op.CONV_BACKWARD_WEIGHT, k.g(), t, false, direct, s + 200,
                                k + " " + t + " CONV_BACKWARD_WEIGHT " + path);
                    }
                    check(ocl, conv, Op.IM2COL, k.g(), t, false, null, s + 300, k + " " + t + " IM2COL");
                    check(ocl, conv, Op.COL2IM, k.g(), t, false, null, s + 400, k + " " + t + " COL2IM");
                }));
            }
        }
        return tests;
    }

    @Test
    void theGemmPathRunsTheBatchInChunks() {
        OpenClBackend ocl = Ocl.backend();
        OpenClConv conv = new OpenClConv(ocl, ocl.clDevice());
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : List.of(c("2-d", 5, 3, 4, 1, a(6, 7), a(3, 3), a(1, 2), a(1, 1), a(1, 1)),
                    c("2-d groups 2", 5, 4, 32, 2, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
                    c("1x1", 5, 3, 4, 1, a(4, 4), a(1, 1), a(1, 1), a(0, 0), a(1, 1)))) {
                ConvGeometry g = k.g();
                // two images' columns (and weight products) per chunk: 5 images in 3 chunks
                long per = (long) g.inChannels() * g.kernelVolume() * g.outSpatial() + g.weightSize();
                conv.columnBytes = 2 * per * t.itemSize();
                check(ocl, conv, Op.CONV, g, t, true, false, 7, k + " " + t + " CONV in chunks");
                check(ocl, conv, Op.CONV_BACKWARD_INPUT, g, t, false, false, 8, k + " " + t + " dx in chunks");
                check(ocl, conv, Op.CONV_BACKWARD_WEIGHT, g, t, false, false, 9, k + " " + t + " dw in chunks");
            }
        }
    }

    @Test
    void theGemmPathSlicesTheOutputPositionsOfLargeImages() {
        OpenClBackend ocl = Ocl.backend();
        OpenClConv conv = new OpenClConv(ocl, ocl.clDevice());
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : List.of(c("2-d", 3, 3, 4, 1, a(6, 7), a(3, 3), a(1, 2), a(1, 1), a(1, 1)),
                    c("2-d groups 2", 2, 4, 32, 2, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
                    c("3-d", 2, 2, 3, 1, a(4, 5, 4), a(2, 3, 2), a(1, 1, 2), a(1, 0, 1), a(1, 2, 1)))) {
                ConvGeometry g = k.g();
                long rows = (long) g.inChannels() * g.kernelVolume();
                // one image's columns exceed the budget: slices of 1, 5 and 5 + (for the weight gradient) positions
                for (long budget : new long[] {rows, 5 * rows, 5 * rows + g.weightSize()}) {
                    conv.columnBytes = budget * t.itemSize();
                    String what = k + " " + t + " slices under " + budget + " elements";
                    check(ocl, conv, Op.CONV, g, t, true, false, 17, what + " CONV");
                    check(ocl, conv, Op.CONV_BACKWARD_INPUT, g, t, false, false, 18, what + " dx");
                    check(ocl, conv, Op.CONV_BACKWARD_WEIGHT, g, t, false, false, 19, what + " dw");
                }
            }
        }
    }

    @Test
    void theBackendPicksTheDirectKernelsForNarrowGroups() {
        assertTrue(OpenClConv.direct(ConvGeometry.of(1, 8, 8, 8, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1))));
        assertTrue(!OpenClConv.direct(ConvGeometry.of(1, 8, 8, 1, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1))));
        assertTrue(!OpenClConv.direct(ConvGeometry.of(1, 4, 32, 2, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1))));
    }

    @Test
    void badOperandsFailBeforeAnythingRuns() {
        OpenClBackend ocl = Ocl.backend();
        ConvGeometry g = ConvGeometry.of(2, 3, 4, 1, a(5, 5), a(3, 3), a(1, 1), a(1, 1), a(1, 1));
        Storage x = ocl.allocate(DType.FLOAT32, g.inputSize());
        Storage w = ocl.allocate(DType.FLOAT32, g.weightSize());
        Storage y = ocl.allocate(DType.FLOAT32, g.outputSize());
        Storage wd = ocl.allocate(DType.FLOAT64, g.weightSize());
        Storage yl = ocl.allocate(DType.INT64, g.outputSize());
        View vx = flat(x, 0, g.inputSize());
        View vw = flat(w, 0, g.weightSize());
        View vy = flat(y, 0, g.outputSize());
        String m = assertThrows(IllegalArgumentException.class,
                () -> ocl.conv(Op.MAX_POOL, vx, vw, null, vy, g)).getMessage();
        assertTrue(m.contains("not a convolution op"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ocl.conv(Op.CONV, vx, flat(wd, 0, g.weightSize()), null, vy, g)).getMessage();
        assertTrue(m.contains("is " + DType.FLOAT64 + ", expected " + DType.FLOAT32), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ocl.conv(Op.CONV, vx, vw, null, flat(yl, 0, g.outputSize()), g)).getMessage();
        assertTrue(m.contains("expected float32 or float64, got " + DType.INT64), m);
        m = assertThrows(IllegalArgumentException.class, () -> ocl.conv(Op.CONV, vx, null, null, vy, g)).getMessage();
        assertTrue(m.contains("needs the weight"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ocl.conv(Op.CONV, flat(x, 1, g.inputSize() - 1), vw, null, vy, g)).getMessage();
        assertTrue(m.contains("needs " + g.inputSize() + " elements from offset 1"), m);
        View strided = new View(x, new int[] {g.inputSize() / 2}, new int[] {2}, 0);
        m = assertThrows(IllegalArgumentException.class, () -> ocl.conv(Op.CONV, strided, vw, null, vy, g))
                .getMessage();
        assertTrue(m.contains("must be contiguous"), m);
        Storage cpuX = CPU.allocate(DType.FLOAT32, g.inputSize());
        assertThrows(IllegalArgumentException.class,
                () -> ocl.conv(Op.CONV, flat(cpuX, 0, g.inputSize()), vw, null, vy, g));
        assertEquals(0.0f, ((float[]) ocl.toHost(y, 0, 1))[0]);
    }
}
