package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuStorage;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.PoolWindows;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The backend of one OpenCL device: storages in device buffers ({@link OpenClStorage}, from a caching
 * allocator), host copies, and the elementwise ops as kernels generated from one table ({@link OpTable}, compiled
 * per device and cached in memory and on disk).
 *
 * <p><b>Implemented:</b> {@link #allocate} (zero-filled), {@link #fromHost} and {@link #toHost} for every dtype,
 * {@link #copy} (any strides, dtype conversion) and {@link #fill}, and every op of kind UNARY, BINARY and TERNARY
 * ({@link #unary}, {@link #binary}, {@link #where}) over strided and broadcast (stride-0) views, and the batched
 * matrix product {@link #bmm} (a register-blocked GEMM tiled in local memory, {@code GemmSource}: any strides of
 * the operands, a broadcast batch, alpha and beta; float16/bfloat16 through float32, int64 exactly). Results follow
 * the CPU backend: float32 (and float16/bfloat16, stored as their bits) compute in float, float64 and mixes with
 * int64 in double (where the device has cl_khr_fp64), int64 exactly (wrapping as Java's long, floor division, a
 * zero divisor raising ArithmeticException), comparisons write bool. float64 tensors need cl_khr_fp64; on a device
 * without it, allocating one fails with a message saying so.
 *
 * <p><b>Not yet implemented</b> (each throws UnsupportedOperationException "&lt;op&gt; is not yet implemented by
 * the OpenCL backend"): {@link #reduce}, {@link #softmax}, {@link #index}, {@link #conv},
 * {@link #pool}, {@link #norm}, {@link #embeddingBag}, {@link #ctc} and {@link #rnn}. Move such work to the
 * CPU with {@code tensor.cpu()}.
 *
 * <p>Commands run on the device's one in-order queue and are not waited for, except where the host needs their
 * result ({@link #toHost}, an int64 division's zero check). Every view is checked against its storage before
 * anything is enqueued, so a bad offset or stride is an exception, never a device fault.
 */
public final class OpenClBackend implements Backend {
    /** Host staging for copies in and out is done in pieces of this many bytes. */
    private static final long CHUNK = 16 << 20;

    private final ClDevice dev;
    private final Device device;
    private final Map<String, ClDevice.Program> programs = new ConcurrentHashMap<>();
    private volatile BufferPool.Block errorFlag;
    /** The tiles each GEMM program (by its key with the configured tiles) runs with on this device. */
    private final Map<String, GemmSource.Tiles> gemmTiles = new ConcurrentHashMap<>();

    OpenClBackend(ClDevice dev) {
        this.dev = dev;
        this.device = Device.opencl(dev.index);
        dev.open();
    }

    ClDevice clDevice() {
        return dev;
    }

    @Override
    public Device device() {
        return device;
    }

    /** A line naming the device: name, kind, platform, driver, memory, float64 support. */
    public String describe() {
        return dev.describe();
    }

    /** Whether float64 tensors can live on this device (cl_khr_fp64). */
    public boolean supportsFloat64() {
        return dev.fp64;
    }

    /** Bytes held by this device's live storages (PyTorch's {@code torch.cuda.memory_allocated}). */
    public long memoryAllocated() {
        return dev.pool().inUse();
    }

    /** Bytes held by the caching allocator, live and cached ({@code torch.cuda.memory_reserved}). */
    public long memoryReserved() {
        BufferPool p = dev.pool();
        return p.inUse() + p.cached();
    }

    /** Returns the cached, unused device buffers to the driver ({@code torch.cuda.empty_cache}). */
    public void emptyCache() {
        dev.pool().emptyCache();
    }

    /** Waits until every command enqueued on this device has finished ({@code torch.cuda.synchronize}). */
    public void synchronize() {
        dev.finish();
    }

    // ---------------------------------------------------------------- storage

    private void checkDtype(DType dtype) {
        if (dtype == DType.FLOAT64 && !dev.fp64) {
            throw new UnsupportedOperationException("OpenCL device " + dev.label() + " has no double precision "
                    + "(cl_khr_fp64), so float64 tensors cannot live on it: use float32");
        }
    }

    @Override
    public Storage allocate(DType dtype, int numel) {
        checkDtype(dtype);
        if (numel < 0) {
            throw new IllegalArgumentException("negative element count " + numel);
        }
        if (numel == 0) {
            return OpenClStorage.create(this, dtype, 0, null);
        }
        long bytes = (long) numel * dtype.itemSize();
        BufferPool.Block b = dev.pool().acquire(bytes);
        try {
            zero(b, bytes);
        } catch (OpenClException e) {
            // a driver that allocates lazily reports exhaustion at the first use
            dev.pool().destroy(b);
            if (!BufferPool.outOfMemoryCode(e.code())) {
                throw e;
            }
            dev.pool().emptyCache();
            b = dev.pool().acquire(bytes);
            try {
                zero(b, bytes);
            } catch (OpenClException again) {
                dev.pool().destroy(b);
                throw BufferPool.outOfMemoryCode(again.code()) ? dev.pool().outOfMemory(bytes, again) : again;
            }
        }
        return OpenClStorage.create(this, dtype, numel, b);
    }

    private void zero(BufferPool.Block b, long bytes) {
        fillBytes(b, 0, bytes, bytes % 4 == 0 ? new byte[4] : new byte[1]);
    }

    /** clEnqueueFillBuffer of {@code pattern} over {@code [offset, offset + bytes)}. */
    private void fillBytes(BufferPool.Block b, long offset, long bytes, byte[] pattern) {
        dev.lock.lock();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(JAVA_BYTE, pattern);
            int code = CL.enqueueFillBuffer(dev.queue(), b.mem(), p, pattern.length, offset, bytes);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueFillBuffer", code, bytes + " bytes on " + dev.label());
            }
        } finally {
            dev.lock.unlock();
        }
    }

    @Override
    public Storage fromHost(Object array, DType dtype) {
        boolean fits = switch (array) {
            case float[] _ -> dtype == DType.FLOAT32;
            case double[] _ -> dtype == DType.FLOAT64;
            case long[] _ -> dtype == DType.INT64;
            case boolean[] _ -> dtype == DType.BOOL;
            case short[] _ -> dtype == DType.FLOAT16 || dtype == DType.BFLOAT16;
            default -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + array.getClass().getSimpleName() + " cannot hold " + dtype);
        }
        checkDtype(dtype);
        int n = java.lang.reflect.Array.getLength(array);
        if (n == 0) {
            return OpenClStorage.create(this, dtype, 0, null);
        }
        int item = dtype.itemSize();
        BufferPool.Block b = dev.pool().acquire((long) n * item);
        OpenClStorage s = OpenClStorage.create(this, dtype, n, b);
        int per = (int) (CHUNK / item);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment staging = a.allocate(Math.min(CHUNK, (long) n * item));
            for (long at = 0; at < n; at += per) { // long: at + per may pass 2^31
                int i = (int) at;
                int len = (int) Math.min(per, n - at);
                if (array instanceof boolean[] z) {
                    for (int j = 0; j < len; j++) {
                        staging.set(JAVA_BYTE, j, z[i + j] ? (byte) 1 : (byte) 0);
                    }
                } else {
                    MemorySegment.copy(heapSegment(array), at * item, staging, 0, (long) len * item);
                }
                write(b, at * item, (long) len * item, staging);
            }
        } catch (OpenClException e) {
            // a driver that allocates lazily reports exhaustion at the first write
            throw BufferPool.outOfMemoryCode(e.code()) ? dev.pool().outOfMemory((long) n * item, e) : e;
        }
        return s;
    }

    /** The array as one MemorySegment.ofArray accepts. */
    private static MemorySegment heapSegment(Object array) {
        return switch (array) {
            case float[] x -> MemorySegment.ofArray(x);
            case double[] x -> MemorySegment.ofArray(x);
            case long[] x -> MemorySegment.ofArray(x);
            case short[] x -> MemorySegment.ofArray(x);
            default -> throw new IllegalArgumentException(array.getClass().getSimpleName());
        };
    }

    private void write(BufferPool.Block b, long offset, long bytes, MemorySegment host) {
        dev.lock.lock();
        try {
            int code = CL.enqueueWriteBuffer(dev.queue(), b.mem(), true, offset, bytes, host);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueWriteBuffer", code, bytes + " bytes to " + dev.label());
            }
        } finally {
            dev.lock.unlock();
        }
    }

    private void read(BufferPool.Block b, long offset, long bytes, MemorySegment host) {
        dev.lock.lock();
        try {
            int code = CL.enqueueReadBuffer(dev.queue(), b.mem(), true, offset, bytes, host);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueReadBuffer", code, bytes + " bytes from " + dev.label());
            }
        } finally {
            dev.lock.unlock();
        }
    }

    @Override
    public Object toHost(Storage storage, int offset, int length) {
        OpenClStorage s = own(storage, "the storage to read");
        if (offset < 0 || length < 0 || (long) offset + length > s.size()) {
            throw new IndexOutOfBoundsException("elements [" + offset + ", " + ((long) offset + length)
                    + ") are outside a storage of " + s.size());
        }
        DType dt = s.dtype();
        Object out = switch (dt) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT64 -> new long[length];
            case BOOL -> new boolean[length];
            case FLOAT16, BFLOAT16 -> new short[length];
        };
        if (length == 0) {
            return out;
        }
        int item = dt.itemSize();
        int per = (int) (CHUNK / item);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment staging = a.allocate(Math.min(CHUNK, (long) length * item));
            for (long at = 0; at < length; at += per) {
                int i = (int) at;
                int len = (int) Math.min(per, length - at);
                read(s.block(), (offset + at) * item, (long) len * item, staging);
                if (out instanceof boolean[] z) {
                    for (int j = 0; j < len; j++) {
                        z[i + j] = staging.get(JAVA_BYTE, j) != 0;
                    }
                } else {
                    MemorySegment.copy(staging, 0, heapSegment(out), at * item, (long) len * item);
                }
            }
        }
        Reference.reachabilityFence(s);
        return out;
    }

    // ---------------------------------------------------------------- checks

    /** The storage of this device behind {@code s}, or an IllegalArgumentException naming where it lives. */
    private OpenClStorage own(Storage s, String role) {
        if (s instanceof OpenClStorage o && o.backend() == this) {
            return o;
        }
        throw new IllegalArgumentException("the OpenCL backend of " + device + " was handed " + role + " on "
                + s.device() + " (" + s.getClass().getSimpleName() + ")");
    }

    /**
     * The storage of a view after checking that every element the view reaches lies inside it (a view of no
     * elements reaches none).
     */
    private OpenClStorage checked(View v, String role) {
        OpenClStorage s = own(v.storage(), role);
        int[] shape = v.shape();
        int[] stride = v.stride();
        if (stride.length != shape.length) {
            throw new IllegalArgumentException(role + " " + v + " has " + stride.length + " strides for "
                    + shape.length + " dims");
        }
        long lo = v.storageOffset();
        long hi = lo;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return s;
            }
            if (shape[d] < 0) {
                throw new IllegalArgumentException(role + " " + v + " has a negative size");
            }
            long span = (long) (shape[d] - 1) * stride[d];
            if (span >= 0) {
                hi += span;
            } else {
                lo += span;
            }
        }
        if (lo < 0 || hi >= s.size()) {
            throw new IndexOutOfBoundsException(role + " " + v + " reaches elements [" + lo + ", " + hi
                    + "] of a storage of " + s.size() + " elements");
        }
        return s;
    }

    private static boolean exact(DType t) {
        return t == DType.INT64 || t == DType.BOOL;
    }

    /** The floating compute type of a mix of dtypes: double for float64, and for int64 where the device has it. */
    private CType floating(View... vs) {
        boolean f64 = false;
        boolean i64 = false;
        for (View v : vs) {
            f64 |= v.dtype() == DType.FLOAT64;
            i64 |= v.dtype() == DType.INT64;
        }
        return f64 || (i64 && dev.fp64) ? CType.DOUBLE : CType.FLOAT;
    }

    /** The program for {@code key}, built from {@code source} on first use. */
    private ClDevice.Program program(String key, Supplier<String> source) {
        ClDevice.Program p = programs.get(key);
        if (p != null) {
            return p;
        }
        dev.lock.lock();
        try {
            p = programs.get(key);
            if (p == null) {
                p = dev.programs().get(source.get());
                programs.put(key, p);
            }
            return p;
        } finally {
            dev.lock.unlock();
        }
    }

    /** Compiles {@code source} on this device and discards the program (tests of the build-failure message). */
    void compile(String source) {
        dev.lock.lock();
        try {
            CL.releaseProgram(dev.programs().fromSource(source));
        } finally {
            dev.lock.unlock();
        }
    }

    private static Object scalar(CType c, double v) {
        return switch (c) {
            case FLOAT -> (float) v;
            case DOUBLE -> v;
            case LONG -> (long) v;
        };
    }

    /** Runs kernel {@code name} over {@code g}; {@code blocks} are the operands' buffers, then {@code extra}. */
    private void run(ClDevice.Program p, String name, Geometry g, BufferPool.Block[] blocks, Object... extra) {
        for (Geometry part : g.split()) {
            Object[] args = new Object[blocks.length + 1 + extra.length];
            System.arraycopy(blocks, 0, args, 0, blocks.length);
            args[blocks.length] = part.pack();
            System.arraycopy(extra, 0, args, blocks.length + 1, extra.length);
            dev.launch(p, name + (part.dense() ? "_c" : "_s"), part.n, args);
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void unary(Op op, View x, View out, double p0, double p1) {
        if (op.kind() != Op.Kind.UNARY) {
            throw new IllegalArgumentException(op + " is not a unary op");
        }
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = checked(out, "the output");
        OpenClStorage sx = checked(x, "the input");
        boolean exact = exact(out.dtype()) && exact(x.dtype());
        CType c = exact ? CType.LONG : floating(x, out);
        if (exact && OpTable.exact(op) == null) {
            throw new IllegalArgumentException(op + " has no int64 form");
        }
        DType in = x.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = program("unary " + op + " " + in + " " + ot + " " + c,
                () -> ElementwiseSource.unary(op, in, ot, c));
        Object a0;
        Object a1;
        if (exact) {
            long[] lp = OpTable.exactParams(op, p0, p1);
            a0 = lp[0];
            a1 = lp[1];
        } else {
            a0 = scalar(c, p0);
            a1 = scalar(c, p1);
        }
        run(p, op.name(), Geometry.of(out.shape(), out, x), new BufferPool.Block[] {so.block(), sx.block()}, a0, a1);
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sx);
    }

    @Override
    public void binary(Op op, View a, View b, View out, double alpha) {
        if (op.kind() != Op.Kind.BINARY) {
            throw new IllegalArgumentException(op + " is not a binary op");
        }
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = checked(out, "the output");
        OpenClStorage sa = checked(a, "the first input");
        OpenClStorage sb = checked(b, "the second input");
        boolean exact = OpTable.comparison(op) ? exact(a.dtype()) && exact(b.dtype()) : exact(out.dtype());
        CType c = exact ? CType.LONG : floating(a, b, out);
        if (exact && OpTable.exact(op) == null) {
            throw new IllegalArgumentException(op + " has no int64 form");
        }
        DType da = a.dtype();
        DType db = b.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = program("binary " + op + " " + da + " " + db + " " + ot + " " + c,
                () -> ElementwiseSource.binary(op, da, db, ot, c));
        boolean divide = c == CType.LONG && op == Op.DIV;
        BufferPool.Block flag = errorFlag();
        run(p, op.name(), Geometry.of(out.shape(), out, a, b),
                new BufferPool.Block[] {so.block(), sa.block(), sb.block()}, scalar(c, alpha), flag);
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
        if (divide) {
            checkDivision(flag);
        }
    }

    /** The device's int flag that the int64 division raises on a zero divisor (zeroed, made on first use). */
    private BufferPool.Block errorFlag() {
        BufferPool.Block f = errorFlag;
        if (f != null) {
            return f;
        }
        dev.lock.lock();
        try {
            if (errorFlag == null) {
                BufferPool.Block b = dev.pool().acquire(4);
                fillBytes(b, 0, 4, new byte[4]);
                errorFlag = b;
            }
            return errorFlag;
        } finally {
            dev.lock.unlock();
        }
    }

    private void checkDivision(BufferPool.Block flag) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            read(flag, 0, 4, v);
            if (v.get(JAVA_INT, 0) != 0) {
                fillBytes(flag, 0, 4, new byte[4]);
                throw new ArithmeticException("ZeroDivisionError: integer division by zero");
            }
        }
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = checked(out, "the output");
        OpenClStorage sc = checked(cond, "the condition");
        OpenClStorage sa = checked(a, "the first input");
        OpenClStorage sb = checked(b, "the second input");
        CType c = exact(out.dtype()) ? CType.LONG : floating(a, b, out);
        DType dc = cond.dtype();
        DType da = a.dtype();
        DType db = b.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = program("where " + dc + " " + da + " " + db + " " + ot + " " + c,
                () -> ElementwiseSource.where(dc, da, db, ot, c));
        run(p, "WHERE", Geometry.of(out.shape(), out, cond, a, b),
                new BufferPool.Block[] {so.block(), sc.block(), sa.block(), sb.block()});
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sc);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
    }

    // ---------------------------------------------------------------- data movement

    @Override
    public void copy(View src, View dst) {
        int n = dst.intNumel();
        if (n == 0) {
            return;
        }
        if (!Arrays.equals(src.shape(), dst.shape())) {
            throw new IllegalArgumentException("copy of " + src + " into " + dst + ": the shapes differ");
        }
        OpenClStorage sd = checked(dst, "the destination");
        OpenClStorage ss = checked(src, "the source");
        if (ss == sd && overlap(src, dst)) {
            if (src.dtype() == dst.dtype() && src.storageOffset() == dst.storageOffset()
                    && Arrays.equals(src.stride(), dst.stride())) {
                return; // a view copied onto itself
            }
            // through a temporary, as System.arraycopy copies overlapping ranges
            OpenClStorage tmp = (OpenClStorage) allocate(src.dtype(), n);
            View t = View.contiguous(tmp, src.shape());
            copy(src, t);
            copy(t, dst);
            Reference.reachabilityFence(tmp);
            return;
        }
        Geometry g = Geometry.of(dst.shape(), dst, src);
        BufferPool.Block[] blocks = {sd.block(), ss.block()};
        if (src.dtype() == dst.dtype()) {
            int item = src.dtype().itemSize();
            if (g.dense()) {
                copyBytes(ss.block(), (long) src.storageOffset() * item, sd.block(),
                        (long) dst.storageOffset() * item, (long) n * item);
            } else {
                run(raw(item), "COPY", g, blocks);
            }
        } else {
            DType ds = src.dtype();
            DType dd = dst.dtype();
            CType c = exact(ds) && exact(dd) ? CType.LONG : floating(src, dst);
            ClDevice.Program p = program("convert " + ds + " " + dd + " " + c,
                    () -> ElementwiseSource.convert(ds, dd, c));
            run(p, "COPY", g, blocks);
        }
        Reference.reachabilityFence(sd);
        Reference.reachabilityFence(ss);
    }

    /** Whether two views of one storage can reach a common element (by their element ranges). */
    private static boolean overlap(View a, View b) {
        long[] ra = range(a);
        long[] rb = range(b);
        return ra[0] <= rb[1] && rb[0] <= ra[1];
    }

    private static long[] range(View v) {
        long lo = v.storageOffset();
        long hi = lo;
        for (int d = 0; d < v.dim(); d++) {
            long span = (long) (v.size(d) - 1) * v.stride()[d];
            if (span >= 0) {
                hi += span;
            } else {
                lo += span;
            }
        }
        return new long[] {lo, hi};
    }

    private void copyBytes(BufferPool.Block src, long srcOffset, BufferPool.Block dst, long dstOffset, long bytes) {
        dev.lock.lock();
        try {
            int code = CL.enqueueCopyBuffer(dev.queue(), src.mem(), dst.mem(), srcOffset, dstOffset, bytes);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueCopyBuffer", code, bytes + " bytes on " + dev.label());
            }
        } finally {
            dev.lock.unlock();
        }
    }

    private ClDevice.Program raw(int item) {
        return program("raw " + item, () -> ElementwiseSource.raw(item));
    }

    @Override
    public void fill(View dst, double value) {
        int n = dst.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage sd = checked(dst, "the destination");
        DType dt = dst.dtype();
        int item = dt.itemSize();
        Object pattern = switch (dt) {
            case FLOAT32 -> Float.floatToRawIntBits((float) value);
            case FLOAT64 -> Double.doubleToRawLongBits(value);
            case INT64 -> (long) value;
            case BOOL -> value != 0 ? (byte) 1 : (byte) 0;
            case FLOAT16 -> Float.floatToFloat16((float) value);
            case BFLOAT16 -> CpuStorage.floatToBf16((float) value);
        };
        Geometry g = Geometry.of(dst.shape(), dst);
        if (g.dense()) {
            byte[] bytes = new byte[item];
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(item);
                switch (pattern) {
                    case Integer v -> p.set(JAVA_INT, 0, v);
                    case Long v -> p.set(JAVA_LONG, 0, v);
                    case Short v -> p.set(JAVA_SHORT, 0, v);
                    case Byte v -> p.set(JAVA_BYTE, 0, v);
                    default -> throw new IllegalStateException(String.valueOf(pattern));
                }
                MemorySegment.copy(p, JAVA_BYTE, 0, bytes, 0, item);
            }
            fillBytes(sd.block(), (long) dst.storageOffset() * item, (long) n * item, bytes);
        } else {
            run(raw(item), "FILL", g, new BufferPool.Block[] {sd.block()}, pattern);
        }
        Reference.reachabilityFence(sd);
    }

    // ---------------------------------------------------------------- matrix product

    @Override
    public void bmm(View a, View b, View out, double alpha, double beta) {
        if (a.dim() != 3 || b.dim() != 3 || out.dim() != 3) {
            throw new IllegalArgumentException("bmm takes 3-d operands, not " + a + ", " + b + ", " + out);
        }
        int batch = out.size(0);
        int m = out.size(1);
        int n = out.size(2);
        int k = a.size(2);
        if (a.size(0) != batch || b.size(0) != batch || a.size(1) != m || b.size(1) != k || b.size(2) != n) {
            throw new IllegalArgumentException("bmm of " + a + " and " + b + " into " + out + ": the shapes differ");
        }
        if (out.intNumel() == 0) {
            return;
        }
        OpenClStorage so = checked(out, "the output");
        checked(a, "the first input");
        checked(b, "the second input");
        DType dt = out.dtype();
        DType compute = switch (dt) {
            case FLOAT32, FLOAT16, BFLOAT16 -> DType.FLOAT32;
            case FLOAT64 -> DType.FLOAT64;
            case INT64 -> DType.INT64;
            case BOOL -> throw new IllegalArgumentException("bmm has no bool form");
        };
        if (compute != dt || !packed(out)) {
            // half types: the product in float32 (inputs widened exactly), rounded once, as the CPU backend does
            View wide = View.contiguous(allocate(compute, out.intNumel()), out.shape());
            if (beta != 0) {
                copy(out, wide);
            }
            bmm(a, b, wide, alpha, beta);
            copy(wide, out);
            Reference.reachabilityFence(wide.storage());
            return;
        }
        View ca = a.dtype() == compute ? a : converted(a, compute);
        View cb = b.dtype() == compute ? b : converted(b, compute);
        OpenClStorage sa = checked(ca, "the first input");
        OpenClStorage sb = checked(cb, "the second input");
        int[] ta = ca.stride();
        int[] tb = cb.stride();
        Object[] args = {so.block(), sa.block(), sb.block(), m, n, k, ca.storageOffset(), ta[0], ta[1], ta[2],
            cb.storageOffset(), tb[0], tb[1], tb[2], out.storageOffset(), null, null};
        if (compute == DType.INT64) {
            args[15] = (long) alpha;
            args[16] = (long) beta;
            ClDevice.Program p = program("gemm long", GemmSource::exact);
            dev.launch3(p, "gemm_long", new long[] {n, m, batch}, null, args);
        } else {
            boolean f64 = compute == DType.FLOAT64;
            args[15] = f64 ? (Object) alpha : (Object) (float) alpha;
            args[16] = f64 ? (Object) beta : (Object) (float) beta;
            GemmSource.Layout la = layout(ta[2], k, ta[1], m);
            GemmSource.Layout lb = layout(tb[1], k, tb[2], n);
            String real = f64 ? "double" : "float";
            GemmSource.Tiles t = gemmTiles(real, la, lb);
            ClDevice.Program p = program(gemmKey(real, la, lb, t), () -> GemmSource.floating(real, la, lb, t));
            long gx = (long) ((n + t.tn() - 1) / t.tn()) * t.wx();
            long gy = (long) ((m + t.tm() - 1) / t.tm()) * t.wy();
            dev.launch3(p, "gemm", new long[] {gx, gy, batch}, new long[] {t.wx(), t.wy(), 1}, args);
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
    }

    /** Whether the kernels can write {@code out} as {@code [batch][m][n]} from its offset (sizes of 1 any stride). */
    private static boolean packed(View out) {
        int[] sh = out.shape();
        int[] st = out.stride();
        return (sh[2] == 1 || st[2] == 1) && (sh[1] == 1 || st[1] == sh[2]) && (sh[0] == 1 || st[0] == sh[1] * sh[2]);
    }

    /** The panel layout of an operand from its k-stride and its other dimension's stride (a size of 1 any). */
    private static GemmSource.Layout layout(int kStride, int k, int otherStride, int other) {
        if (kStride == 1 || k == 1) {
            return GemmSource.Layout.K_CONTIGUOUS;
        }
        if (otherStride == 1 || other == 1) {
            return GemmSource.Layout.OTHER_CONTIGUOUS;
        }
        return GemmSource.Layout.STRIDED;
    }

    private static String gemmKey(String real, GemmSource.Layout la, GemmSource.Layout lb, GemmSource.Tiles t) {
        return "gemm " + real + " " + la + " " + lb + " " + t;
    }

    /**
     * The tiles the GEMM runs with on this device: the configured ones ({@link GemmSource.Tiles#configured}) where
     * the kernel can run work-groups that large, else {@link GemmSource.Tiles#SMALL}.
     */
    private GemmSource.Tiles gemmTiles(String real, GemmSource.Layout la, GemmSource.Layout lb) {
        GemmSource.Tiles t = GemmSource.Tiles.configured();
        String key = gemmKey(real, la, lb, t);
        return gemmTiles.computeIfAbsent(key, x -> {
            if ((long) t.wx() * t.wy() > dev.maxWorkGroup) {
                // not even compiled: a compiler may refuse a reqd_work_group_size above the device's limit
                return GemmSource.Tiles.SMALL;
            }
            ClDevice.Program p = program(key, () -> GemmSource.floating(real, la, lb, t));
            return dev.kernelWorkGroupLimit(p, "gemm") >= (long) t.wx() * t.wy() ? t : GemmSource.Tiles.SMALL;
        });
    }

    /** A contiguous copy of {@code v} in dtype {@code t} on this device. */
    private View converted(View v, DType t) {
        View c = View.contiguous(allocate(t, v.intNumel()), v.shape());
        copy(v, c);
        return c;
    }

    // ---------------------------------------------------------------- not yet implemented

    private UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException(op + " is not yet implemented by the OpenCL backend (device "
                + dev.label() + "): move the tensors to the CPU with cpu() for it");
    }

    @Override
    public void reduce(Op op, View x, int[] dims, View out, double p) {
        throw notYet("reduce (" + op + ")");
    }

    @Override
    public void softmax(Op op, View x, View dy, int dim, View out) {
        throw notYet("softmax (" + op + ")");
    }


    @Override
    public void index(Op op, View self, int dim, View index, View src, View out) {
        throw notYet("index (" + op + ")");
    }

    @Override
    public void conv(Op op, View a, View b, View bias, View out, ConvGeometry g) {
        throw notYet("conv (" + op + ")");
    }

    @Override
    public void pool(Op op, View x, View indices, View out, PoolWindows w) {
        throw notYet("pool (" + op + ")");
    }

    @Override
    public void norm(Op op, View[] in, View[] out, NormShape shape) {
        throw notYet("norm (" + op + ")");
    }

    @Override
    public void embeddingBag(View weight, View indices, View offsets, View perSampleWeights, int mode,
                             long paddingIdx, View out, View bagOf, View bagSize, View maxArg) {
        throw notYet("embeddingBag");
    }

    @Override
    public void ctc(Op op, View logProbs, View targets, long[] inputLengths, long[] targetLengths,
                    int[] targetOffsets, int blank, View nll, View alpha, View gradOut, View grad) {
        throw notYet("ctc (" + op + ")");
    }

    @Override
    public int rnnReserveSize(RnnLayer layer) {
        throw notYet("rnn");
    }

    @Override
    public void rnn(Op op, RnnLayer layer, View[] in, View[] out) {
        throw notYet("rnn (" + op + ")");
    }
}
