package dev.jtorch.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The OpenCL devices of this machine, found once per JVM: every device of every platform the ICD loader lists,
 * GPUs first (in platform order), then the others (CPU devices such as PoCL's, accelerators). Device
 * {@code opencl:i} is entry i. Discovery never throws: a machine without the library, without a platform or
 * without a usable device gets an empty list and a sentence saying why ({@link #reason()}).
 */
final class Discovery {
    private static final Discovery INSTANCE = new Discovery();

    private final List<ClDevice> devices;
    private final String reason;
    private final List<String> skipped = new ArrayList<>();

    private Discovery() {
        List<Found> found = new ArrayList<>();
        String why = CL.unavailable();
        if (why == null) {
            try {
                why = discover(found);
            } catch (RuntimeException | LinkageError e) {
                found.clear();
                why = "OpenCL device discovery failed: " + e;
            }
        }
        List<Found> ordered = new ArrayList<>();
        for (Found f : found) {
            if (f.gpu()) {
                ordered.add(f);
            }
        }
        for (Found f : found) {
            if (!f.gpu()) {
                ordered.add(f);
            }
        }
        List<ClDevice> indexed = new ArrayList<>();
        for (Found f : ordered) {
            try {
                indexed.add(new ClDevice(indexed.size(), f.platform(), f.id()));
            } catch (RuntimeException e) {
                skipped.add("a device could not be queried: " + e.getMessage());
            }
        }
        this.devices = List.copyOf(indexed);
        this.reason = indexed.isEmpty() && why == null ? "no usable OpenCL device" + skippedNote() : why;
    }

    /** A device found, before ordering. */
    private record Found(MemorySegment platform, MemorySegment id, boolean gpu) {
    }

    static Discovery get() {
        return INSTANCE;
    }

    /** The devices, opencl:0 first. */
    List<ClDevice> devices() {
        return devices;
    }

    /** Why there is no device (null when there is one). */
    String reason() {
        return devices.isEmpty() ? reason : null;
    }

    private String skippedNote() {
        return skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")";
    }

    /** Fills {@code out}; returns why nothing was found, or null. */
    private String discover(List<Found> out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(JAVA_INT);
            int code = CL.getPlatformIDs(0, MemorySegment.NULL, count);
            if (code == CL.CL_PLATFORM_NOT_FOUND_KHR || (code == CL.CL_SUCCESS && count.get(JAVA_INT, 0) == 0)) {
                return "no OpenCL platform is installed (the ICD loader lists none: install a driver, or PoCL for "
                        + "the CPU)";
            }
            CL.check("clGetPlatformIDs", code);
            int np = count.get(JAVA_INT, 0);
            MemorySegment platforms = a.allocate(ADDRESS, np);
            CL.check("clGetPlatformIDs", CL.getPlatformIDs(np, platforms, MemorySegment.NULL));
            for (int p = 0; p < np; p++) {
                MemorySegment platform = platforms.getAtIndex(ADDRESS, p);
                code = CL.getDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
                if (code == CL.CL_DEVICE_NOT_FOUND) {
                    continue;
                }
                if (code != CL.CL_SUCCESS) {
                    skipped.add("platform " + p + ": clGetDeviceIDs gave " + CL.errorName(code));
                    continue;
                }
                int nd = count.get(JAVA_INT, 0);
                MemorySegment ids = a.allocate(ADDRESS, Math.max(1, nd));
                if (nd == 0 || CL.getDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, nd, ids, MemorySegment.NULL)
                        != CL.CL_SUCCESS) {
                    continue;
                }
                for (int d = 0; d < nd; d++) {
                    MemorySegment id = ids.getAtIndex(ADDRESS, d);
                    String problem = unusable(id);
                    if (problem != null) {
                        skipped.add(problem);
                        continue;
                    }
                    boolean gpu = (CL.deviceLong(id, CL.CL_DEVICE_TYPE) & CL.CL_DEVICE_TYPE_GPU) != 0;
                    out.add(new Found(platform, id, gpu));
                }
            }
        }
        return null;
    }

    /** Why a device cannot be used (not available, no compiler, big-endian), or null. */
    private static String unusable(MemorySegment id) {
        try {
            String name = CL.deviceString(id, CL.CL_DEVICE_NAME);
            if (CL.deviceInt(id, CL.CL_DEVICE_AVAILABLE) == 0) {
                return name + " is not available";
            }
            if (CL.deviceInt(id, CL.CL_DEVICE_COMPILER_AVAILABLE) == 0) {
                return name + " has no OpenCL C compiler";
            }
            if (CL.deviceInt(id, CL.CL_DEVICE_ENDIAN_LITTLE) == 0) {
                return name + " is big-endian";
            }
            return null;
        } catch (OpenClException e) {
            return e.getMessage();
        }
    }
}
