package dev.jtorch;

import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.PoolWindows;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@link Op} runs on the CPU backend through its calling convention, so no op is skipped silently;
 * each is checked against the double-precision scalar definition on a strided, offset input.
 */
class BackendCoverageTest {
    @Test
    void cpuBackendCoversEveryOp() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        Tensor x = Torch.tensor(new double[] {0.5, -1.25, 2, 0.75, -0.1, 3}, 2, 3).t();  // non-contiguous
        Tensor y = Torch.tensor(new double[] {1.5, 0.25, -2, 0.5, 4, -3}, 3, 2);
        Tensor mask = x.gt(0.0);
        for (Op op : Op.values()) {
            Tensor out = Torch.empty(DType.FLOAT64, 3, 2);
            switch (op.kind()) {
                case UNARY -> {
                    Dispatch.unary(op, x, out, 2, 0.5);
                    check(op, x, null, out);
                }
                case BINARY -> {
                    Tensor o = Torch.empty(isCompare(op) ? DType.BOOL : DType.FLOAT64, 3, 2);
                    Dispatch.binary(op, x, y, o, 1);
                    check(op, x, y, o);
                }
                case TERNARY -> {
                    Dispatch.where(mask, x, y, out);
                    double[] m = mask.toDoubleArray();
                    double[] a = x.toDoubleArray();
                    double[] b = y.toDoubleArray();
                    double[] r = out.toDoubleArray();
                    for (int i = 0; i < 6; i++) {
                        assertEquals(m[i] != 0 ? a[i] : b[i], r[i]);
                    }
                }
                case REDUCE -> {
                    boolean idx = op == Op.ARGMAX || op == Op.ARGMIN;
                    boolean bool = op == Op.ANY || op == Op.ALL;
                    Tensor o = Torch.empty(idx ? DType.INT64 : bool ? DType.BOOL : DType.FLOAT64, 3, 1);
                    Dispatch.reduce(op, x, new int[] {1}, o, op == Op.NORM ? 2 : 1);
                    assertEquals(3, o.numel());
                }
                case SOFTMAX -> {
                    Tensor s = Torch.empty(DType.FLOAT64, 3, 2);
                    Dispatch.softmax(op, x, op.name().endsWith("BACKWARD") ? y : null, 1, s);
                    assertEquals(6, s.numel());
                }
                case MATMUL -> {
                    Tensor o = Torch.empty(DType.FLOAT64, 1, 3, 3);
                    Dispatch.bmm(x.unsqueeze(0), y.t().unsqueeze(0), o, 1, 0);
                    assertEquals(x.matmul(y.t()).toDoubleArray()[4], o.toDoubleArray()[4], 1e-15);
                }
                case INDEX -> {
                    Tensor index = Torch.tensor(new long[] {1, 0, 1, 0, 0, 1}, 3, 2);
                    Tensor o = x.clone();
                    Tensor src = y;
                    Tensor ix = op == Op.INDEX_SELECT || op == Op.INDEX_ADD ? Torch.tensor(new long[] {1, 0}) : index;
                    Tensor target = op == Op.INDEX_SELECT ? Torch.empty(DType.FLOAT64, 3, 2) : o;
                    Dispatch.index(op, x, 1, ix, src, target);
                    assertEquals(6, target.numel());
                }
                case CONV -> conv(op);
                case POOL -> pool(op);
                case NORM -> norm(op);
                case CTC -> {
                    if (op == Op.CTC_LOSS) {
                        // two frames, two classes, target [1]: paths "1 1", "0 1", "1 0" (blank 0)
                        Tensor lp = Torch.tensor(new double[] {0.3, 0.7, 0.4, 0.6}, 2, 1, 2).log();
                        Tensor nll = Torch.empty(DType.FLOAT64, 1);
                        Tensor alpha = Torch.empty(DType.FLOAT64, 1, 2, 3);
                        Dispatch.ctc(op, lp, Torch.tensor(new long[] {1}), new long[] {2}, new long[] {1},
                                new int[] {0}, 0, nll, alpha, null, null);
                        assertEquals(-Math.log(0.7 * 0.6 + 0.3 * 0.6 + 0.7 * 0.4), nll.item(), 1e-12);
                    } else {
                        Tensor lp = Torch.tensor(new double[] {0.3, 0.7, 0.4, 0.6}, 2, 1, 2).log()
                                .requiresGrad_(true);
                        Tensor loss = NnOps.ctcLoss(lp, Torch.tensor(new long[] {1}), new long[] {2},
                                new long[] {1}, new int[] {0}, 0, false);
                        loss.sum().backward();
                        assertEquals(4, lp.grad().numel());
                    }
                }
                case RNN -> rnn(op);
                case SORT -> {
                    // x is [3, 2] non-contiguous: rows (0.5, 0.75), (-1.25, -0.1), (2, 3); sort each column
                    Tensor v = Torch.empty(DType.FLOAT64, 3, 2);
                    Tensor i = Torch.empty(DType.INT64, 3, 2);
                    Dispatch.sort(x, 0, true, v, i);
                    assertEquals(java.util.List.of(2.0, 3.0, 0.5, 0.75, -1.25, -0.1),
                            java.util.Arrays.stream(v.toDoubleArray()).boxed().toList());
                    assertEquals(java.util.List.of(2L, 2L, 0L, 0L, 1L, 1L),
                            java.util.Arrays.stream(i.toLongArray()).boxed().toList());
                }
                case SCAN -> {
                    Dispatch.scan(op, x, 1, false, out);
                    double[] a = x.toDoubleArray();
                    double[] r = out.toDoubleArray();
                    assertEquals(op == Op.CUMSUM ? a[4] + a[5] : a[4] * a[5], r[5], 1e-15);
                    assertEquals(a[4], r[4]);
                }
                case ATTENTION -> attention(op);
                case EMBEDDING_BAG -> {
                    Tensor w = Torch.tensor(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
                    Tensor o = Torch.empty(DType.FLOAT64, 2, 2);
                    Tensor bagOf = Torch.empty(DType.INT64, 3);
                    Tensor size = Torch.empty(DType.INT64, 2);
                    Dispatch.embeddingBag(w, Torch.tensor(new long[] {0, 2, 1}), Torch.tensor(new long[] {0, 2, 3}), null, 0,
                            -1, o, bagOf, size, null);
                    assertEquals(1 + 5, o.toDoubleArray()[0]);
                    assertEquals(1, bagOf.toLongArray()[2]);
                }
                case DATA -> {
                    if (op == Op.COPY) {
                        Dispatch.copy(x, out);
                        assertEquals(x.toDoubleArray()[1], out.toDoubleArray()[1]);
                    } else {
                        Dispatch.fill(out, 3);
                        assertEquals(3, out.toDoubleArray()[5]);
                    }
                }
            }
            covered.add(op);
        }
        assertEquals(EnumSet.allOf(Op.class), covered);
        assertEquals(98, covered.size(), "ops in the op set");
    }

