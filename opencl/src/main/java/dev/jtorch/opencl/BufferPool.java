package dev.jtorch.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The caching allocator of one device, after PyTorch's CUDA caching allocator: device buffers are kept in a
 * pool keyed by their rounded size (up to 1 MiB to a multiple of 512 bytes, above to a multiple of 2 MiB) and a
 * freed buffer returns to the pool for the next allocation of that size, instead of to the driver, so that a
 * training loop allocating the same shapes each step stops calling clCreateBuffer after the first.
 *
 * <p>Buffers are freed when their storage becomes unreachable (a {@link java.lang.ref.Cleaner} action of
 * {@link OpenClStorage}). Since the garbage collector cannot see device memory, an allocation that does not fit
 * first empties the pool, then asks for a collection and waits briefly for the cleaner to return what it
 * finds, then tries once more; only then does it fail, with an exception naming the device and the size. A
 * buffer is returned to the pool while kernels that use it may still be queued: the in-order queue runs them
 * before any command of its next owner.
 */
final class BufferPool {
    private static final long SMALL = 1 << 20;
    private static final long SMALL_ROUND = 512;
    private static final long LARGE_ROUND = 2 << 20;

    /** A device buffer of {@code size} bytes (the rounded size it is pooled under). */
    record Block(MemorySegment mem, long size) {
    }

    private final ClDevice device;
    /** The bytes this pool may hold at once: the device's global memory (less in tests). */
    private final long limit;
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long inUse;
    private long cached;
    private long returned;

    BufferPool(ClDevice device) {
        this(device, device.globalMemory);
    }

    BufferPool(ClDevice device, long limit) {
        this.device = device;
        this.limit = limit;
    }

    /** The size a request of {@code bytes} is pooled under. */
    static long round(long bytes) {
        long r = bytes <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return (bytes + r - 1) / r * r;
    }

    /** Bytes held by live storages. */
    synchronized long inUse() {
        return inUse;
    }

    /** Bytes cached in the pool for reuse. */
    synchronized long cached() {
        return cached;
    }

    /**
     * A buffer of at least {@code bytes} (positive) bytes, from the pool or the driver; an IllegalStateException
     * when the device cannot hold it.
     */
    Block acquire(long bytes) {
        long size = round(bytes);
        if (bytes > device.maxAllocation) {
            throw new IllegalStateException("OpenCL device " + device.label() + " cannot allocate " + bytes
                    + " bytes in one buffer: its largest allocation (CL_DEVICE_MAX_MEM_ALLOC_SIZE) is "
                    + device.maxAllocation + " bytes");
        }
        size = Math.min(size, Math.max(bytes, device.maxAllocation));
        synchronized (this) {
            ArrayDeque<MemorySegment> q = free.get(size);
            if (q != null && !q.isEmpty()) {
                cached -= size;
                inUse += size;
                return new Block(q.pop(), size);
            }
        }
        Block b = create(size);
        if (b == null) {
            emptyCache();
            b = create(size);
        }
        if (b == null) {
            collectGarbage();
            emptyCache();
            b = create(size);
        }
        if (b == null) {
            throw outOfMemory(bytes, null);
        }
        return b;
    }

    /** The out-of-memory exception for a request of {@code bytes}. */
    IllegalStateException outOfMemory(long bytes, Throwable cause) {
        return new IllegalStateException("OpenCL device " + device.label() + " is out of memory allocating "
                + bytes + " bytes (" + inUse() + " bytes held by tensors, " + limit + " bytes of global memory)",
                cause);
    }

    /** A new buffer, or null when the device's memory (as counted here, or as the driver says) is exhausted. */
    private Block create(long size) {
        synchronized (this) {
            if (inUse + cached + size > limit) {
                return null;
            }
            inUse += size; // reserved while the driver allocates
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment mem = CL.createBuffer(device.context(), CL.CL_MEM_READ_WRITE, size, err);
            int code = err.get(JAVA_INT, 0);
            if (code == CL.CL_SUCCESS) {
                return new Block(mem, size);
            }
            synchronized (this) {
                inUse -= size;
            }
            if (outOfMemoryCode(code)) {
                return null;
            }
            throw new OpenClException("clCreateBuffer", code, size + " bytes on " + device.label());
        }
    }

    /** Whether an error code means the device (or the host behind it) ran out of memory. */
    static boolean outOfMemoryCode(int code) {
        return code == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL.CL_OUT_OF_RESOURCES
                || code == CL.CL_OUT_OF_HOST_MEMORY;
    }

    /** Blocks of {@code size} bytes waiting in the pool. */
    synchronized int pooled(long size) {
        ArrayDeque<MemorySegment> q = free.get(size);
        return q == null ? 0 : q.size();
    }

    /** Returns a block to the pool (its storage is gone). */
    synchronized void release(Block b) {
        inUse -= b.size();
        cached += b.size();
        free.computeIfAbsent(b.size(), _ -> new ArrayDeque<>()).push(b.mem());
        returned++;
    }

    /** Gives a block back to the driver (a buffer that failed its first use). */
    void destroy(Block b) {
        synchronized (this) {
            inUse -= b.size();
        }
        CL.releaseMemObject(b.mem());
    }

    /** Releases every cached buffer to the driver; returns the bytes released. */
    synchronized long emptyCache() {
        long n = cached;
        for (ArrayDeque<MemorySegment> q : free.values()) {
            for (MemorySegment m : q) {
                CL.releaseMemObject(m);
            }
        }
        free.clear();
        cached = 0;
        return n;
    }

    /** Asks for a collection and waits up to 200 ms for unreachable storages to return their buffers. */
    private void collectGarbage() {
        long before;
        synchronized (this) {
            before = returned;
        }
        System.gc();
        for (int i = 0; i < 20; i++) {
            synchronized (this) {
                if (returned != before && i >= 2) {
                    return;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
