package dev.jtorch.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One OpenCL device: what discovery learnt of it (platform, name, driver, limits, extensions) and, once
 * {@link #open()}ed, its context, its one in-order command queue, its caching allocator and its compiled
 * programs. Commands are enqueued under {@link #lock} (kernel arguments are per kernel object, so setting them and
 * enqueueing must not interleave between threads); the queue's order then makes each command see the results of
 * the ones before it, and a blocking read waits for all of them.
 */
final class ClDevice {
    final int index;
    final MemorySegment platform;
    final MemorySegment id;
    final String platformName;
    final String platformVersion;
    final String name;
    final String vendor;
    final String driverVersion;
    final String version;
    final String extensions;
    final long type;
    final long globalMemory;
    final long maxAllocation;
    final long maxWorkGroup;
    final boolean fp64;
    final boolean correctlyRoundedDivideSqrt;

    final ReentrantLock lock = new ReentrantLock();
    private volatile boolean opened;
    private MemorySegment context;
    private MemorySegment queue;
    private BufferPool pool;
    private ProgramCache programs;

    ClDevice(int index, MemorySegment platform, MemorySegment id) {
        this.index = index;
        this.platform = platform;
        this.id = id;
        this.platformName = CL.platformString(platform, CL.CL_PLATFORM_NAME);
        this.platformVersion = CL.platformString(platform, CL.CL_PLATFORM_VERSION);
        this.name = CL.deviceString(id, CL.CL_DEVICE_NAME);
        this.vendor = CL.deviceString(id, CL.CL_DEVICE_VENDOR);
        this.driverVersion = CL.deviceString(id, CL.CL_DRIVER_VERSION);
        this.version = CL.deviceString(id, CL.CL_DEVICE_VERSION);
        this.extensions = CL.deviceString(id, CL.CL_DEVICE_EXTENSIONS);
        this.type = CL.deviceLong(id, CL.CL_DEVICE_TYPE);
        this.globalMemory = CL.deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE);
        this.maxAllocation = CL.deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.maxWorkGroup = CL.deviceLong(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.fp64 = (" " + extensions + " ").contains(" cl_khr_fp64 ");
        this.correctlyRoundedDivideSqrt = (CL.deviceLong(id, CL.CL_DEVICE_SINGLE_FP_CONFIG)
                & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }

    /** Whether this is a GPU (they come first in the device list). */
    boolean gpu() {
        return (type & CL.CL_DEVICE_TYPE_GPU) != 0;
    }

    /** "GPU", "CPU", "accelerator" or "device". */
    String typeName() {
        if (gpu()) {
            return "GPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        return (type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "device";
    }

    /** A line for messages and reports: index, name, kind, platform, driver, memory, fp64. */
    String describe() {
        return "opencl:" + index + ": " + name + " (" + typeName() + ", " + vendor + "; platform " + platformName
                + ", " + platformVersion + "; driver " + driverVersion + "; " + version + "; "
                + (globalMemory >> 20) + " MiB global memory, " + (maxAllocation >> 20) + " MiB per buffer; "
                + (fp64 ? "float64 supported" : "no float64 (cl_khr_fp64)") + ")";
    }

    /** The short name used in errors: {@code "opencl:0 (pthread-Intel(R) Xeon(R) ...)"}. */
    String label() {
        return "opencl:" + index + " (" + name + ")";
    }

    /** Creates the context, queue, allocator and program cache on first use. */
    void open() {
        if (opened) {
            return;
        }
        lock.lock();
        try {
            if (opened) {
                return;
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment err = a.allocate(JAVA_INT);
                MemorySegment props = a.allocate(JAVA_LONG, 3);
                props.setAtIndex(JAVA_LONG, 0, 0x1084); // CL_CONTEXT_PLATFORM
                props.setAtIndex(JAVA_LONG, 1, platform.address());
                props.setAtIndex(JAVA_LONG, 2, 0);
                MemorySegment devs = a.allocate(ADDRESS);
                devs.set(ADDRESS, 0, id);
                MemorySegment ctx = CL.createContext(props, 1, devs, err);
                CL.check("clCreateContext", err.get(JAVA_INT, 0));
                MemorySegment q;
                if (CL.hasQueueWithProperties() && majorVersion(platformVersion) >= 2
                        && majorVersion(version) >= 2) {
                    q = CL.createCommandQueueWithProperties(ctx, id, MemorySegment.NULL, err);
                    CL.check("clCreateCommandQueueWithProperties", err.get(JAVA_INT, 0));
                } else {
                    q = CL.createCommandQueue(ctx, id, 0, err);
                    CL.check("clCreateCommandQueue", err.get(JAVA_INT, 0));
                }
                context = ctx;
                queue = q;
            }
            pool = new BufferPool(this);
            programs = new ProgramCache(this);
            opened = true;
        } finally {
            lock.unlock();
        }
    }

    /** "OpenCL 3.0 PoCL ..." -> 3; 1 when unreadable. */
    static int majorVersion(String v) {
        String[] w = v.split(" ");
        if (w.length > 1) {
            int dot = w[1].indexOf('.');
            try {
                return Integer.parseInt(dot < 0 ? w[1] : w[1].substring(0, dot));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
    }

    MemorySegment context() {
        return context;
    }

    MemorySegment queue() {
        return queue;
    }

    BufferPool pool() {
        return pool;
    }

    ProgramCache programs() {
        return programs;
    }

    // ---------------------------------------------------------------- kernels

    /** A compiled program and the kernels made from it so far. */
    static final class Program {
        final MemorySegment handle;
        final Map<String, Kernel> kernels = new HashMap<>();

        Program(MemorySegment handle) {
            this.handle = handle;
        }
    }

    /** A kernel object and the largest work-group it runs with on this device. */
    record Kernel(String name, MemorySegment handle, int workGroup) {
    }

    /** The kernel {@code name} of a program (created on first use; call under {@link #lock}). */
    Kernel kernel(Program p, String name) {
        Kernel k = p.kernels.get(name);
        if (k != null) {
            return k;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment h = CL.createKernel(p.handle, a.allocateFrom(name), err);
            int code = err.get(JAVA_INT, 0);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clCreateKernel", code, "kernel " + name + " on " + label());
            }
            MemorySegment wg = a.allocate(JAVA_LONG);
            CL.check("clGetKernelWorkGroupInfo",
                    CL.getKernelWorkGroupInfo(h, id, CL.CL_KERNEL_WORK_GROUP_SIZE, 8, wg, MemorySegment.NULL));
            int size = (int) Math.max(1, Math.min(256, Math.min(maxWorkGroup, wg.get(JAVA_LONG, 0))));
            k = new Kernel(name, h, size);
            p.kernels.put(name, k);
            return k;
        }
    }

    /** The work-group size that launches of kernel {@code name} of {@code program} use. */
    int workGroup(Program program, String name) {
        lock.lock();
        try {
            return kernel(program, name).workGroup();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs kernel {@code name} of {@code program} over {@code n} work-items. Arguments, in order: a
     * {@link BufferPool.Block} (its cl_mem), Integer, Long, Float, Double, Short, Byte, or an int[] (a struct of
     * ints, {@link Geometry#pack()}). The launch is enqueued, not waited for.
     */
    void launch(Program program, String name, int n, Object... args) {
        if (n <= 0) {
            return;
        }
        lock.lock();
        try (Arena a = Arena.ofConfined()) {
            Kernel k = kernel(program, name);
            setArgs(a, k, args);
            long local = k.workGroup();
            long global = (n + local - 1) / local * local;
            MemorySegment g = a.allocateFrom(JAVA_LONG, global);
            MemorySegment l = a.allocateFrom(JAVA_LONG, local);
            int code = CL.enqueueNDRangeKernel(queue, k.handle(), g, l);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueNDRangeKernel", code, "kernel " + name + " over " + n
                        + " elements on " + label());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs kernel {@code name} of {@code program} over a 3-D range of {@code global} work-items in work-groups of
     * {@code local} (each global size a multiple of the local one; null lets the driver choose), with arguments as
     * {@link #launch}. Fails with an {@link OpenClException} where the kernel cannot run work-groups that large on
     * this device.
     */
    void launch3(Program program, String name, long[] global, long[] local, Object... args) {
        lock.lock();
        try (Arena a = Arena.ofConfined()) {
            Kernel k = kernel(program, name);
            setArgs(a, k, args);
            MemorySegment g = a.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local == null ? MemorySegment.NULL : a.allocateFrom(JAVA_LONG, local);
            int code = CL.enqueueNDRangeKernel(queue, k.handle(), 3, g, l);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueNDRangeKernel", code, "kernel " + name + " over "
                        + Arrays.toString(global) + " in work-groups of " + Arrays.toString(local) + " on "
                        + label());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The largest work-group kernel {@code name} of {@code program} can run with on this device. */
    long kernelWorkGroupLimit(Program program, String name) {
        lock.lock();
        try (Arena a = Arena.ofConfined()) {
            Kernel k = kernel(program, name);
            MemorySegment wg = a.allocate(JAVA_LONG);
            CL.check("clGetKernelWorkGroupInfo", CL.getKernelWorkGroupInfo(k.handle(), id,
                    CL.CL_KERNEL_WORK_GROUP_SIZE, 8, wg, MemorySegment.NULL));
            return Math.min(maxWorkGroup, wg.get(JAVA_LONG, 0));
        } finally {
            lock.unlock();
        }
    }

    /** Sets the arguments of kernel {@code k} (kinds as {@link #launch} takes them), allocated in {@code a}. */
    private static void setArgs(Arena a, Kernel k, Object[] args) {
        for (int i = 0; i < args.length; i++) {
            MemorySegment v;
            switch (args[i]) {
                case BufferPool.Block b -> {
                    v = a.allocate(ADDRESS);
                    v.set(ADDRESS, 0, b.mem());
                }
                case Integer x -> v = a.allocateFrom(JAVA_INT, x);
                case Long x -> v = a.allocateFrom(JAVA_LONG, x);
                case Float x -> v = a.allocateFrom(JAVA_FLOAT, x);
                case Double x -> v = a.allocateFrom(JAVA_DOUBLE, x);
                case Short x -> v = a.allocateFrom(JAVA_SHORT, x);
                case Byte x -> v = a.allocateFrom(JAVA_BYTE, x);
                case int[] x -> v = a.allocateFrom(JAVA_INT, x);
                default -> throw new IllegalArgumentException("kernel argument " + args[i]);
            }
            int code = CL.setKernelArg(k.handle(), i, v.byteSize(), v);
            if (code != CL.CL_SUCCESS) {
                throw new OpenClException("clSetKernelArg", code, "argument " + i + " of kernel " + k.name());
            }
        }
    }

    /** Waits for every command enqueued so far. */
    void finish() {
        lock.lock();
        try {
            CL.check("clFinish", CL.finish(queue));
        } finally {
            lock.unlock();
        }
    }
}
