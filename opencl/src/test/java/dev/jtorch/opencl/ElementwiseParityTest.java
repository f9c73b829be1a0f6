package dev.jtorch.opencl;

import dev.jtorch.DType;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.jtorch.DType.BFLOAT16;
import static dev.jtorch.DType.BOOL;
import static dev.jtorch.DType.FLOAT16;
import static dev.jtorch.DType.FLOAT32;
import static dev.jtorch.DType.FLOAT64;
import static dev.jtorch.DType.INT64;
import static dev.jtorch.opencl.Data.COLUMN;
import static dev.jtorch.opencl.Data.DENSE;
import static dev.jtorch.opencl.Data.HIGH_DENSE;
import static dev.jtorch.opencl.Data.HIGH_REVERSED;
import static dev.jtorch.opencl.Data.ROW;
import static dev.jtorch.opencl.Data.SCALAR;
import static dev.jtorch.opencl.Data.STRIDED;
import static dev.jtorch.opencl.Data.TRANSPOSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every elementwise op (kinds UNARY, BINARY, TERNARY) on the OpenCL device against the CPU backend, on random
 * data with NaN, infinities and signed zeros among it, through dense, transposed, strided-with-offset and broadcast
 * (stride-0) views, ten-dim views (split into several launches) and in-place outputs: float32 to 1e-5, float64 to
 * 1e-12, int64 and bool exactly (where the CPU has no int64 form of an op, both refuse it with the same message),
 * plus float16, bfloat16 and mixed-dtype cases for the conversions around the expressions.
 */
class ElementwiseParityTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** One dtype combination and the ops run in it (null: every op of the kind). */
    private record Types(DType[] in, DType out, Set<Op> ops) {
        boolean runs(Op op) {
            return ops == null || ops.contains(op);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (DType t : in) {
                s.append(s.isEmpty() ? "" : ",").append(t);
            }
            return s + "->" + out;
        }
    }

    private static Types t(DType out, Set<Op> ops, DType... in) {
        return new Types(in, out, ops);
    }

    private static final Set<Op> COMPARISONS = EnumSet.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE,
            Op.LOGICAL_AND, Op.LOGICAL_OR, Op.LOGICAL_XOR);

    static final List<Types> UNARY = List.of(
            t(FLOAT32, null, FLOAT32), t(FLOAT64, null, FLOAT64), t(INT64, null, INT64),
            t(FLOAT16, EnumSet.of(Op.NEG, Op.EXP, Op.SQRT, Op.SIGMOID, Op.GELU, Op.CLAMP, Op.ROUND, Op.ISNAN),
                    FLOAT16),
            t(BFLOAT16, EnumSet.of(Op.NEG, Op.EXP, Op.TANH, Op.RELU), BFLOAT16),
            t(FLOAT32, EnumSet.of(Op.SQRT, Op.EXP, Op.NEG, Op.RECIPROCAL), INT64),
            t(BOOL, EnumSet.of(Op.ISNAN, Op.LOGICAL_NOT, Op.NEG), FLOAT32),
            t(BOOL, EnumSet.of(Op.LOGICAL_NOT, Op.NEG, Op.ABS), BOOL),
            t(FLOAT32, EnumSet.of(Op.EXP, Op.SIN), FLOAT64),
            t(FLOAT32, EnumSet.of(Op.NEG, Op.EXP), BOOL));

    static final List<Types> BINARY = List.of(
            t(FLOAT32, null, FLOAT32, FLOAT32), t(FLOAT64, null, FLOAT64, FLOAT64), t(INT64, null, INT64, INT64),
            t(BOOL, COMPARISONS, FLOAT32, FLOAT32), t(BOOL, COMPARISONS, INT64, INT64),
            t(BOOL, COMPARISONS, FLOAT64, FLOAT64),
            t(BOOL, EnumSet.of(Op.LT, Op.EQ), FLOAT64, INT64), t(BOOL, EnumSet.of(Op.EQ, Op.GE), INT64, FLOAT32),
            t(FLOAT16, EnumSet.of(Op.ADD, Op.MUL, Op.DIV, Op.MAXIMUM, Op.GELU_BACKWARD), FLOAT16, FLOAT16),
            t(BFLOAT16, EnumSet.of(Op.ADD, Op.SUB, Op.MUL), BFLOAT16, BFLOAT16),
            t(FLOAT32, EnumSet.of(Op.ADD, Op.MUL, Op.DIV, Op.POW), INT64, FLOAT32),
            t(FLOAT64, EnumSet.of(Op.ADD, Op.SUB), FLOAT32, FLOAT64),
            t(BOOL, EnumSet.of(Op.ADD, Op.MUL, Op.LOGICAL_XOR, Op.MAXIMUM), BOOL, BOOL));

    static final List<Types> WHERE = List.of(
            t(FLOAT32, null, BOOL, FLOAT32, FLOAT32), t(FLOAT64, null, BOOL, FLOAT64, FLOAT64),
            t(INT64, null, BOOL, INT64, INT64), t(FLOAT32, null, FLOAT32, FLOAT32, FLOAT32),
            t(FLOAT16, null, BOOL, FLOAT16, FLOAT16), t(FLOAT32, null, BOOL, INT64, FLOAT32),
            t(BOOL, null, BOOL, BOOL, BOOL));

    /** (out, inputs...) layouts each op runs through. */
    private static final Layout[][] UNARY_LAYOUTS = {{DENSE, DENSE}, {DENSE, TRANSPOSED}, {STRIDED, STRIDED},
        {TRANSPOSED, ROW}, {DENSE, SCALAR}, {HIGH_DENSE, HIGH_REVERSED}};
    private static final Layout[][] BINARY_LAYOUTS = {{DENSE, DENSE, DENSE}, {DENSE, TRANSPOSED, ROW},
        {STRIDED, STRIDED, SCALAR}, {TRANSPOSED, COLUMN, DENSE}, {HIGH_DENSE, HIGH_REVERSED, HIGH_DENSE}};
    private static final Layout[][] WHERE_LAYOUTS = {{DENSE, DENSE, DENSE, DENSE},
        {STRIDED, ROW, TRANSPOSED, SCALAR}, {TRANSPOSED, COLUMN, ROW, DENSE},
        {HIGH_DENSE, HIGH_REVERSED, HIGH_DENSE, HIGH_REVERSED}};

    private static double[][] unaryParams(Op op) {
        return switch (op) {
            case POW_SCALAR -> new double[][] {{2, 0}, {0.5, 0}, {3, 0}, {-1.5, 0}};
            case CLAMP -> new double[][] {{-1, 1}, {Double.NaN, 0.5}, {-0.5, Double.NaN}};
            case SOFTPLUS -> new double[][] {{1, 20}, {2, 3}};
            case LEAKY_RELU -> new double[][] {{0.01, 0}, {-0.3, 0}};
            default -> new double[][] {{0, 0}};
        };
    }

    /** Runs a computation on both backends; their outputs must agree, or both must refuse it alike. */
    private interface Run {
        void on(boolean cpu);
    }

    private static void compare(Run run, OpenClBackend ocl, Pair out, String what) {
        RuntimeException ce = null;
        RuntimeException oe = null;
        try {
            run.on(true);
        } catch (RuntimeException e) {
            ce = e;
        }
        try {
            run.on(false);
        } catch (RuntimeException e) {
            oe = e;
        }
        if (ce != null || oe != null) {
            if (ce == null || oe == null) {
                RuntimeException e = ce != null ? ce : oe;
                fail(what + ": only the " + (ce != null ? "CPU" : "OpenCL") + " backend threw " + e, e);
            }
            assertEquals(ce.getClass(), oe.getClass(), what);
            assertEquals(ce.getMessage(), oe.getMessage(), what);
            return;
        }
        Data.assertSame(CPU, out.cpu(), ocl, out.ocl(), what);
    }

    private static View v(Layout l, Pair p, boolean cpu) {
        return l.on(cpu ? p.cpu() : p.ocl());
    }

    @TestFactory
    List<DynamicTest> unaryOps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Types ty : UNARY) {
            for (Op op : Op.values()) {
                if (op.kind() == Op.Kind.UNARY && ty.runs(op)) {
                    tests.add(DynamicTest.dynamicTest(op + " " + ty, () -> unary(op, ty)));
                }
            }
        }
        return tests;
    }

    private static void unary(Op op, Types ty) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(op.ordinal() * 31L + ty.hashCode());
        for (Layout[] l : UNARY_LAYOUTS) {
            for (double[] p : unaryParams(op)) {
                Pair x = Data.pair(CPU, ocl, ty.in()[0], Data.random(ty.in()[0], l[1].storage(), r, true));
                Pair out = Data.pair(CPU, ocl, ty.out(), Data.random(ty.out(), l[0].storage(), r, false));
                String what = op + " " + ty + " out " + l[0] + ", x " + l[1] + ", p " + p[0] + ", " + p[1];
                compare(cpu -> (cpu ? (dev.jtorch.backend.Backend) CPU : ocl).unary(op, v(l[1], x, cpu),
                        v(l[0], out, cpu), p[0], p[1]), ocl, out, what);
            }
        }
    }

    @TestFactory
    List<DynamicTest> binaryOps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Types ty : BINARY) {
            for (Op op : Op.values()) {
                if (op.kind() == Op.Kind.BINARY && ty.runs(op)) {
                    tests.add(DynamicTest.dynamicTest(op + " " + ty, () -> binary(op, ty)));
                }
            }
        }
        return tests;
    }

    private static Object second(DType t, int n, Random r, Op op) {
        Object b = Data.random(t, n, r, true);
        if (b instanceof long[] a) {
            // rotate the specials against the first operand's; DIV by zero is its own test
            long[] c = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                c[i] = a[(i + 3) % a.length];
                if (op == Op.DIV && c[i] == 0) {
                    c[i] = 3;
                }
            }
            return c;
        }
        return b;
    }

    private static void binary(Op op, Types ty) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(op.ordinal() * 37L + ty.hashCode());
        double[] alphas = op == Op.ADD || op == Op.SUB ? new double[] {1, -2.5} : new double[] {1};
        boolean boolDiv = op == Op.DIV && ty.in()[1] == BOOL;
        for (Layout[] l : BINARY_LAYOUTS) {
            for (double alpha : alphas) {
                Pair a = Data.pair(CPU, ocl, ty.in()[0], Data.random(ty.in()[0], l[1].storage(), r, true));
                Pair b = Data.pair(CPU, ocl, ty.in()[1], boolDiv ? Data.random(BOOL, l[2].storage(), r, false)
                        : second(ty.in()[1], l[2].storage(), r, op));
                Pair out = Data.pair(CPU, ocl, ty.out(), Data.random(ty.out(), l[0].storage(), r, false));
                String what = op + " " + ty + " out " + l[0] + ", a " + l[1] + ", b " + l[2] + ", alpha " + alpha;
                compare(cpu -> (cpu ? (dev.jtorch.backend.Backend) CPU : ocl).binary(op, v(l[1], a, cpu),
                        v(l[2], b, cpu), v(l[0], out, cpu), alpha), ocl, out, what);
            }
        }
        if (ty.in()[0] == ty.out()) {
            // in place: the output is the first input's own view (a.add_(b))
            Pair a = Data.pair(CPU, ocl, ty.out(), Data.random(ty.out(), DENSE.storage(), r, true));
            Pair b = Data.pair(CPU, ocl, ty.in()[1], second(ty.in()[1], ROW.storage(), r, op));
            compare(cpu -> (cpu ? (dev.jtorch.backend.Backend) CPU : ocl).binary(op, v(DENSE, a, cpu),
                    v(ROW, b, cpu), v(DENSE, a, cpu), 1), ocl, a, op + " " + ty + " in place");
        }
    }

    @TestFactory
    List<DynamicTest> where() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Types ty : WHERE) {
            tests.add(DynamicTest.dynamicTest("WHERE " + ty, () -> where(ty)));
        }
        return tests;
    }

    private static void where(Types ty) {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(ty.hashCode());
        for (Layout[] l : WHERE_LAYOUTS) {
            Pair c = Data.pair(CPU, ocl, ty.in()[0], Data.random(ty.in()[0], l[1].storage(), r, true));
            Pair a = Data.pair(CPU, ocl, ty.in()[1], Data.random(ty.in()[1], l[2].storage(), r, true));
            Pair b = Data.pair(CPU, ocl, ty.in()[2], Data.random(ty.in()[2], l[3].storage(), r, false));
            Pair out = Data.pair(CPU, ocl, ty.out(), Data.random(ty.out(), l[0].storage(), r, false));
            String what = "WHERE " + ty + " out " + l[0] + ", cond " + l[1] + ", a " + l[2] + ", b " + l[3];
            compare(cpu -> (cpu ? (dev.jtorch.backend.Backend) CPU : ocl).where(v(l[1], c, cpu), v(l[2], a, cpu),
                    v(l[3], b, cpu), v(l[0], out, cpu)), ocl, out, what);
        }
    }

    @Test
    void everyElementwiseOpHasAnExpressionAndRunsInTheMainDtypes() {
        int unary = 0;
        int binary = 0;
        int ternary = 0;
        for (Op op : Op.values()) {
            switch (op.kind()) {
                case UNARY -> {
                    assertNotNull(OpTable.floating(op), op + " has no expression");
                    unary++;
                }
                case BINARY -> {
                    assertNotNull(OpTable.floating(op), op + " has no expression");
                    binary++;
                }
                case TERNARY -> {
                    assertEquals(Op.WHERE, op);
                    ternary++;
                }
                default -> {
                }
            }
        }
        assertEquals(28, unary, "unary ops in Op");
        assertEquals(20, binary, "binary ops in Op");
        assertEquals(1, ternary, "ternary ops in Op");
        for (DType t : new DType[] {FLOAT32, FLOAT64, INT64}) {
            assertTrue(UNARY.stream().anyMatch(ty -> ty.in()[0] == t && ty.out() == t && ty.ops() == null));
            assertTrue(BINARY.stream().anyMatch(ty -> ty.in()[0] == t && ty.out() == t && ty.ops() == null));
            assertTrue(WHERE.stream().anyMatch(ty -> ty.in()[1] == t && ty.out() == t));
        }
    }

    @Test
    void theInt64FormsAreTheCpus() {
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.UNARY && op.kind() != Op.Kind.BINARY) {
                continue;
            }
            Storage x = CPU.fromHost(new long[] {3, 4}, INT64);
            Storage out = CPU.allocate(INT64, 2);
            View vx = View.contiguous(x, new int[] {2});
            View vo = View.contiguous(out, new int[] {2});
            boolean cpuHasIt;
            try {
                if (op.kind() == Op.Kind.UNARY) {
                    CPU.unary(op, vx, vo, 1, 2);
                } else {
                    CPU.binary(op, vx, vx, vo, 1);
                }
                cpuHasIt = true;
            } catch (IllegalArgumentException e) {
                cpuHasIt = false;
            }
            assertEquals(cpuHasIt, OpTable.exact(op) != null, op.toString());
        }
    }

    @Test
    void int64DivisionByZeroThrowsAsOnTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        Pair a = Data.pair(CPU, ocl, INT64, new long[] {7, -7, 5});
        Pair b = Data.pair(CPU, ocl, INT64, new long[] {2, 0, 5});
        Pair out = Data.pair(CPU, ocl, INT64, new long[3]);
        int[] s = {3};
        var e = assertThrows(ArithmeticException.class, () -> ocl.binary(Op.DIV, View.contiguous(a.ocl(), s),
                View.contiguous(b.ocl(), s), View.contiguous(out.ocl(), s), 1));
        assertEquals("ZeroDivisionError: integer division by zero", e.getMessage());
        // the flag is cleared: the next division goes through, flooring as Math.floorDiv
        Pair c = Data.pair(CPU, ocl, INT64, new long[] {2, -2, 5});
        ocl.binary(Op.DIV, View.contiguous(a.ocl(), s), View.contiguous(c.ocl(), s), View.contiguous(out.ocl(), s), 1);
        assertEquals(List.of(3L, 3L, 1L), List.of(((long[]) ocl.toHost(out.ocl(), 0, 3))[0],
                ((long[]) ocl.toHost(out.ocl(), 0, 3))[1], ((long[]) ocl.toHost(out.ocl(), 0, 3))[2]));
    }
}
