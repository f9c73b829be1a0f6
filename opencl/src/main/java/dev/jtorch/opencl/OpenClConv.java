package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.ConvGeometry;

import java.lang.ref.Reference;

/**
 * {@link OpenClBackend#conv} on the device: the five convolution ops over {@link ConvSource}'s kernels and the
 * GEMM ({@link OpenClBackend#bmm}), like cuDNN's explicit-GEMM algorithm.
 *
 * <ul>
 * <li>CONV: the column matrices of a chunk of images ({@code im2col}), then {@code y = W . col} as one batched
 * GEMM over the chunk's images (groups = 1, the weight broadcast) or, with groups, one GEMM per image batched over
 * the groups; then the bias. A 1x1 kernel with stride 1 and no padding multiplies the input in place.</li>
 * <li>CONV_BACKWARD_INPUT: {@code col = W^T . dy} the same way, then {@code col2im} (a gather, no atomics).</li>
 * <li>CONV_BACKWARD_WEIGHT: per image {@code dW_n = dy_n . col_n^T} into a buffer of per-image products, summed
 * over the images by the device's reduction (in image order) and over the chunks by an addition.</li>
 * <li>IM2COL and COL2IM: the column kernels alone ({@code nn.Unfold}, {@code nn.Fold}).</li>
 * </ul>
 *
 * <p>Grouped convolutions whose groups are too narrow for a GEMM tile (depthwise ones among them: fewer than
 * {@link #TILE} output channels or column rows per group) run the direct kernels instead, one work-item per
 * output, input-gradient or (a work-group) weight-gradient element. Column buffers stay under
 * {@link #COLUMN_BYTES}: the batch is processed in chunks of images, and an image whose columns alone exceed it
 * in slices of output positions (the weight gradient's products then accumulate over the slices).
 */
final class OpenClConv {
    /** Bytes the column buffer (and the weight gradient's per-image products) may take. */
    static final long COLUMN_BYTES = 256L << 20;
    /** Output channels and column rows per group below which a grouped convolution runs the direct kernels. */
    static final int TILE = 16;

    private final OpenClBackend backend;
    private final ClDevice dev;
    /** {@link #COLUMN_BYTES}, smaller in tests of the chunking. */
    long columnBytes = COLUMN_BYTES;

    OpenClConv(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    /** Whether the direct kernels compute this geometry (grouped, and too narrow per group for a GEMM). */
    static boolean direct(ConvGeometry g) {
        return g.groups() > 1 && (g.outPerGroup() < TILE || g.inPerGroup() * g.kernelVolume() < TILE);
    }

    void conv(Op op, View a, View b, View bias, View out, ConvGeometry g) {
        conv(op, a, b, bias, out, g, null);
    }

    /** {@link #conv} with the path forced: the direct kernels (true), the GEMM (false), or chosen (null). */
    void conv(Op op, View a, View b, View bias, View out, ConvGeometry g, Boolean forceDirect) {
        if (op == null || op.kind() != Op.Kind.CONV) {
            throw new IllegalArgumentException(op + " is not a convolution op");
        }
        if (g == null) {
            throw new IllegalArgumentException(op + " needs a geometry, got null");
        }
        DType dt = out.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected float32 or float64, got " + dt);
        }
        long cols = (long) g.batch() * g.inChannels() * g.kernelVolume() * g.outSpatial();
        boolean dir = forceDirect != null ? forceDirect : direct(g);
        switch (op) {
            case CONV -> {
                OpenClStorage sx = dense(a, "the input", g.inputSize(), dt, op);
                OpenClStorage sw = dense(b, "the weight", g.weightSize(), dt, op);
                OpenClStorage sb = bias == null ? null : dense(bias, "the bias", g.outChannels(), dt, op);
                OpenClStorage sy = dense(out, "the output", g.outputSize(), dt, op);
                if (g.outputSize() > 0) {
                    if (dir) {
                        direct(a, sx, b, sw, bias, sb, out, sy, g);
                    } else {
                        forward(a, b, bias, sb, out, sy, g);
                    }
                }
                fence(sx, sw, sb, sy);
            }
            case CONV_BACKWARD_INPUT -> {
                OpenClStorage sd = dense(a, "dy", g.outputSize(), dt, op);
                OpenClStorage sw = dense(b, "the weight", g.weightSize(), dt, op);
                OpenClStorage sx = dense(out, "dx", g.inputSize(), dt, op);
                if (g.inputSize() > 0) {
                    if (dir) {
                        dev.launch(program(dt), "conv_direct_dx", g.inputSize(), sx.block(), out.storageOffset(),
                                sd.block(), a.storageOffset(), sw.block(), b.storageOffset(), ConvSource.pack(g,
                                        g.batch()), g.inputSize());
                    } else {
                        backwardInput(a, b, out, sx, g);
                    }
                }
                fence(sd, sw, sx);
            }
            case CONV_BACKWARD_WEIGHT -> {
                OpenClStorage sx = dense(a, "the input", g.inputSize(), dt, op);
                OpenClStorage sd = dense(b, "dy", g.outputSize(), dt, op);
                OpenClStorage sw = dense(out, "dw", g.weightSize(), dt, op);
                if (g.batch() == 0) {
                    backend.fill(flat(out, g.weightSize()), 0);
                } else if (dir) {
                    ClDevice.Program p = program(dt);
                    int wg = dev.workGroup(p, "conv_direct_dw");
                    dev.launch(p, "conv_direct_dw", View.intCount((long) g.weightSize() * wg, new int[0]), sw.block(),
                            out.storageOffset(), sx.block(), a.storageOffset(), sd.block(), b.storageOffset(),
                            ConvSource.pack(g, g.batch()));
                } else {
                    backwardWeight(a, b, out, g);
                }
                fence(sx, sd, sw);
            }
            case IM2COL -> {
                OpenClStorage sx = dense(a, "the input", g.inputSize(), dt, op);
                OpenClStorage sc = dense(out, "the columns", cols, dt, op);
                if (cols > 0) {
                    dev.launch(program(dt), "im2col", (int) cols, sc.block(), out.storageOffset(), sx.block(),
                            a.storageOffset(), ConvSource.pack(g, g.batch()), 0, g.outSpatial(), (int) cols);
                }
                fence(sx, sc);
            }
            case COL2IM -> {
                OpenClStorage sc = dense(a, "the columns", cols, dt, op);
                OpenClStorage sx = dense(out, "the output", g.inputSize(), dt, op);
                if (g.inputSize() > 0) {
                    dev.launch(program(dt), "col2im", g.inputSize(), sx.block(), out.storageOffset(), sc.block(),
                            a.storageOffset(), ConvSource.pack(g, g.batch()), 0, g.outSpatial(), 0, g.inputSize());
                }
                fence(sc, sx);
            }
            default -> throw new IllegalArgumentException(op + " is not a convolution op");
        }
    }