    /** A 3x3 image, a 2x2 kernel: every convolution op against sums written out here. */
    private static void conv(Op op) {
        Tensor img = Torch.tensor(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor k = Torch.tensor(new double[] {1, -1, 2, 0.5}, 1, 1, 2, 2);
        Tensor ones = Torch.ones(DType.FLOAT64, 1, 1, 2, 2);
        ConvGeometry g = ConvGeometry.of(1, 1, 1, 1, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1});
        switch (op) {
            case CONV -> {
                Tensor o = Torch.empty(DType.FLOAT64, 1, 1, 2, 2);
                Dispatch.conv(op, img, k, Torch.tensor(new double[] {10}), o, g);
                assertEquals(10 + 1 * 1 - 2 + 2 * 4 + 0.5 * 5, o.toDoubleArray()[0], 1e-12);
            }
            case CONV_BACKWARD_INPUT -> {
                Tensor o = Torch.empty(DType.FLOAT64, 1, 1, 3, 3);
                Dispatch.conv(op, ones, k, null, o, g);
                assertEquals(1 - 1 + 2 + 0.5, o.toDoubleArray()[4], 1e-12);
            }
            case CONV_BACKWARD_WEIGHT -> {
                Tensor o = Torch.empty(DType.FLOAT64, 1, 1, 2, 2);
                Dispatch.conv(op, img, ones, null, o, g);
                assertEquals(1 + 2 + 4 + 5, o.toDoubleArray()[0], 1e-12);
            }
            case IM2COL -> {
                Tensor o = Torch.empty(DType.FLOAT64, 1, 4, 4);
                Dispatch.conv(op, img, null, null, o, g);
                assertEquals(5, o.toDoubleArray()[3]);   // row (0, 0) of the kernel, block (1, 1)
            }
            case COL2IM -> {
                Tensor o = Torch.empty(DType.FLOAT64, 1, 1, 3, 3);
                Dispatch.conv(op, Torch.ones(DType.FLOAT64, 1, 4, 4), null, null, o, g);
                assertEquals(4, o.toDoubleArray()[4]);   // the centre is in every block once per kernel tap
            }
            default -> throw new AssertionError(op);
        }
    }

