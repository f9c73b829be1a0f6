package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.PoolWindows;

import java.lang.ref.Reference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link OpenClBackend#pool} on the device: checks the operands, packs the windows ({@link PoolTables}) into one
 * int64 table on the device (kept for the next calls with the same windows: a forward and its backward, every
 * training step) and runs {@link PoolSource}'s kernels, one work-item per output (forward) or per input element
 * (backward, a gather: no atomics, the CPU's order of accumulation).
 *
 * <p>MAX_POOL_BACKWARD finds each output's gradient through the windows covering an input element, so it expects
 * the indices MAX_POOL wrote for these windows (as the tensor layer passes them: saved with the forward and
 * checked against in-place changes); an index outside its output's window adds nothing, where the CPU backend
 * would add there (or throw, outside the plane).
 */
final class OpenClPool {
    /** Packed tables kept on the device, most recently used last. */
    private static final int KEPT = 32;

    private final OpenClBackend backend;
    private final ClDevice dev;
    private final Map<PoolTables.Packed, OpenClStorage> tables = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PoolTables.Packed, OpenClStorage> e) {
            return size() > KEPT;
        }
    };

    OpenClPool(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    void pool(Op op, View x, View indices, View out, PoolWindows w) {
        if (op == null || op.kind() != Op.Kind.POOL) {
            throw new IllegalArgumentException(op + " is not a pooling op");
        }
        if (w == null) {
            throw new IllegalArgumentException(op + " needs windows, got null");
        }
        pool(op, x, indices, out, PoolTables.of(w));
    }

    /** {@link #pool} over windows given as tables. */
    void pool(Op op, View x, View indices, View out, PoolTables t) {
        if (op == null || op.kind() != Op.Kind.POOL) {
            throw new IllegalArgumentException(op + " is not a pooling op");
        }
        DType dt = out.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected float32 or float64, got " + dt);
        }
        boolean forward = op == Op.MAX_POOL || op == Op.AVG_POOL;
        int ni = t.inputSize();
        int no = t.outputSize();
        OpenClStorage sx = dense(x, forward ? "the input" : "dy", forward ? ni : no, dt, op);
        OpenClStorage so = dense(out, forward ? "the output" : "dx", forward ? no : ni, dt, op);
        OpenClStorage si = null;
        if (op == Op.MAX_POOL_BACKWARD && indices == null) {
            throw new IllegalArgumentException(op + " needs the indices, got null");
        }
        if (indices != null && (op == Op.MAX_POOL || op == Op.MAX_POOL_BACKWARD)) {
            si = dense(indices, "the indices", no, DType.INT64, op);
        }
        if ((op == Op.AVG_POOL || op == Op.AVG_POOL_BACKWARD) && !t.hasDivisors()) {
            throw new IllegalArgumentException("average pooling needs divisors: use withDivisors or "
                    + "withDivisorOverride");
        }
        int n = forward ? no : ni;
        if (n == 0) {
            return;
        }
        boolean fp64 = dev.fp64;
        String real = dt == DType.FLOAT64 ? "double" : "float";
        String div = fp64 ? "double" : "float";
        ClDevice.Program p = backend.program("pool " + real + " " + div, () -> PoolSource.program(real, div));
        PoolTables.Packed packed = t.pack(fp64);
        OpenClStorage tab = table(packed);
        Object override = fp64 ? (Object) t.divisorOverride() : (Object) (float) t.divisorOverride();
        int[] q = packed.struct();
        switch (op) {
            case MAX_POOL -> dev.launch(p, "max_pool", n, so.block(), out.storageOffset(),
                    (si == null ? so : si).block(), si == null ? 0 : indices.storageOffset(), si == null ? 0 : 1,
                    sx.block(), x.storageOffset(), tab.block(), q, n);
            case AVG_POOL -> dev.launch(p, "avg_pool", n, so.block(), out.storageOffset(), sx.block(),
                    x.storageOffset(), tab.block(), q, override, n);
            case MAX_POOL_BACKWARD -> dev.launch(p, "max_pool_backward", n, so.block(), out.storageOffset(),
                    sx.block(), x.storageOffset(), si.block(), indices.storageOffset(), tab.block(), q, n);
            case AVG_POOL_BACKWARD -> dev.launch(p, "avg_pool_backward", n, so.block(), out.storageOffset(),
                    sx.block(), x.storageOffset(), tab.block(), q, override, n);
            default -> throw new IllegalArgumentException(op + " is not a pooling op");
        }
        Reference.reachabilityFence(sx);
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(si);
        Reference.reachabilityFence(tab);
    }

    /** The device copy of a packed table, uploaded on first use. */
    private OpenClStorage table(PoolTables.Packed packed) {
        synchronized (tables) {
            OpenClStorage s = tables.get(packed);
            if (s == null) {
                long[] v = packed.table().length == 0 ? new long[1] : packed.table();
                s = (OpenClStorage) backend.fromHost(v, DType.INT64);
                tables.put(packed, s);
            }
            return s;
        }
    }

    /**
     * The storage of an operand after checking it: present, contiguous, of dtype {@code dt}, and holding
     * {@code size} elements from its offset.
     */
    private OpenClStorage dense(View v, String role, int size, DType dt, Op op) {
        if (v == null) {
            throw new IllegalArgumentException(op + " needs " + role + ", got null");
        }
        if (v.dtype() != dt) {
            throw new IllegalArgumentException(op + ": " + role + " " + v + " is " + v.dtype() + ", expected " + dt);
        }
        if (!v.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + role + " " + v + " must be contiguous");
        }
        long have = v.storage().size();
        if (v.storageOffset() < 0 || (long) v.storageOffset() + size > have) {
            throw new IllegalArgumentException(op + ": " + role + " needs " + size + " elements from offset "
                    + v.storageOffset() + ", but its storage holds " + have);
        }
        return backend.checked(new View(v.storage(), new int[] {size}, new int[] {1}, v.storageOffset()), role);
    }
}
