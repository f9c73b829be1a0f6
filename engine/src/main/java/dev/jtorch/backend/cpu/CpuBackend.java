package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.Storage;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.kernels.PoolWindows;

/**
 * The CPU backend: contiguous float32/float64 operands go straight to the SIMD kernels of dev.jtorch.kernels;
 * everything else (strided views, broadcasts, other dtypes) runs row by row through double (or exact int64)
 * buffers with the scalar definitions of {@link CpuMath}. Each entry point takes the element count of what it
 * runs over through {@link dev.jtorch.backend.View#intNumel()}, which refuses a view past 2^31 - 1 elements
 * (an expand) with jtorch's limit named instead of wrapping the count.
 */
public final class CpuBackend implements Backend {
    /** The one CPU backend. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    static final int CHUNK = 1024;

    private CpuBackend() {
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Storage allocate(DType dtype, int numel) {
        return CpuStorage.allocate(dtype, numel);
    }

    @Override
    public Storage fromHost(Object array, DType dtype) {
        Object copy = switch (array) {
            case float[] a when dtype == DType.FLOAT32 -> a.clone();
            case double[] a when dtype == DType.FLOAT64 -> a.clone();
            case long[] a when dtype == DType.INT64 -> a.clone();
            case boolean[] a when dtype == DType.BOOL -> a.clone();
            case short[] a when dtype == DType.FLOAT16 || dtype == DType.BFLOAT16 -> a.clone();
            default -> throw new IllegalArgumentException("a " + array.getClass().getSimpleName()
                    + " cannot hold " + dtype);
        };
        return new CpuStorage(dtype, copy, java.lang.reflect.Array.getLength(copy));
    }

    /** Wraps a host array without copying (the caller gives up the array). */
    public static Storage wrap(Object array, DType dtype) {
        return new CpuStorage(dtype, array, java.lang.reflect.Array.getLength(array));
    }

    @Override
    public Object toHost(Storage storage, int offset, int length) {
        CpuStorage s = (CpuStorage) storage;
        Object out = java.lang.reflect.Array.newInstance(s.array.getClass().getComponentType(), length);
        if (length > 0) {
            System.arraycopy(s.array, offset, out, 0, length);
        }
        return out;
    }

    static CpuStorage st(View t) {
        return (CpuStorage) t.storage();
    }

    static boolean exact(DType t) {
        return t == DType.INT64 || t == DType.BOOL;
    }

    @Override
    public void unary(Op op, View x, View out, double p0, double p1) {
        int count = out.intNumel();
        if (count == 0) {
            return; // an empty view may start past the end of its storage: nothing to touch
        }
        DType dt = out.dtype();
        boolean kernel = (dt == DType.FLOAT32 || dt == DType.FLOAT64) && x.dtype() == dt && hasUnaryKernel(op);
        if (kernel && x.isContiguous() && out.isContiguous()) {
            int xo = x.storageOffset();
            int oo = out.storageOffset();
            ranges(count, shifted(x, out), (lo, len) -> unaryKernel(op, st(x), xo + lo, st(out), oo + lo, len, p0,
                    p1));
            return;
        }
        boolean exact = exact(dt) && exact(x.dtype());
        int buf = Math.min(CHUNK, count);
        CpuStorage xs = st(x);
        CpuStorage os = st(out);
        if (exact) {
            long[] b = new long[buf];
            Strided.rows(out.shape(), new View[] {out, x}, (o, s, n) -> {
                for (int i = 0; i < n; i += CHUNK) {
                    int len = Math.min(CHUNK, n - i);
                    xs.readLong(o[1] + i * s[1], s[1], b, len);
                    CpuMath.unaryLong(op, b, len, p0, p1);
                    os.writeLong(o[0] + i * s[0], s[0], b, len);
                }
            });
        } else {
            double[] b = new double[buf];
            Strided.rows(out.shape(), new View[] {out, x}, (o, s, n) -> {
                if (kernel && s[0] == 1 && s[1] == 1) {
                    unaryKernel(op, xs, o[1], os, o[0], n, p0, p1);
                    return;
                }
                for (int i = 0; i < n; i += CHUNK) {
                    int len = Math.min(CHUNK, n - i);
                    xs.read(o[1] + i * s[1], s[1], b, len);
                    CpuMath.unary(op, b, len, p0, p1);
                    os.write(o[0] + i * s[0], s[0], b, len);
                }
            });
        }
    }

