package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every normalization op (kind NORM) on the OpenCL device against the CPU backend, on random data of odd
 * {@code [outer, channels, inner]} shapes (channels longer than a work-group, a single element, inner 1, empty
 * sizes), operands at storage offsets, every optional operand present and absent, centred and uncentred
 * statistics, float32 and float64; then the argument checks.
 */
class NormParityTest {
    static final CpuBackend CPU = CpuBackend.INSTANCE;
    /** Elements before each operand in its storage. */
    static final int OFF = 3;
    static final int[][] SHAPES = {{3, 5, 7}, {1, 4, 13}, {6, 3, 1}, {2, 1, 300}, {1, 2, 1000}, {1, 1, 1},
        {40, 3, 2}, {1, 37, 5}, {4, 2, 0}, {0, 3, 5}, {2, 0, 3}};

    /** One operand on both backends: {@code n} values after {@link #OFF} others. */
    record Arg(Storage cpu, Storage ocl, int n) {
        View v(boolean onCpu) {
            return new View(onCpu ? cpu : ocl, new int[] {n}, new int[] {1}, OFF);
        }
    }

    /** Values: 0 random around 5 (the shift matters), 1 positive (variances), 2 random around 0. */
    static Arg arg(OpenClBackend ocl, DType t, int n, Random r, int kind) {
        double[] a = new double[OFF + n];
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (kind) {
                case 0 -> 5 + r.nextGaussian();
                case 1 -> 0.05 + 2 * r.nextDouble();
                default -> r.nextDouble() * 4 - 2;
            };
        }
        Object host = Data.fromDoubles(t, a);
        return new Arg(CPU.fromHost(host, t), ocl.fromHost(host, t), n);
    }

    static View v(Arg a, boolean cpu) {
        return a == null ? null : a.v(cpu);
    }

    /** Asserts that the outputs agree on both backends, to {@code tol} absolute and relative. */
    static void same(OpenClBackend ocl, Arg a, double tol, String what) {
        if (a == null) {
            return;
        }
        int n = a.cpu().size();
        Object e = CPU.toHost(a.cpu(), 0, n);
        Object g = ocl.toHost(a.ocl(), 0, n);
        DType t = a.cpu().dtype();
        for (int i = 0; i < n; i++) {
            double x = Data.value(t, e, i);
            double y = Data.value(t, g, i);
            boolean ok = Double.isNaN(x) ? Double.isNaN(y) : x == y || Math.abs(x - y) <= tol + tol * Math.abs(x);
            if (!ok) {
                fail(what + ": element " + i + " is " + y + ", expected " + x + " (tolerance " + tol + ")");
            }
        }
    }

    interface Call {
        void on(Backend b, boolean cpu);
    }

    static double tol(DType t) {
        return t == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    static final class Cases {
        final List<DynamicTest> tests = new ArrayList<>();

        void add(String name, OpenClBackend ocl, Call call, Arg... outputs) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                call.on(CPU, true);
                call.on(ocl, false);
                ocl.synchronize();
                for (int i = 0; i < outputs.length; i++) {
                    same(ocl, outputs[i], tol(outputs[i] == null ? DType.FLOAT64 : outputs[i].cpu().dtype()),
                            name + " output " + i);
                }
            }));
        }
    }

    @TestFactory
    List<DynamicTest> everyOpMatchesTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        Cases cs = new Cases();
        Random r = new Random(42);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] sh : SHAPES) {
                int outer = sh[0];
                int ch = sh[1];
                int inner = sh[2];
                int total = outer * ch * inner;
                int rows = outer * ch;
                String at = t + " [" + outer + ", " + ch + ", " + inner + "]";
                for (boolean center : new boolean[] {true, false}) {
                    NormShape s = new NormShape(outer, ch, inner, center, 1e-5);
                    Arg x = arg(ocl, t, total, r, 0);
                    Arg mean = arg(ocl, t, ch, r, 2);
                    Arg var = arg(ocl, t, ch, r, 2);
                    cs.add("NORM_MOMENTS " + at + " center " + center, ocl, (b, c) -> b.norm(Op.NORM_MOMENTS,
                            new View[] {v(x, c)}, new View[] {v(mean, c), v(var, c)}, s), mean, var);
                    Arg rmean = arg(ocl, t, rows, r, 2);
                    Arg rvar = arg(ocl, t, rows, r, 1);
                    Arg dy = arg(ocl, t, total, r, 2);
                    for (int opt = 0; opt < 4; opt++) {
                        Arg w = (opt & 1) != 0 ? arg(ocl, t, inner, r, 2) : null;
                        Arg dx = arg(ocl, t, total, r, 2);
                        Arg dw = (opt & 2) != 0 ? arg(ocl, t, inner, r, 2) : null;
                        Arg db = opt == 0 || opt == 3 ? arg(ocl, t, inner, r, 2) : null;
                        cs.add("ROW_NORM_BACKWARD " + at + " center " + center + " w " + (w != null) + " dw "
                                + (dw != null) + " db " + (db != null), ocl, (b, c) -> b.norm(Op.ROW_NORM_BACKWARD,
                                new View[] {v(x, c), v(dy, c), v(rmean, c), v(rvar, c), v(w, c)},
                                new View[] {v(dx, c), v(dw, c), v(db, c)}, s), dx, dw, db);
                    }
                }
                NormShape s = new NormShape(outer, ch, inner, true, 1e-3);
                Arg x = arg(ocl, t, total, r, 0);
                Arg dy = arg(ocl, t, total, r, 2);
                for (int opt = 0; opt < 4; opt++) {
                    boolean hw = (opt & 1) != 0;
                    boolean hb = (opt & 2) != 0;
                    String with = " w " + hw + " b " + hb;
                    Arg mean = arg(ocl, t, ch, r, 0);
                    Arg var = arg(ocl, t, ch, r, 1);
                    Arg w = hw ? arg(ocl, t, ch, r, 2) : null;
                    Arg bb = hb ? arg(ocl, t, ch, r, 2) : null;
                    Arg y = arg(ocl, t, total, r, 2);
                    cs.add("NORM_APPLY " + at + with, ocl, (b, c) -> b.norm(Op.NORM_APPLY,
                            new View[] {v(x, c), v(mean, c), v(var, c), v(w, c), v(bb, c)}, new View[] {v(y, c)}, s),
                            y);
                    Arg rmean = arg(ocl, t, outer * ch, r, 0);
                    Arg rvar = arg(ocl, t, outer * ch, r, 1);
                    Arg rw = hw ? arg(ocl, t, inner, r, 2) : null;
                    Arg rb = hb ? arg(ocl, t, inner, r, 2) : null;
                    Arg ry = arg(ocl, t, total, r, 2);
                    cs.add("ROW_NORM " + at + with, ocl, (b, c) -> b.norm(Op.ROW_NORM,
                            new View[] {v(x, c), v(rmean, c), v(rvar, c), v(rw, c), v(rb, c)},
                            new View[] {v(ry, c)}, s), ry);
                }
                for (boolean hb : new boolean[] {true, false}) {
                    Arg a = arg(ocl, t, ch, r, 2);
                    Arg bb = arg(ocl, t, ch, r, 2);
                    Arg y = arg(ocl, t, total, r, 2);
                    cs.add("NORM_SCALE_SHIFT " + at + " b " + hb, ocl, (b, c) -> b.norm(Op.NORM_SCALE_SHIFT,
                            hb ? new View[] {v(x, c), v(a, c), v(bb, c)} : new View[] {v(x, c), v(a, c)},
                            new View[] {v(y, c)}, s), y);
                    Arg sdy = arg(ocl, t, ch, r, 2);
                    Arg sdyx = arg(ocl, t, ch, r, 2);
                    cs.add("NORM_CHANNEL_SUMS " + at + " x " + hb, ocl, (b, c) -> b.norm(Op.NORM_CHANNEL_SUMS,
                            hb ? new View[] {v(dy, c), v(x, c)} : new View[] {v(dy, c)},
                            hb ? new View[] {v(sdy, c), v(sdyx, c)} : new View[] {v(sdy, c)}, s), sdy, sdyx);
                }
                Arg a = arg(ocl, t, ch, r, 2);
                Arg bb = arg(ocl, t, ch, r, 2);
                Arg c0 = arg(ocl, t, ch, r, 2);
                Arg y = arg(ocl, t, total, r, 2);
                cs.add("NORM_SCALE_SHIFT2 " + at, ocl, (b, c) -> b.norm(Op.NORM_SCALE_SHIFT2,
                        new View[] {v(dy, c), v(x, c), v(a, c), v(bb, c), v(c0, c)}, new View[] {v(y, c)}, s), y);
            }
        }
        return cs.tests;
    }

    @Test
    void scaleShiftInPlace() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(3);
        NormShape s = new NormShape(2, 3, 5, true);
        Arg x = arg(ocl, DType.FLOAT32, 30, r, 0);
        Arg a = arg(ocl, DType.FLOAT32, 3, r, 2);
        Arg b = arg(ocl, DType.FLOAT32, 3, r, 2);
        for (boolean c : new boolean[] {true, false}) {
            (c ? CPU : ocl).norm(Op.NORM_SCALE_SHIFT, new View[] {v(x, c), v(a, c), v(b, c)},
                    new View[] {v(x, c)}, s);
        }
        same(ocl, x, 1e-6, "y = x in place");
    }

    @Test
    void badArgumentsFailBeforeAnythingRuns() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(5);
        NormShape s = new NormShape(2, 3, 4, true);
        Arg x = arg(ocl, DType.FLOAT32, 24, r, 0);
        Arg m = arg(ocl, DType.FLOAT32, 3, r, 0);
        Arg vv = arg(ocl, DType.FLOAT32, 3, r, 0);
        Arg d = arg(ocl, DType.FLOAT64, 3, r, 0);
        Arg shortX = arg(ocl, DType.FLOAT32, 23, r, 0);
        String e1 = assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_MOMENTS,
                new View[] {x.v(false)}, new View[] {m.v(false), d.v(false)}, s)).getMessage();
        assertTrue(e1.contains("float64") && e1.contains("float32"), e1);
        String e2 = assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_MOMENTS,
                new View[] {shortX.v(false)}, new View[] {m.v(false), vv.v(false)}, s)).getMessage();
        assertTrue(e2.contains("23") && e2.contains("24"), e2);
        View strided = new View(x.ocl(), new int[] {12}, new int[] {2}, 0);
        View strided2 = new View(x.ocl(), new int[] {2, 12}, new int[] {1, 2}, 0);
        String e3 = assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_MOMENTS,
                new View[] {strided2}, new View[] {m.v(false), vv.v(false)}, s)).getMessage();
        assertTrue(e3.contains("contiguous"), e3);
        assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_MOMENTS,
                new View[] {strided}, new View[] {m.v(false), vv.v(false)}, s));
        assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.SUM, new View[] {x.v(false)},
                new View[] {m.v(false), vv.v(false)}, s));
        String e4 = assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_SCALE_SHIFT,
                new View[] {x.v(false)}, new View[] {x.v(false)}, s)).getMessage();
        assertTrue(e4.contains("required"), e4);
        Storage cpuX = x.cpu();
        assertThrows(IllegalArgumentException.class, () -> ocl.norm(Op.NORM_MOMENTS,
                new View[] {new View(cpuX, new int[] {24}, new int[] {1}, OFF)},
                new View[] {m.v(false), vv.v(false)}, s));
    }
}