    // ---------------------------------------------------------------- checks

    /**
     * The storage of an operand after checking it: present, contiguous, of the output's dtype, and holding
     * {@code size} elements from its offset (as the CPU kernels read it).
     */
    private OpenClStorage dense(View v, String role, long size, DType dt, Op op) {
        if (v == null) {
            throw new IllegalArgumentException(op + " needs " + role + ", got null");
        }
        if (v.dtype() != dt) {
            throw new IllegalArgumentException(op + ": " + role + " " + v + " is " + v.dtype() + ", expected " + dt
                    + " (the output's dtype)");
        }
        if (!v.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + role + " " + v + " must be contiguous");
        }
        long have = v.storage().size();
        if (v.storageOffset() < 0 || v.storageOffset() + size > have) {
            throw new IllegalArgumentException(op + ": " + role + " needs " + size + " elements from offset "
                    + v.storageOffset() + ", but its storage holds " + have);
        }
        return backend.checked(flat(v, (int) size), role);
    }

    /** The first {@code size} elements of a contiguous view's storage from its offset, as a 1-d view. */
    private static View flat(View v, int size) {
        return new View(v.storage(), new int[] {size}, new int[] {1}, v.storageOffset());
    }

    private static void fence(Object... keep) {
        Reference.reachabilityFence(keep);
    }

    private ClDevice.Program program(DType dt) {
        String real = dt == DType.FLOAT64 ? "double" : "float";
        return backend.program("conv " + real, () -> ConvSource.program(real));
    }

    // ---------------------------------------------------------------- direct kernels

    private void direct(View a, OpenClStorage sx, View b, OpenClStorage sw, View bias, OpenClStorage sb, View out,
                        OpenClStorage sy, ConvGeometry g) {
        dev.launch(program(out.dtype()), "conv_direct", g.outputSize(), sy.block(), out.storageOffset(), sx.block(),
                a.storageOffset(), sw.block(), b.storageOffset(), (sb == null ? sy : sb).block(),
                bias == null ? 0 : bias.storageOffset(), sb == null ? 0 : 1, ConvSource.pack(g, g.batch()),
                g.outputSize());
    }

    // ---------------------------------------------------------------- GEMM path

    /**
     * How the GEMM path walks the batch: {@code images} per chunk, and output positions in slices of
     * {@code positions} (all of them unless one image's columns exceed the budget; then one image at a time).
     */
    private record Plan(int images, int positions) {
    }

    /** The plan keeping the columns (and {@code perImageExtra} more elements per image) under the budget. */
    private Plan plan(ConvGeometry g, DType dt, long perImageExtra) {
        int p = g.outSpatial();
        long rows = g.pointwise() ? 0 : (long) g.inChannels() * g.kernelVolume();
        long budget = columnBytes / dt.itemSize();
        long per = rows * p + perImageExtra;
        if (per <= budget || rows == 0) {
            long n = per == 0 ? g.batch() : budget / per;
            return new Plan((int) Math.max(1, Math.min(g.batch(), n)), p);
        }
        long left = Math.max(0, budget - perImageExtra);
        return new Plan(1, (int) Math.max(1, Math.min(p, left / rows)));
    }

    /** A temporary of {@code n} elements (null for none). */
    private Storage temp(DType dt, long n) {
        return n == 0 ? null : backend.allocate(dt, View.intCount(n, new int[0]));
    }

    /** Columns of output positions [p0, p0 + pc) of {@code images} images from x at {@code xo}, into col. */
    private void im2col(ConvGeometry g, int images, Storage x, int xo, Storage col, int p0, int pc) {
        int n = View.intCount((long) images * g.inChannels() * g.kernelVolume() * pc, new int[0]);
        OpenClStorage sx = (OpenClStorage) x;
        OpenClStorage sc = (OpenClStorage) col;
        dev.launch(program(col.dtype()), "im2col", n, sc.block(), 0, sx.block(), xo, ConvSource.pack(g, images), p0,
                pc, n);
        fence(sx, sc);
    }

    private void forward(View x, View w, View bias, OpenClStorage sb, View y, OpenClStorage sy, ConvGeometry g) {
        DType dt = y.dtype();
        int C = g.inChannels(), OC = g.outChannels(), G = g.groups(), og = g.outPerGroup();
        int P = g.outSpatial(), is = g.inSpatial();
        int ck = C * g.kernelVolume(), cgk = g.inPerGroup() * g.kernelVolume();
        Plan plan = plan(g, dt, 0);
        Storage col = g.pointwise() ? null : temp(dt, (long) plan.images() * ck * plan.positions());
        Storage ws = w.storage();
        for (int n0 = 0; n0 < g.batch(); n0 += plan.images()) {
            int m = Math.min(plan.images(), g.batch() - n0);
            int xo = x.storageOffset() + n0 * C * is;
            for (int p0 = 0; p0 < P; p0 += plan.positions()) {
                int pc = Math.min(plan.positions(), P - p0);
                int yo = y.storageOffset() + n0 * OC * P + p0;
                // the columns of image j, group q start at cb + j * ck * pc + q * cgk * pc, rows of pc
                Storage cs = col == null ? x.storage() : col;
                int cb = col == null ? xo : 0;
                if (col != null) {
                    im2col(g, m, x.storage(), xo, col, p0, pc);
                }
                if (G == 1) {
                    backend.bmm(new View(ws, new int[] {m, OC, ck}, new int[] {0, ck, 1}, w.storageOffset()),
                            new View(cs, new int[] {m, ck, pc}, new int[] {ck * pc, pc, 1}, cb),
                            new View(y.storage(), new int[] {m, OC, pc}, new int[] {OC * P, P, 1}, yo), 1, 0);
                } else {
                    for (int j = 0; j < m; j++) {
                        backend.bmm(new View(ws, new int[] {G, og, cgk}, new int[] {og * cgk, cgk, 1},
                                        w.storageOffset()),
                                new View(cs, new int[] {G, cgk, pc}, new int[] {cgk * pc, pc, 1}, cb + j * ck * pc),
                                new View(y.storage(), new int[] {G, og, pc}, new int[] {og * P, P, 1}, yo + j * OC * P),
                                1, 0);
                    }
                }
            }
        }
        if (sb != null) {
            dev.launch(program(dt), "bias", g.outputSize(), sy.block(), y.storageOffset(), sb.block(),
                    bias.storageOffset(), P, OC, g.outputSize());
        }
        fence(col);
    }

    private void backwardInput(View dy, View w, View dx, OpenClStorage sx, ConvGeometry g) {
        DType dt = dx.dtype();
        int C = g.inChannels(), OC = g.outChannels(), G = g.groups(), og = g.outPerGroup();
        int P = g.outSpatial(), is = g.inSpatial();
        int ck = C * g.kernelVolume(), cgk = g.inPerGroup() * g.kernelVolume();
        Plan plan = plan(g, dt, 0);
        Storage col = g.pointwise() ? null : temp(dt, (long) plan.images() * ck * plan.positions());
        Storage ws = w.storage();
        for (int n0 = 0; n0 < g.batch(); n0 += plan.images()) {
            int m = Math.min(plan.images(), g.batch() - n0);
            int xo = dx.storageOffset() + n0 * C * is;
            for (int p0 = 0; p0 < P; p0 += plan.positions()) {
                int pc = Math.min(plan.positions(), P - p0);
                int yo = dy.storageOffset() + n0 * OC * P + p0;
                // col = W^T . dy, straight into dx for a pointwise convolution (its columns are the input)
                Storage cs = col == null ? dx.storage() : col;
                int cb = col == null ? xo : 0;
                if (G == 1) {
                    backend.bmm(new View(ws, new int[] {m, ck, OC}, new int[] {0, 1, ck}, w.storageOffset()),
                            new View(dy.storage(), new int[] {m, OC, pc}, new int[] {OC * P, P, 1}, yo),
                            new View(cs, new int[] {m, ck, pc}, new int[] {ck * pc, pc, 1}, cb), 1, 0);
                } else {
                    for (int j = 0; j < m; j++) {
                        backend.bmm(new View(ws, new int[] {G, cgk, og}, new int[] {og * cgk, 1, cgk},
                                        w.storageOffset()),
                                new View(dy.storage(), new int[] {G, og, pc}, new int[] {og * P, P, 1},
                                        yo + j * OC * P),
                                new View(cs, new int[] {G, cgk, pc}, new int[] {cgk * pc, pc, 1}, cb + j * ck * pc),
                                1, 0);
                    }
                }
                if (col != null) {
                    OpenClStorage sc = (OpenClStorage) col;
                    int n = m * C * is;
                    dev.launch(program(dt), "col2im", n, sx.block(), xo, sc.block(), 0, ConvSource.pack(g, m), p0,
                            pc, p0 > 0 ? 1 : 0, n);
                }
            }
        }
        fence(col);
    }

    private void backwardWeight(View x, View dy, View dw, ConvGeometry g) {
        DType dt = dw.dtype();
        int C = g.inChannels(), OC = g.outChannels(), G = g.groups(), og = g.outPerGroup();
        int P = g.outSpatial(), is = g.inSpatial();
        int ck = C * g.kernelVolume(), cgk = g.inPerGroup() * g.kernelVolume();
        int W = g.weightSize();
        Plan plan = plan(g, dt, W);
        int nb = plan.images();
        Storage col = g.pointwise() ? null : temp(dt, (long) nb * ck * plan.positions());
        boolean single = g.batch() == 1;
        // per-image products dW_n [OC][cg K], summed over the chunk's images into dw (first chunk) or sum
        Storage part = single ? null : temp(dt, (long) nb * W);
        Storage sum = g.batch() > nb ? temp(dt, W) : null;
        View target = flat(dw, W);
        for (int n0 = 0; n0 < g.batch(); n0 += nb) {
            int m = Math.min(nb, g.batch() - n0);
            int xo = x.storageOffset() + n0 * C * is;
            Storage ps = single ? dw.storage() : part;
            int po = single ? dw.storageOffset() : 0;
            for (int p0 = 0; p0 < P; p0 += plan.positions()) {
                int pc = Math.min(plan.positions(), P - p0);
                int yo = dy.storageOffset() + n0 * OC * P + p0;
                Storage cs = col == null ? x.storage() : col;
                int cb = col == null ? xo : 0;
                // the slices of output positions after the first add to the products
                double beta = p0 > 0 ? 1 : 0;
                if (col != null) {
                    im2col(g, m, x.storage(), xo, col, p0, pc);
                }
                if (G == 1) {
                    backend.bmm(new View(dy.storage(), new int[] {m, OC, pc}, new int[] {OC * P, P, 1}, yo),
                            new View(cs, new int[] {m, pc, ck}, new int[] {ck * pc, 1, pc}, cb),
                            new View(ps, new int[] {m, OC, ck}, new int[] {W, ck, 1}, po), 1, beta);
                } else {
                    for (int j = 0; j < m; j++) {
                        backend.bmm(new View(dy.storage(), new int[] {G, og, pc}, new int[] {og * P, P, 1},
                                        yo + j * OC * P),
                                new View(cs, new int[] {G, pc, cgk}, new int[] {cgk * pc, 1, pc}, cb + j * ck * pc),
                                new View(ps, new int[] {G, og, cgk}, new int[] {og * cgk, cgk, 1}, po + j * W), 1,
                                beta);
                    }
                }
            }
            if (!single) {
                View products = new View(part, new int[] {m, W}, new int[] {W, 1}, 0);
                if (n0 == 0) {
                    backend.reduce(Op.SUM, products, new int[] {0}, rowOf(target), 0);
                } else {
                    View s = View.contiguous(sum, new int[] {1, W});
                    backend.reduce(Op.SUM, products, new int[] {0}, s, 0);
                    backend.binary(Op.ADD, rowOf(target), s, rowOf(target), 1);
                }
            }
        }
        fence(col, part, sum);
    }

    /** A 1-d view as a [1, n] row. */
    private static View rowOf(View v) {
        return new View(v.storage(), new int[] {1, v.size(0)}, new int[] {v.size(0), 1}, v.storageOffset());
    }
}