    private static void pool(Op op) {
        Tensor img = Torch.tensor(new double[] {1, 9, 3, 4, 5, 6, 7, 8, 2}, 1, 3, 3);
        PoolWindows w = PoolWindows.regular(1, new int[] {3, 3}, new int[] {2, 2}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}).withDivisors(true, new int[] {0, 0});
        Tensor o = Torch.empty(DType.FLOAT64, 1, 2, 2);
        Tensor idx = Torch.empty(DType.INT64, 1, 2, 2);
        Tensor dx = Torch.empty(DType.FLOAT64, 1, 3, 3);
        switch (op) {
            case MAX_POOL -> {
                Dispatch.pool(op, img, idx, o, w);
                assertEquals(9, o.toDoubleArray()[0]);
                assertEquals(1, idx.toLongArray()[0]);
            }
            case MAX_POOL_BACKWARD -> {
                Dispatch.pool(op, Torch.ones(DType.FLOAT64, 1, 2, 2), Torch.tensor(new long[] {1, 1, 7, 5}, 1, 2, 2), dx, w);
                assertEquals(2, dx.toDoubleArray()[1]);
            }
            case AVG_POOL -> {
                Dispatch.pool(op, img, null, o, w);
                assertEquals((1 + 9 + 4 + 5) / 4.0, o.toDoubleArray()[0], 1e-12);
            }
            case AVG_POOL_BACKWARD -> {
                Dispatch.pool(op, Torch.ones(DType.FLOAT64, 1, 2, 2), null, dx, w);
                assertEquals(1.0, dx.toDoubleArray()[4], 1e-12);
            }
            default -> throw new AssertionError(op);
        }
    }

    private static void norm(Op op) {
        Tensor v = Torch.tensor(new double[] {1, 3, 2, 6}, 2, 2);
        Tensor two = Torch.tensor(new double[] {2, 3});
        Tensor o = Torch.empty(DType.FLOAT64, 2, 2);
        NormShape rows = new NormShape(1, 2, 2, true);
        switch (op) {
            case NORM_MOMENTS -> {
                Tensor m = Torch.empty(DType.FLOAT64, 2), var = Torch.empty(DType.FLOAT64, 2);
                Dispatch.norm(op, new Tensor[] {v}, new Tensor[] {m, var}, rows);
                assertEquals(4, m.toDoubleArray()[1], 1e-12);
                assertEquals(4, var.toDoubleArray()[1], 1e-12);
            }
            case NORM_SCALE_SHIFT -> {
                Dispatch.norm(op, new Tensor[] {v, two, two}, new Tensor[] {o}, rows);
                assertEquals(3 * 6 + 3, o.toDoubleArray()[3], 1e-12);
            }
            case NORM_SCALE_SHIFT2 -> {
                Dispatch.norm(op, new Tensor[] {v, v, two, two, two}, new Tensor[] {o}, rows);
                assertEquals(3 * 6 + 3 * 6 + 3, o.toDoubleArray()[3], 1e-12);
            }
            case NORM_CHANNEL_SUMS -> {
                Tensor s1 = Torch.empty(DType.FLOAT64, 2), s2 = Torch.empty(DType.FLOAT64, 2);
                Dispatch.norm(op, new Tensor[] {v, v}, new Tensor[] {s1, s2}, rows);
                assertEquals(8, s1.toDoubleArray()[1], 1e-12);
                assertEquals(40, s2.toDoubleArray()[1], 1e-12);
            }
            case NORM_APPLY -> {
                // channel 1: mean 3, var 3 + eps 1 = 4 (rstd 1/2), weight 3, bias 3
                Dispatch.norm(op, new Tensor[] {v, two, two, two, two}, new Tensor[] {o},
                        new NormShape(1, 2, 2, true, 1));
                assertEquals((6 - 3) * 0.5 * 3 + 3, o.toDoubleArray()[3], 1e-12);
            }
            case ROW_NORM -> {
                Dispatch.norm(op, new Tensor[] {v, two, two, two, two}, new Tensor[] {o},
                        new NormShape(1, 2, 2, true, 1));
                assertEquals((6 - 3) * 0.5 * 3 + 3, o.toDoubleArray()[3], 1e-12);
            }
            case ROW_NORM_BACKWARD -> {
                Tensor dw = Torch.empty(DType.FLOAT64, 2), db = Torch.empty(DType.FLOAT64, 2);
                Dispatch.norm(op, new Tensor[] {v, Torch.ones(DType.FLOAT64, 2, 2), two, two, null},
                        new Tensor[] {o, dw, db}, new NormShape(1, 2, 2, true, 1));
                assertEquals(2, db.toDoubleArray()[0], 1e-12);
                assertEquals(0, o.toDoubleArray()[0], 1e-12);   // a constant gradient does not move a normalised row
            }
            default -> throw new AssertionError(op);
        }
    }

    /**
     * A one-unit tanh RNN over two steps of batch 1 (w_ih = 2, w_hh = 0.5, no biases, h0 = 0.25): forward
     * against the formula, backward of y_1 + y_2 against its chain rule.
     */
    private static void rnn(Op op) {
        RnnLayer layer = new RnnLayer(RnnMode.RNN_TANH, new int[] {1, 1}, false, 1, 1, 0);
        Tensor x = Torch.tensor(new double[] {0.5, -1}, 2, 1);
        Tensor wIh = Torch.tensor(new double[] {2}, 1, 1);
        Tensor wHh = Torch.tensor(new double[] {0.5}, 1, 1);
        Tensor h0 = Torch.tensor(new double[] {0.25}, 1, 1);
        double y1 = Math.tanh(2 * 0.5 + 0.5 * 0.25);
        double y2 = Math.tanh(2 * -1 + 0.5 * y1);
        Tensor y = Torch.empty(DType.FLOAT64, 2, 1);
        Tensor hN = Torch.empty(DType.FLOAT64, 1, 1);
        Tensor reserve = Torch.empty(DType.FLOAT64, CpuBackend.INSTANCE.rnnReserveSize(layer));
        Dispatch.rnn(Op.RNN_LAYER_FORWARD, layer, new Tensor[] {x, h0, null, wIh, wHh, null, null, null},
                new Tensor[] {y, hN, null, reserve});
        assertEquals(y2, hN.toDoubleArray()[0], 1e-15);
        if (op == Op.RNN_LAYER_FORWARD) {
            assertEquals(y1, y.toDoubleArray()[0], 1e-15);
            return;
        }
        Tensor dx = Torch.empty(DType.FLOAT64, 2, 1);
        Tensor dh0 = Torch.empty(DType.FLOAT64, 1, 1);
        Dispatch.rnn(op, layer, new Tensor[] {x, wIh, wHh, null, y, reserve, Torch.ones(DType.FLOAT64, 2, 1), null,
            null}, new Tensor[] {dx, dh0, null, null, null, null, null, null});
        double d2 = 1 - y2 * y2;                  // d(y_2)/d(pre_2)
        double d1 = (1 + d2 * 0.5) * (1 - y1 * y1); // y_1 reaches the loss directly and through y_2
        assertEquals(2 * d2, dx.toDoubleArray()[1], 1e-15);
        assertEquals(2 * d1, dx.toDoubleArray()[0], 1e-15);
        assertEquals(0.5 * d1, dh0.toDoubleArray()[0], 1e-15);
    }

    /**
     * One query against two keys (E = 1, scale 1): scores [0, ln 3], probabilities [1/4, 3/4], values [2, 6], so
     * the output is 5 and the log-sum-exp ln 4; the backward of the output: dv = [1/4, 3/4], dS = P (dP - D) =
     * [-3/4, 3/4], dq = dS k = 3/4 ln 3, dk = dS q = [-3/4, 3/4].
     */
    private static void attention(Op op) {
        AttentionShape sh = new AttentionShape(1, 1, 2, 1, 1, 1, false);
        Tensor q = Torch.tensor(new double[] {1}, 1, 1);
        Tensor k = Torch.tensor(new double[] {0, Math.log(3)}, 2, 1);
        Tensor v = Torch.tensor(new double[] {2, 6}, 2, 1);
        Tensor o = Torch.empty(DType.FLOAT64, 1, 1);
        Tensor lse = Torch.empty(DType.FLOAT64, 1);
        Dispatch.attention(Op.ATTENTION, sh, new Tensor[] {q, k, v, null, null}, new Tensor[] {o, lse});
        assertEquals(5, o.item(), 1e-14);
        assertEquals(Math.log(4), lse.item(), 1e-14);
        if (op == Op.ATTENTION) {
            return;
        }
        Tensor dq = Torch.empty(DType.FLOAT64, 1, 1);
        Tensor dk = Torch.empty(DType.FLOAT64, 2, 1);
        Tensor dv = Torch.empty(DType.FLOAT64, 2, 1);
        Tensor ds = Torch.empty(DType.FLOAT64, 1, 2);
        Dispatch.attention(op, sh, new Tensor[] {q, k, v, null, null, o, lse, Torch.ones(DType.FLOAT64, 1, 1)},
                new Tensor[] {dq, dk, dv, ds});
        assertEquals(0.75 * Math.log(3), dq.item(), 1e-14);
        assertEquals(-0.75, dk.toDoubleArray()[0], 1e-14);
        assertEquals(0.75, dk.toDoubleArray()[1], 1e-14);
        assertEquals(0.25, dv.toDoubleArray()[0], 1e-14);
        assertEquals(0.75, ds.toDoubleArray()[1], 1e-14);
    }

    private static boolean isCompare(Op op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
            default -> false;
        };
    }

    private static void check(Op op, Tensor a, Tensor b, Tensor out) {
        double[] x = a.toDoubleArray();
        double[] y = b == null ? null : b.toDoubleArray();
        double[] r = out.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            Double e = reference(op, x[i], y == null ? 0 : y[i]);
            if (e != null && e.isNaN()) {
                assertEquals(Double.NaN, r[i], op + " element " + i);
            } else if (e != null) {
                assertEquals(e, r[i], 1e-12 * Math.max(1, Math.abs(e)), op + " element " + i);
            }
        }
    }

    /** Independent scalar definitions (java.lang.Math), null where the op needs the kernels' own erf etc. */
    private static Double reference(Op op, double x, double y) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : 2 * x;
            case SOFTPLUS -> 2 * x > 0.5 ? x : Math.log1p(Math.exp(2 * x)) / 2;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case POW_SCALAR -> x * x;
            case CLAMP -> Math.min(Math.max(x, 2), 0.5);
            case LOGICAL_NOT -> x == 0 ? 1.0 : 0.0;
            case ISNAN -> Double.isNaN(x) ? 1.0 : 0.0;
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1.0 : 0.0;
            case NE -> x != y ? 1.0 : 0.0;
            case LT -> x < y ? 1.0 : 0.0;
            case LE -> x <= y ? 1.0 : 0.0;
            case GT -> x > y ? 1.0 : 0.0;
            case GE -> x >= y ? 1.0 : 0.0;
            case LOGICAL_AND -> x != 0 && y != 0 ? 1.0 : 0.0;
            case LOGICAL_OR -> x != 0 || y != 0 ? 1.0 : 0.0;
            case LOGICAL_XOR -> (x != 0) != (y != 0) ? 1.0 : 0.0;
            case SIGMOID_BACKWARD -> y * x * (1 - x);
            case TANH_BACKWARD -> y * (1 - x * x);
            default -> null;
        };
    }
}
