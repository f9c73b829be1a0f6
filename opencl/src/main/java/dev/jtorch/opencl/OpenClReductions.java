package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OpenClBackend#reduce}, {@link OpenClBackend#softmax} and {@link OpenClBackend#index} on the device: the
 * dispatch over {@link ReduceSource}'s and {@link IndexSource}'s generated row and work-group kernels (the layout
 * of the reduced dims, the copy fallback, the two-stage path for few very long rows).
 */
final class OpenClReductions {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClReductions(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    void reduce(Op op, View x, int[] dims, View out, double p) {
        if (op.kind() != Op.Kind.REDUCE) {
            throw new IllegalArgumentException(op + " is not a reduction");
        }
        if (out.intNumel() == 0) {
            return;
        }
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sx = backend.checked(x, "the input");
        boolean exact = OpenClBackend.exact(x.dtype()) && ReduceSource.exact(op);
        CType c = exact ? CType.LONG : out.dtype() == DType.FLOAT64 ? backend.floating(x, out) : backend.floating(x);
        int inner = 1;
        for (int d : dims) {
            inner *= x.shape()[d];
        }
        if (inner == 0) {
            // every output reduces no element: its value is the op's value over an empty row (0 for a sum, 1 for
            // a product, -inf for logsumexp, ...), taken from the CPU backend's definition so the two agree
            backend.fill(out, emptyRow(op, out.dtype(), p));
            return;
        }
        int rs = inner == 0 ? 0 : ReduceSource.runStride(x, dims);
        View xv = x;
        OpenClStorage tmp = null;
        if (rs == ReduceSource.NO_RUN) {
            // the reduced dims do not form one strided run: copy x with them last, contiguous
            int[] perm = ReduceSource.reducedLast(x.dim(), dims);
            int[] shape = new int[perm.length];
            int[] stride = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                shape[i] = x.shape()[perm[i]];
                stride[i] = x.stride()[perm[i]];
            }
            tmp = (OpenClStorage) backend.allocate(x.dtype(), x.intNumel());
            backend.copy(new View(x.storage(), shape, stride, x.storageOffset()), View.contiguous(tmp, shape));
            int[] cs = View.contiguousStrides(shape);
            int[] back = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                back[perm[i]] = cs[i];
            }
            xv = new View(tmp, x.shape(), back, 0);
            rs = 1;
        }
        DType in = x.dtype();
        DType ot = out.dtype();
        Geometry g = Geometry.of(out.shape(), out, xv);
        BufferPool.Block[] blocks = {so.block(), (tmp != null ? tmp : sx).block()};
        int outer = out.intNumel();
        if (inner >= 4 * ReduceSource.CHUNK && outer < 64 && ReduceSource.chunked(op) && out.isContiguous()) {
            // few very long rows: a work-group per chunk of a row writes a partial result, then the partials of
            // each row are reduced by the same op
            int nchunk = (inner + ReduceSource.CHUNK - 1) / ReduceSource.CHUNK;
            DType pt = c == CType.LONG ? DType.INT64 : c == CType.DOUBLE ? DType.FLOAT64 : DType.FLOAT32;
            OpenClStorage part = (OpenClStorage) backend.allocate(pt, outer * nchunk);
            int[] ps = View.contiguousStrides(out.shape());
            for (int i = 0; i < ps.length; i++) {
                ps[i] *= nchunk;
            }
            ClDevice.Program prog = backend.program("group reduce " + op + " " + in + " " + pt + " " + c,
                    () -> ReduceSource.reduceGroup(op, in, pt, c));
            backend.runGroups(prog, op.name(), Geometry.of(out.shape(), new View(part, out.shape(), ps, 0), xv), nchunk,
                    new BufferPool.Block[] {part.block(), blocks[1]}, inner, rs, OpenClBackend.scalar(c, p), nchunk,
                    ReduceSource.CHUNK);
            reduce(op, new View(part, new int[] {outer, nchunk}, new int[] {nchunk, 1}, 0), new int[] {1},
                    new View(out.storage(), new int[] {outer, 1}, new int[] {1, 1}, out.storageOffset()), p);
            Reference.reachabilityFence(part);
        } else if (inner >= ReduceSource.GROUP_ROW) {
            // long rows: a work-group per row
            ClDevice.Program prog = backend.program("group reduce " + op + " " + in + " " + ot + " " + c,
                    () -> ReduceSource.reduceGroup(op, in, ot, c));
            backend.runGroups(prog, op.name(), g, 1, blocks, inner, rs, OpenClBackend.scalar(c, p), 1, inner);
        } else {
            ClDevice.Program prog = backend.program("reduce " + op + " " + in + " " + ot + " " + c,
                    () -> ReduceSource.reduce(op, in, ot, c));
            backend.run(prog, op.name(), g, blocks, inner, rs, OpenClBackend.scalar(c, p));
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sx);
        Reference.reachabilityFence(tmp);
    }

    private static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return View.intCount(n, shape);
    }

    void softmax(Op op, View x, View dy, int dim, View out) {
        if (op.kind() != Op.Kind.SOFTMAX) {
            throw new IllegalArgumentException(op + " is not a softmax op");
        }
        if (out.intNumel() == 0) {
            return;
        }
        View g = dy == null ? x : dy;
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sx = backend.checked(x, "the input");
        OpenClStorage sg = backend.checked(g, "the gradient");
        CType c = x.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32 || !dev.fp64 ? CType.FLOAT
                : CType.DOUBLE;
        int nd = x.dim();
        int[] rows = x.shape().clone();
        int cols = 1;
        if (nd > 0) {
            cols = rows[dim];
            rows[dim] = 1;
        }
        int xs = nd == 0 ? 0 : x.stride()[dim];
        int gs = nd == 0 ? 0 : g.stride()[dim];
        int ys = nd == 0 ? 0 : out.stride()[dim];
        DType in = x.dtype();
        DType gt = g.dtype();
        DType ot = out.dtype();
        Geometry geo = Geometry.of(rows, out, x, g);
        BufferPool.Block[] blocks = {so.block(), sx.block(), sg.block()};
        if (cols >= ReduceSource.GROUP_ROW) {
            ClDevice.Program prog = backend.program("group softmax " + op + " " + in + " " + gt + " " + ot + " " + c,
                    () -> ReduceSource.softmaxGroup(op, in, gt, ot, c));
            backend.runGroups(prog, op.name(), geo, 1, blocks, cols, xs, gs, ys);
        } else {
            ClDevice.Program prog = backend.program("softmax " + op + " " + in + " " + gt + " " + ot + " " + c,
                    () -> ReduceSource.softmax(op, in, gt, ot, c));
            backend.run(prog, op.name(), geo, blocks, cols, xs, gs, ys);
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sx);
        Reference.reachabilityFence(sg);
    }

    void index(Op op, View self, int dim, View index, View src, View out) {
        if (op.kind() != Op.Kind.INDEX) {
            throw new IllegalArgumentException(op + " is not an index op");
        }
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + " takes int64 indices, not " + index.dtype());
        }
        View from = op == Op.INDEX_SELECT || op == Op.GATHER ? self : src;
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sf = backend.checked(from, op == Op.INDEX_SELECT || op == Op.GATHER ? "the input" : "the source");
        OpenClStorage si = backend.checked(index, "the index");
        DType ft = from.dtype();
        DType ot = out.dtype();
        CType c = OpenClBackend.exact(ot) ? CType.LONG : backend.floating(from, out);
        // the 1-d index of INDEX_SELECT and INDEX_ADD as a view of the other operand's shape, stride 0 off dim
        int[] lineShape = (op == Op.INDEX_SELECT ? out : from).shape();
        int[] lineStride = new int[lineShape.length];
        if (lineShape.length > 0) {
            lineStride[dim] = index.dim() == 0 ? 0 : index.stride()[0];
        }
        View line = new View(index.storage(), lineShape, lineStride, index.storageOffset());
        BufferPool.Block[] blocks = {so.block(), sf.block(), si.block()};
        int fd = from.dim() == 0 ? 0 : from.stride()[dim];
        int od = out.dim() == 0 ? 0 : out.stride()[dim];
        switch (op) {
            case INDEX_SELECT, GATHER -> {
                View idx = op == Op.GATHER ? index : line;
                int[] shape = idx.shape();
                if (numel(shape) == 0) {
                    return;
                }
                int[] fs = from.stride().clone();
                if (fs.length > 0) {
                    fs[dim] = 0;
                }
                View f = new View(from.storage(), from.shape(), fs, from.storageOffset());
                ClDevice.Program prog = backend.program("gather " + ft + " " + ot + " " + c,
                        () -> IndexSource.gather(ft, ot, c));
                backend.run(prog, "GATHER", Geometry.of(shape, out, f, idx), blocks, fd);
            }
            case SCATTER, SCATTER_ADD, INDEX_ADD -> {
                View idx = op == Op.INDEX_ADD ? line : index;
                int[] shape = idx.shape().clone();
                int n = 1;
                int is = 0;
                if (shape.length > 0) {
                    n = shape[dim];
                    is = idx.stride()[dim];
                    shape[dim] = 1;
                }
                if (n == 0 || numel(shape) == 0) {
                    return;
                }
                boolean add = op != Op.SCATTER;
                ClDevice.Program prog = backend.program("scatter " + add + " " + ft + " " + ot + " " + c,
                        () -> IndexSource.scatter(add, ft, ot, c));
                backend.run(prog, add ? "SCATTER_ADD" : "SCATTER", Geometry.of(shape, out, from, idx), blocks, n, od, fd,
                        is);
            }
            default -> throw new IllegalArgumentException(op + " is not an index op");
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sf);
        Reference.reachabilityFence(si);
    }

    /** The CPU backend's result of {@code op} over a row of no elements, as out's dtype would hold it. */
    private static double emptyRow(Op op, DType dtype, double p) {
        Backend cpu = CpuBackend.INSTANCE;
        View empty = View.contiguous(cpu.allocate(dtype == DType.BOOL || dtype == DType.INT64 ? DType.INT64
                : DType.FLOAT64, 0), new int[] {0});
        View one = View.contiguous(cpu.allocate(dtype, 1), new int[] {1});
        cpu.reduce(op, empty, new int[] {0}, new View(one.storage(), new int[0], new int[0], 0), p);
        Object v = cpu.toHost(one.storage(), 0, 1);
        return switch (v) {
            case float[] f -> f[0];
            case double[] d -> d[0];
            case long[] l -> l[0];
            case boolean[] b -> b[0] ? 1 : 0;
            case short[] h -> dtype == DType.FLOAT16 ? Float.float16ToFloat(h[0])
                    : Float.intBitsToFloat(h[0] << 16);
            default -> throw new IllegalStateException("host array " + v.getClass());
        };
    }
}
