package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.NormParityTest.Arg;
import dev.jtorch.opencl.NormParityTest.Cases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.jtorch.opencl.NormParityTest.OFF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OpenClBackend#embeddingBag} and {@link OpenClBackend#ctc} against the CPU backend. Embedding bags: every
 * mode, with and without per-sample weights and a padding index, empty bags (first, middle, last, all), rows
 * of 0, 1, 5 and 33 columns, ties among the maxima, float32 and float64. CTC: samples of different input and
 * target lengths (0 included), repeated labels, impossible alignments (infinite loss, NaN gradient), the blank
 * at 0, inside and last, a blank among the labels, concatenated and padded target layouts, a zero gradient
 * scale, no time steps; forward (nll and the alpha table) and backward (the gradient), float32 and float64.
 */
class BagCtcParityTest {
    static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** Doubles (rounded to t) after {@link NormParityTest#OFF} others. */
    static Arg values(OpenClBackend ocl, DType t, double[] v, Random r) {
        double[] a = new double[OFF + v.length];
        for (int i = 0; i < OFF; i++) {
            a[i] = r.nextDouble();
        }
        System.arraycopy(v, 0, a, OFF, v.length);
        Object host = Data.fromDoubles(t, a);
        return new Arg(CPU.fromHost(host, t), ocl.fromHost(host, t), v.length);
    }

    static Arg longs(OpenClBackend ocl, long[] v) {
        long[] a = new long[OFF + v.length];
        Arrays.fill(a, 0, OFF, -5);
        System.arraycopy(v, 0, a, OFF, v.length);
        return new Arg(CPU.fromHost(a, DType.INT64), ocl.fromHost(a, DType.INT64), v.length);
    }

    static double[] random(int n, Random r, boolean ties) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = ties ? r.nextInt(3) - 1 : r.nextDouble() * 4 - 2;
        }
        return a;
    }

    static View v2(Arg a, boolean cpu, int d0, int d1) {
        return a == null ? null : new View(cpu ? a.cpu() : a.ocl(), new int[] {d0, d1}, new int[] {d1, 1}, OFF);
    }

    static View v1(Arg a, boolean cpu) {
        return a == null ? null : a.v(cpu);
    }

    static final long[][] OFFSETS = {{0, 0, 3, 3, 8, 14, 14}, {0, 14}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14}, {0, 0, 0}};

    @TestFactory
    List<DynamicTest> embeddingBagsMatchTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        Cases cs = new Cases();
        Random r = new Random(7);
        int rows = 9;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int dim : new int[] {0, 1, 5, 33}) {
                for (long[] offs : OFFSETS) {
                    int batch = offs.length - 1;
                    int len = (int) offs[batch];
                    long[] idx = new long[len];
                    for (int i = 0; i < len; i++) {
                        idx[i] = r.nextInt(rows);
                    }
                    if (len > 4) {
                        idx[3] = idx[4]; // a repeated row
                    }
                    for (int mode = 0; mode < 3; mode++) {
                        for (long pad : new long[] {-1, 2}) {
                            for (boolean weighted : mode == 0 ? new boolean[] {false, true} : new boolean[] {false}) {
                                boolean ties = mode == 2 && pad == 2;
                                Arg w = values(ocl, t, random(rows * dim, r, ties), r);
                                Arg in = longs(ocl, idx);
                                Arg off = longs(ocl, offs);
                                Arg psw = weighted ? values(ocl, t, random(len, r, false), r) : null;
                                Arg out = values(ocl, t, random(batch * dim, r, false), r);
                                Arg bagOf = longs(ocl, new long[len]);
                                Arg bagSize = longs(ocl, new long[batch]);
                                // the CPU fills maxArg with -1 outside max mode: given once there too
                                Arg maxArg = mode == 2 || weighted ? longs(ocl, new long[batch * dim]) : null;
                                int m = mode;
                                cs.add("embedding_bag " + t + " dim " + dim + " offsets " + Arrays.toString(offs)
                                        + " mode " + mode + " pad " + pad + " weighted " + weighted, ocl,
                                        (b, c) -> b.embeddingBag(v2(w, c, rows, dim), v1(in, c), v1(off, c),
                                                v1(psw, c), m, pad, v2(out, c, batch, dim), v1(bagOf, c),
                                                v1(bagSize, c), v2(maxArg, c, batch, dim)),
                                        out, bagOf, bagSize, maxArg);
                            }
                        }
                    }
                }
            }
        }
        return cs.tests;
    }

    /** Log-softmax of random logits over the last of [T, N, C], flattened. */
    static double[] logProbs(int nt, int nb, int nc, Random r) {
        double[] x = new double[nt * nb * nc];
        for (int row = 0; row < nt * nb; row++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nc; k++) {
                x[row * nc + k] = r.nextGaussian() * 2;
                m = Math.max(m, x[row * nc + k]);
            }
            double s = 0;
            for (int k = 0; k < nc; k++) {
                s += Math.exp(x[row * nc + k] - m);
            }
            double lse = m + Math.log(s);
            for (int k = 0; k < nc; k++) {
                x[row * nc + k] -= lse;
            }
        }
        return x;
    }

    /** One CTC case: lengths, label lists per sample, the blank, padded layout or not. */
    record Ctc(String name, int nt, int nc, int blank, long[] il, long[][] labels, boolean padded) {
    }

    static final Ctc[] CTC = {
        new Ctc("mixed", 9, 6, 0, new long[] {9, 4, 7, 0, 4, 0, 9},
                new long[][] {{1, 1, 3}, {}, {2, 2, 2, 2}, {4, 5}, {1, 2, 3, 4, 5}, {}, {5, 4, 5, 4}}, false),
        new Ctc("blank inside", 8, 5, 2, new long[] {8, 6, 3, 8},
                new long[][] {{0, 1, 3, 4}, {4, 4}, {1}, {0, 0, 1, 1}}, true),
        new Ctc("blank last", 12, 4, 3, new long[] {12, 11, 5},
                new long[][] {{0, 1, 0, 2, 2, 1}, {2, 2, 2, 2, 2, 2}, {1, 0}}, false),
        new Ctc("blank among the labels", 7, 4, 1, new long[] {7, 7}, new long[][] {{0, 1, 2}, {1, 1, 3}}, true),
        new Ctc("long target", 40, 7, 0, new long[] {40, 33, 25},
                new long[][] {seq(15, 6), seq(16, 3), seq(12, 6)}, false),
        new Ctc("no steps", 0, 3, 0, new long[] {0, 0}, new long[][] {{}, {1}}, false),
    };

    static long[] seq(int n, int classes) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = 1 + (i * 7 + i / 3) % (classes - 1);
        }
        return a;
    }

    @TestFactory
    List<DynamicTest> ctcMatchesTheCpu() {
        OpenClBackend ocl = Ocl.backend();
        Cases cs = new Cases();
        Random r = new Random(11);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Ctc k : CTC) {
                int nb = k.il().length;
                int nc = k.nc();
                int nt = k.nt();
                long[] tl = new long[nb];
                int[] offsets = new int[nb];
                int maxS = 0;
                for (long[] l : k.labels()) {
                    maxS = Math.max(maxS, l.length);
                }
                int total = 0;
                for (int b = 0; b < nb; b++) {
                    tl[b] = k.labels()[b].length;
                    offsets[b] = k.padded() ? b * maxS : total;
                    total += k.padded() ? maxS : (int) tl[b];
                }
                long[] tv = new long[total];
                for (int b = 0; b < nb; b++) {
                    System.arraycopy(k.labels()[b], 0, tv, offsets[b], (int) tl[b]);
                }
                int len0 = 2 * maxS + 1;
                int rowsT = Math.max(nt, 1);
                Arg lp = values(ocl, t, logProbs(nt, nb, nc, r), r);
                Arg tg = longs(ocl, tv);
                Arg nll = values(ocl, DType.FLOAT64, random(nb, r, false), r);
                Arg alpha = values(ocl, DType.FLOAT64, random(nb * rowsT * len0, r, false), r);
                double[] scale = random(nb, r, false);
                scale[nb / 2] = 0;
                Arg go = values(ocl, DType.FLOAT64, scale, r);
                Arg grad = values(ocl, t, new double[nt * nb * nc], r);
                String name = "ctc " + t + " " + k.name();
                cs.add(name, ocl, (b, c) -> {
                    View x = new View(c ? lp.cpu() : lp.ocl(), new int[] {nt, nb, nc}, new int[] {nb * nc, nc, 1}, OFF);
                    View al = new View(c ? alpha.cpu() : alpha.ocl(), new int[] {nb, rowsT, len0},
                            new int[] {rowsT * len0, len0, 1}, OFF);
                    b.ctc(Op.CTC_LOSS, x, tg.v(c), k.il(), tl, offsets, k.blank(), nll.v(c), al, null, null);
                    b.ctc(Op.CTC_LOSS_BACKWARD, x, tg.v(c), k.il(), tl, offsets, k.blank(), nll.v(c), al, go.v(c),
                            new View(c ? grad.cpu() : grad.ocl(), new int[] {nt, nb, nc}, new int[] {nb * nc, nc, 1},
                                    OFF));
                }, nll, alpha, grad);
            }
        }
        return cs.tests;
    }

    @Test
    void ctcGivesInfinityForImpossibleAlignments() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(2);
        Arg lp = values(ocl, DType.FLOAT64, logProbs(3, 2, 4, r), r);
        Arg tg = longs(ocl, new long[] {1, 1, 2, 3, 1, 2});
        Arg nll = values(ocl, DType.FLOAT64, new double[2], r);
        Arg alpha = values(ocl, DType.FLOAT64, new double[2 * 3 * 9], r);
        View x = new View(lp.ocl(), new int[] {3, 2, 4}, new int[] {8, 4, 1}, OFF);
        View al = new View(alpha.ocl(), new int[] {2, 3, 9}, new int[] {27, 9, 1}, OFF);
        // "1 1" needs three steps (a blank between), so two cannot; four labels cannot fit three steps
        ocl.ctc(Op.CTC_LOSS, x, tg.v(false), new long[] {2, 3}, new long[] {2, 4}, new int[] {0, 2}, 0, nll.v(false),
                al, null, null);
        double[] got = (double[]) ocl.toHost(nll.ocl(), OFF, 2);
        assertEquals(Double.POSITIVE_INFINITY, got[0]);
        assertEquals(Double.POSITIVE_INFINITY, got[1]);
    }

    @Test
    void badArgumentsFailBeforeAnythingRuns() {
        OpenClBackend ocl = Ocl.backend();
        Random r = new Random(4);
        Arg lp = values(ocl, DType.FLOAT32, logProbs(3, 2, 4, r), r);
        Arg tg = longs(ocl, new long[] {1, 2, 3});
        Arg nll = values(ocl, DType.FLOAT64, new double[2], r);
        Arg alpha = values(ocl, DType.FLOAT64, new double[2 * 3 * 5], r);
        View x = new View(lp.ocl(), new int[] {3, 2, 4}, new int[] {8, 4, 1}, OFF);
        View al = new View(alpha.ocl(), new int[] {2, 3, 5}, new int[] {15, 5, 1}, OFF);
        String e = assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS, x, tg.v(false),
                new long[] {4, 3}, new long[] {1, 2}, new int[] {0, 1}, 0, nll.v(false), al, null, null)).getMessage();
        assertTrue(e.contains("input length 4"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS, x, tg.v(false),
                new long[] {3, 3}, new long[] {1, 3}, new int[] {0, 1}, 0, nll.v(false), al, null, null)).getMessage();
        assertTrue(e.contains("target length 3"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS, x, tg.v(false),
                new long[] {3, 3}, new long[] {1, 2}, new int[] {0, 2}, 0, nll.v(false), al, null, null)).getMessage();
        assertTrue(e.contains("outside"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS, x, tg.v(false),
                new long[] {3, 3}, new long[] {1, 2}, new int[] {0, 1}, 4, nll.v(false), al, null, null)).getMessage();
        assertTrue(e.contains("blank"), e);
        View strided = new View(lp.ocl(), new int[] {3, 2, 2}, new int[] {8, 4, 2}, OFF);
        assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS, strided, tg.v(false),
                new long[] {3, 3}, new long[] {1, 2}, new int[] {0, 1}, 0, nll.v(false), al, null, null));
        assertThrows(IllegalArgumentException.class, () -> ocl.ctc(Op.CTC_LOSS_BACKWARD, x, tg.v(false),
                new long[] {3, 3}, new long[] {1, 2}, new int[] {0, 1}, 0, nll.v(false), al, nll.v(false), null));
        // embedding bag
        Arg w = values(ocl, DType.FLOAT32, random(12, r, false), r);
        Arg idx = longs(ocl, new long[] {0, 1, 2});
        Arg off = longs(ocl, new long[] {0, 1, 3});
        Arg out = values(ocl, DType.FLOAT32, new double[8], r);
        Arg bag = longs(ocl, new long[3]);
        Arg size = longs(ocl, new long[2]);
        e = assertThrows(IllegalArgumentException.class, () -> ocl.embeddingBag(v2(w, false, 3, 4), idx.v(false),
                off.v(false), null, 2, -1, v2(out, false, 2, 4), bag.v(false), size.v(false), null)).getMessage();
        assertTrue(e.contains("maxArg"), e);
        Storage cpuIdx = idx.cpu();
        assertThrows(IllegalArgumentException.class, () -> ocl.embeddingBag(v2(w, false, 3, 4),
                new View(cpuIdx, new int[] {3}, new int[] {1}, OFF), off.v(false), null, 0, -1,
                v2(out, false, 2, 4), bag.v(false), size.v(false), null));
        e = assertThrows(IllegalArgumentException.class, () -> ocl.embeddingBag(v2(w, false, 3, 4), idx.v(false),
                off.v(false), null, 0, -1, v2(out, false, 2, 4), size.v(false), size.v(false), null)).getMessage();
        assertTrue(e.contains("bagOf"), e);
    }
}
