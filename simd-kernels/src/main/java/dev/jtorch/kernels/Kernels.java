package dev.jtorch.kernels;

import java.util.List;

/**
 * Which implementation the kernels of this package run, and how many threads they may use.
 *
 * <p>Every kernel has two implementations with the same signature: a Vector API one and its scalar twin,
 * which is the specification; a provider over each ({@code VectorKernelProvider}, {@code ScalarKernelProvider}) is
 * chosen once, when this class initialises, and the public kernel classes call through it. The vector path is
 * taken when the module {@code jdk.incubator.vector} is readable and the JIT compiler C2 is on; otherwise the
 * scalar path is taken and one line is logged saying why ({@code pass --add-modules jdk.incubator.vector}).
 *
 * <p>System properties, read once when this class initialises:
 * <ul>
 *   <li>{@value #SCALAR_PROPERTY}{@code =true}: force the scalar path.</li>
 *   <li>{@value #VECTOR_BITS_PROPERTY}{@code =128|256|512}: use a narrower vector species than the
 *       preferred one (the tests run once with 128 bits so that the narrow path is exercised).</li>
 *   <li>{@value #THREADS_PROPERTY}{@code =N}: how many threads a large GEMM may use (default: the number of
 *       available processors). {@link #setThreads(int)} changes it at run time.</li>
 * </ul>
 *
 * <p>Results never depend on the thread count: every output element is summed in the same order
 * whatever the partition of the work.
 */
public final class Kernels {
    /** Set to {@code true} to force the scalar path. */
    public static final String SCALAR_PROPERTY = "jtorch.kernels.scalar";
    /** Set to 128, 256 or 512 to cap the vector width in bits. */
    public static final String VECTOR_BITS_PROPERTY = "jtorch.kernels.vectorBits";
    /** Number of threads for parallel kernels. */
    public static final String THREADS_PROPERTY = "jtorch.kernels.threads";

    /** Null when the vector path is used; otherwise why not. */
    private static final String SCALAR_REASON = scalarReason();
    /** True when the Vector API implementations are used. Constant-folded by the JIT. */
    static final boolean VECTOR = SCALAR_REASON == null;
    /**
     * The kernels in use, chosen once (Lucene's VectorizationProvider): the facades call through this static final
     * field, so the JIT sees one implementation and compiles each call as a direct, inlined one. The vector
     * provider's class is loaded only when the Vector API is usable.
     */
    static final KernelProvider PROVIDER = VECTOR ? new VectorKernelProvider() : new ScalarKernelProvider();

    static {
        if (!VECTOR && !Boolean.getBoolean(SCALAR_PROPERTY)) {
            System.getLogger("dev.jtorch.kernels").log(System.Logger.Level.WARNING,
                    "jtorch kernels run scalar: " + SCALAR_REASON);
        }
    }

    private Kernels() {
    }

    /** Whether the Vector API implementations are in use. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * One line describing the implementation in use, for example
     * {@code "Vector API, float x16 / double x8 (512-bit)"} or {@code "scalar (forced by -Djtorch.kernels.scalar=true)"}.
     */
    public static String description() {
        return VECTOR ? Species.describe() : "scalar (" + SCALAR_REASON + ")";
    }

    private static final String CPU_VENDOR = readCpuVendor();

    /**
     * The CPU's vendor string ({@code GenuineIntel}, {@code AuthenticAMD}) from /proc/cpuinfo, or "unknown" where
     * that cannot be read. Kernels whose fastest form differs between vendors (gathers are fast on Intel, slow on
     * AMD's Zen) choose by it once.
     */
    public static String cpuVendor() {
        return CPU_VENDOR;
    }

    private static String readCpuVendor() {
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/cpuinfo"))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("vendor_id")) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? "unknown" : line.substring(colon + 1).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** Number of float lanes of the vector species in use, or 1 on the scalar path. */
    public static int floatLanes() {
        return VECTOR ? Species.FLOAT_LANES : 1;
    }

    /** The number of threads that parallel kernels may use (at least 1). */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads parallel kernels may use; 1 makes every kernel single-threaded.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, count), split into contiguous ranges over up to
     * {@link #threads()} threads when the work is large enough ({@code count * workPerItem} multiply-adds of
     * about a million or more), the first range on the calling thread. For items that write disjoint outputs
     * (batch items of an attention or a convolution), so the result does not depend on the thread count.
     * Kernels called from the body run single-threaded (see {@link Lockstep}). An exception is rethrown after
     * every range has finished.
     *
     * @param count the number of items (at least 0)
     * @param workPerItem the multiply-adds (or comparable work) of one item, which decides the split
     * @param body what one item does; must be safe to call from several threads for different items
     */
    public static void parallelFor(int count, long workPerItem, java.util.function.IntConsumer body) {
        Checks.nonNegative("count", count);
        Checks.notNull("body", body);
        long work = workPerItem > Long.MAX_VALUE / Math.max(1, count) ? Long.MAX_VALUE : count * workPerItem;
        int tasks = Math.min(count, Parallel.tasksFor(work));
        if (tasks <= 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        Parallel.run(tasks, task -> {
            int lo = (int) ((long) count * task / tasks);
            int hi = (int) ((long) count * (task + 1) / tasks);
            for (int i = lo; i < hi; i++) {
                body.accept(i);
            }
        });
    }

    private static String scalarReason() {
        if (Boolean.getBoolean(SCALAR_PROPERTY)) {
            return "forced by -D" + SCALAR_PROPERTY + "=true";
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the module jdk.incubator.vector is not readable: pass --add-modules jdk.incubator.vector";
        }
        String jitOff = jitOff();
        if (jitOff != null) {
            return jitOff;
        }
        try {
            Class.forName("dev.jtorch.kernels.Species", true, Kernels.class.getClassLoader());
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return "the Vector API could not be initialised (" + e + ")";
        }
    }

    private static String jitOff() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JIT is off (-Xint): the Vector API would be slower than scalar code";
        }
        if (ModuleLayer.boot().findModule("java.management").isEmpty()) {
            return null;
        }
        List<String> args = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : args) {
            if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                return "C2 is off (" + a + "): the Vector API would be slower than scalar code";
            }
        }
        return null;
    }
}