    private static boolean hasUnaryKernel(Op op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID, RELU, GELU, GELU_TANH, SOFTPLUS, NEG -> true;
            default -> false;
        };
    }

    /** Elements below which a dense elementwise op runs on one thread (a quarter of a million). */
    static final int PARALLEL_ELEMENTS = 1 << 18;

    /** A range [lo, lo + len) of a dense elementwise op. */
    @FunctionalInterface
    private interface Range {
        void run(int lo, int len);
    }

    /**
     * Runs a dense elementwise op of {@code count} elements as one range, or, from {@link #PARALLEL_ELEMENTS} on
     * with several kernel threads and no input overlapping the output at a shift, as ranges (multiples of 64
     * elements) over the threads: every element is computed alone, so the result does not depend on the split.
     */
    private static void ranges(int count, boolean overlap, Range body) {
        int tasks = overlap ? 1 : Math.min(Kernels.threads(), count / (PARALLEL_ELEMENTS / 2));
        if (tasks <= 1) {
            body.run(0, count);
            return;
        }
        Kernels.parallelFor(tasks, Long.MAX_VALUE / tasks, task -> {
            int lo = (int) ((long) count * task / tasks) & ~63;
            int hi = task == tasks - 1 ? count : (int) ((long) count * (task + 1) / tasks) & ~63;
            body.run(lo, hi - lo);
        });
    }

    /**
     * Whether an input shares the output's storage at another offset: ranges split over threads would then read
     * what another thread writes (PyTorch refuses such partly overlapping in-place ops; here they run as one
     * range, in order, as before the split).
     */
    private static boolean shifted(View in, View out) {
        return in.storage() == out.storage() && in.storageOffset() != out.storageOffset();
    }

    /** A dense run of n elements through the activation kernels (an op with {@link #hasUnaryKernel}). */
    private static void unaryKernel(Op op, CpuStorage xs, int xo, CpuStorage ys, int yo, int n, double p0,
                                    double p1) {
        if (ys.f != null) {
            DenseKernels.unary(op, xs.f, xo, ys.f, yo, n, p0, p1);
        } else {
            DenseKernels.unary(op, xs.d, xo, ys.d, yo, n, p0, p1);
        }
    }

    private static boolean comparison(Op op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
            default -> false;
        };
    }

    @Override
    public void binary(Op op, View a, View b, View out, double alpha) {
        int count = out.intNumel();
        if (count == 0) {
            return;
        }
        DType dt = out.dtype();
        if ((dt == DType.FLOAT32 || dt == DType.FLOAT64) && a.dtype() == dt && b.dtype() == dt) {
            boolean alias = a.storage() == out.storage() && a.storageOffset() == out.storageOffset()
                    && java.util.Arrays.equals(a.stride(), out.stride());
            boolean bScalar = isBroadcastScalar(b);
            if (out.isContiguous() && a.isContiguous() && (b.isContiguous() || bScalar)
                    && rowKernelSupported(op, alpha, bScalar, alias)) {
                int ao = a.storageOffset();
                int bo = b.storageOffset();
                int oo = out.storageOffset();
                ranges(count, shifted(a, out) || !bScalar && shifted(b, out), (lo, len) -> rowKernel(op, st(a),
                        ao + lo, st(b), bScalar ? bo : bo + lo, bScalar, st(out), oo + lo, len, alpha));
                return;
            }
            if (!a.isContiguous() && java.util.Arrays.equals(a.stride(), b.stride())
                    && java.util.Arrays.equals(a.shape(), b.shape()) && Transposes.dense(a)) {
                // both operands in one dense non-row-major layout (a weight's gradient, a transposed view): the
                // elements pair up position by position in memory, so the row kernel runs over it flat
                if (java.util.Arrays.equals(out.stride(), a.stride()) && rowKernelSupported(op, alpha, false, alias)) {
                    rowKernel(op, st(a), a.storageOffset(), st(b), b.storageOffset(), false, st(out),
                            out.storageOffset(), count, alpha);
                    return;
                }
                if (out.isContiguous() && rowKernelSupported(op, alpha, false, false)) {
                    CpuStorage tmp = CpuStorage.allocate(dt, count);
                    rowKernel(op, st(a), a.storageOffset(), st(b), b.storageOffset(), false, tmp, 0, count, alpha);
                    copy(new View(tmp, out.shape(), a.stride(), 0), out);
                    return;
                }
            }
            if (rowKernelSupported(op, alpha, false, alias) || rowKernelSupported(op, alpha, true, alias)) {
                // broadcasts and strided views whose innermost rows are dense (bias adds, row scaling)
                CpuStorage as = st(a);
                CpuStorage bs = st(b);
                CpuStorage os = st(out);
                int buf = Math.min(CHUNK, count);
                double[] x = new double[buf];
                double[] y = new double[buf];
                Strided.rows(out.shape(), new View[] {out, a, b}, (o, s, n) -> {
                    boolean dense = s[0] == 1 && s[1] == 1;
                    if (dense && s[2] == 1 && rowKernelSupported(op, alpha, false, alias)) {
                        rowKernel(op, as, o[1], bs, o[2], false, os, o[0], n, alpha);
                    } else if (dense && s[2] == 0 && rowKernelSupported(op, alpha, true, alias)) {
                        rowKernel(op, as, o[1], bs, o[2], true, os, o[0], n, alpha);
                    } else {
                        genericRow(op, as, bs, os, o, s, n, x, y, alpha);
                    }
                });
                return;
            }
        }
        boolean exact = comparison(op) ? exact(a.dtype()) && exact(b.dtype()) : exact(dt);
        int buf = Math.min(CHUNK, count);
        CpuStorage as = st(a);
        CpuStorage bs = st(b);
        CpuStorage os = st(out);
        if (exact) {
            long[] x = new long[buf];
            long[] y = new long[buf];
            long al = (long) alpha;
            Strided.rows(out.shape(), new View[] {out, a, b}, (o, s, n) -> {
                for (int i = 0; i < n; i += CHUNK) {
                    int len = Math.min(CHUNK, n - i);
                    as.readLong(o[1] + i * s[1], s[1], x, len);
                    bs.readLong(o[2] + i * s[2], s[2], y, len);
                    CpuMath.binaryLong(op, x, y, len, al);
                    os.writeLong(o[0] + i * s[0], s[0], x, len);
                }
            });
        } else {
            double[] x = new double[buf];
            double[] y = new double[buf];
            Strided.rows(out.shape(), new View[] {out, a, b},
                    (o, s, n) -> genericRow(op, as, bs, os, o, s, n, x, y, alpha));
        }
    }

    private static void genericRow(Op op, CpuStorage as, CpuStorage bs, CpuStorage os, int[] o, int[] s, int n,
                                   double[] x, double[] y, double alpha) {
        for (int i = 0; i < n; i += CHUNK) {
            int len = Math.min(CHUNK, n - i);
            as.read(o[1] + i * s[1], s[1], x, len);
            bs.read(o[2] + i * s[2], s[2], y, len);
            CpuMath.binary(op, x, y, len, alpha);
            os.write(o[0] + i * s[0], s[0], x, len);
        }
    }

    /** Ops with a dense-row kernel: against a dense row of b, or against one scalar of b. */
    private static boolean rowKernelSupported(Op op, double alpha, boolean bScalar, boolean alias) {
        if (bScalar) {
            return op == Op.ADD || op == Op.SUB || op == Op.MUL || op == Op.DIV;
        }
        return switch (op) {
            case ADD -> alpha == 1 || alias;
            case SUB -> alpha == 1;
            case MUL, DIV, SIGMOID_BACKWARD, TANH_BACKWARD, GELU_BACKWARD, GELU_TANH_BACKWARD -> true;
            default -> false;
        };
    }

    /** One dense row (or the whole contiguous tensor) through the kernels; a supported op is assumed. */
    private static void rowKernel(Op op, CpuStorage as, int ao, CpuStorage bs, int bo, boolean bScalar,
                                  CpuStorage os, int yo, int n, double alpha) {
        if (os.f != null) {
            DenseKernels.binary(op, as.f, ao, bs.f, bo, bScalar, os.f, yo, n, alpha);
        } else {
            DenseKernels.binary(op, as.d, ao, bs.d, bo, bScalar, os.d, yo, n, alpha);
        }
    }

    private static boolean isBroadcastScalar(View t) {
        for (int s : t.stride()) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        out.intNumel(); // refuses a count past the limit
        CpuStorage cs = st(cond);
        CpuStorage as = st(a);
        CpuStorage bs = st(b);
        CpuStorage os = st(out);
        boolean exact = exact(out.dtype());
        Strided.rows(out.shape(), new View[] {out, cond, a, b}, (o, s, n) -> {
            for (int i = 0; i < n; i++) {
                boolean c = cs.getLong(o[1] + i * s[1]) != 0;
                if (exact) {
                    os.setLong(o[0] + i * s[0], c ? as.getLong(o[2] + i * s[2]) : bs.getLong(o[3] + i * s[3]));
                } else {
                    os.set(o[0] + i * s[0], c ? as.get(o[2] + i * s[2]) : bs.get(o[3] + i * s[3]));
                }
            }
        });
    }

    @Override
    public void reduce(Op op, View x, int[] dims, View out, double p) {
        x.intNumel(); // every element is read: an expanded view past the limit is refused here, not wrapped
        CpuReduce.reduce(op, x, dims, out, p);
    }

    @Override
    public void softmax(Op op, View x, View dy, int dim, View out) {
        x.intNumel(); // refuses a count past the limit
        CpuReduce.softmax(op, x, dy, dim, out);
    }

    @Override
    public void bmm(View a, View b, View out, double alpha, double beta) {
        a.intNumel(); // refuse counts past the limit
        b.intNumel();
        CpuMatmul.bmm(a, b, out, alpha, beta);
    }

    @Override
    public void bmmConstantB(View a, View b, View out, double alpha, double beta) {
        a.intNumel();
        b.intNumel();
        CpuMatmul.bmmConstantB(a, b, out, alpha, beta);
    }

    @Override
    public void index(Op op, View self, int dim, View index, View src, View out) {
        CpuIndex.index(op, self, dim, index, src, out);
    }

    @Override
    public void copy(View src, View dst) {
        int count = dst.intNumel();
        if (count == 0) {
            return;
        }
        CpuStorage ss = st(src);
        CpuStorage ds = st(dst);
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            System.arraycopy(ss.array, src.storageOffset(), ds.array, dst.storageOffset(), count);
            return;
        }
        if (Transposes.copy(src, dst)) {
            return;   // a transposed view into a contiguous one: in tiles
        }
        int buf = Math.min(CHUNK, count);
        if (exact(src.dtype()) && exact(dst.dtype())) {
            long[] b = new long[buf];
            Strided.rows(dst.shape(), new View[] {dst, src}, (o, s, n) -> {
                for (int i = 0; i < n; i += CHUNK) {
                    int len = Math.min(CHUNK, n - i);
                    ss.readLong(o[1] + i * s[1], s[1], b, len);
                    ds.writeLong(o[0] + i * s[0], s[0], b, len);
                }
            });
        } else {
            double[] b = new double[buf];
            Strided.rows(dst.shape(), new View[] {dst, src}, (o, s, n) -> {
                for (int i = 0; i < n; i += CHUNK) {
                    int len = Math.min(CHUNK, n - i);
                    ss.read(o[1] + i * s[1], s[1], b, len);
                    ds.write(o[0] + i * s[0], s[0], b, len);
                }
            });
        }
    }

    @Override
    public void fill(View dst, double value) {
        int count = dst.intNumel();
        if (count == 0) {
            return;
        }
        CpuStorage ds = st(dst);
        if (dst.isContiguous()) {
            int o = dst.storageOffset();
            int n = count;
            switch (dst.dtype()) {
                case FLOAT32 -> java.util.Arrays.fill(ds.f, o, o + n, (float) value);
                case FLOAT64 -> java.util.Arrays.fill(ds.d, o, o + n, value);
                case INT64 -> java.util.Arrays.fill(ds.l, o, o + n, (long) value);
                case BOOL -> java.util.Arrays.fill(ds.b, o, o + n, value != 0);
                case FLOAT16 -> java.util.Arrays.fill(ds.h, o, o + n, Float.floatToFloat16((float) value));
                case BFLOAT16 -> java.util.Arrays.fill(ds.h, o, o + n, CpuStorage.floatToBf16((float) value));
            }
            return;
        }
        Strided.rows(dst.shape(), new View[] {dst}, (o, s, n) -> {
            for (int i = 0; i < n; i++) {
                ds.set(o[0] + i * s[0], value);
            }
        });
    }

    @Override
    public void conv(Op op, View a, View b, View bias, View out, ConvGeometry g) {
        CpuNN.conv(op, a, b, bias, out, g);
    }

    @Override
    public void pool(Op op, View x, View indices, View out, PoolWindows w) {
        CpuNN.pool(op, x, indices, out, w);
    }

    @Override
    public void norm(Op op, View[] in, View[] out, NormShape shape) {
        CpuNN.norm(op, in, out, shape);
    }

    @Override
    public void embeddingBag(View weight, View indices, View offsets, View perSampleWeights, int mode,
                             long paddingIdx, View out, View bagOf, View bagSize, View maxArg) {
        CpuNN.embeddingBag(weight, indices, offsets, perSampleWeights, mode, paddingIdx, out, bagOf, bagSize, maxArg);
    }

    @Override
    public void ctc(Op op, View logProbs, View targets, long[] inputLengths, long[] targetLengths,
                    int[] targetOffsets, int blank, View nll, View alpha, View gradOut, View grad) {
        CpuCtc.run(op, logProbs, targets, inputLengths, targetLengths, targetOffsets, blank, nll, alpha, gradOut,
                grad);
    }

    @Override
    public int rnnReserveSize(RnnLayer layer) {
        return CpuRnn.reserveSize(layer);
    }

    @Override
    public void rnn(Op op, RnnLayer layer, View[] in, View[] out) {
        switch (op) {
            case RNN_LAYER_FORWARD -> CpuRnn.forward(layer, in, out);
            case RNN_LAYER_BACKWARD -> CpuRnn.backward(layer, in, out);
            default -> throw new IllegalArgumentException(op + " is not a recurrent layer op");
        }
    }

    @Override
    public void sort(View x, int dim, boolean descending, View values, View indices) {
        CpuSort.sort(x, dim, descending, values, indices);
    }

    @Override
    public void scan(Op op, View x, int dim, boolean reverse, View out) {
        CpuSort.scan(op, x, dim, reverse, out);
    }

    @Override
    public void attention(Op op, AttentionShape shape, View[] in, View[] out) {
        shape.check(op, in, out);
        switch (op) {
            case ATTENTION -> CpuAttention.forward(shape, in, out);
            case ATTENTION_BACKWARD -> CpuAttention.backward(shape, in, out);
            default -> throw new IllegalArgumentException(op + " is not an attention op");
        }
    }
}
