package dev.jtorch.opencl;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Compiled programs of one device, cached in memory (for the JVM's life) and on disk (across runs): a program is
 * built from source once per device, driver and source, and its binary ({@code CL_PROGRAM_BINARIES}) is written to
 * {@code <dir>/<sha-256 of platform, device, driver, build options and source>.bin}, where the next JVM loads it
 * with clCreateProgramWithBinary instead of compiling. The directory is the system property
 * {@code jtorch.opencl.cache}, else {@code $XDG_CACHE_HOME/jtorch/opencl}, else {@code ~/.cache/jtorch/opencl};
 * {@code -Djtorch.opencl.cache=none} turns the disk cache off. A binary the driver refuses is rebuilt from source and
 * rewritten; a disk that cannot be written only costs the next run its compile.
 *
 * <p>A build that fails throws an {@link OpenClException} (CL_BUILD_PROGRAM_FAILURE) whose message holds the
 * compiler's build log and the source with line numbers (when it is short).
 */
final class ProgramCache {
    private final ClDevice device;
    private final String options;
    private final Path dir;
    private final Map<String, ClDevice.Program> programs = new HashMap<>();
    /** Programs compiled from source, and loaded from the disk cache, so far. */
    int compiled;
    int loaded;

    ProgramCache(ClDevice device) {
        this(device, directory());
    }

    /** A cache whose disk part is {@code dir} (null: none). */
    ProgramCache(ClDevice device, Path dir) {
        this.device = device;
        this.options = device.correctlyRoundedDivideSqrt ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
        this.dir = dir;
    }

    /** The disk cache directory, or null when off. */
    static Path directory() {
        String p = System.getProperty("jtorch.opencl.cache");
        if (p != null) {
            return p.isBlank() || p.equals("none") ? null : Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jtorch").resolve("opencl");
    }

    /** The program built from {@code source} (call under the device lock). */
    ClDevice.Program get(String source) {
        ClDevice.Program p = programs.get(source);
        if (p == null) {
            p = load(source);
            programs.put(source, p);
        }
        return p;
    }

    /** Programs held in memory. */
    int size() {
        return programs.size();
    }

    private ClDevice.Program load(String source) {
        String key = key(source);
        Path file = dir == null ? null : dir.resolve(key + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            try {
                MemorySegment h = fromBinary(Files.readAllBytes(file));
                if (h != null) {
                    loaded++;
                    return new ClDevice.Program(h);
                }
            } catch (IOException e) {
                // unreadable: build from source and rewrite it
            }
        }
        MemorySegment h = fromSource(source);
        compiled++;
        if (file != null) {
            byte[] bin = binary(h);
            if (bin != null) {
                write(file, bin);
            }
        }
        return new ClDevice.Program(h);
    }

    private String key(String source) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {device.platformName, device.platformVersion, device.name, device.vendor,
                device.driverVersion, device.version, options, source}) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, byte[] bin) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "program", ".tmp");
            Files.write(tmp, bin);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException e) {
            // a cache that cannot be written costs the next run a compile, nothing more
        }
    }

    /** Compiles {@code source}; a failed build throws with the build log. */
    MemorySegment fromSource(String source) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment text = a.allocateFrom(source);
            MemorySegment strings = a.allocate(ADDRESS);
            strings.set(ADDRESS, 0, text);
            MemorySegment lengths = a.allocateFrom(JAVA_LONG, text.byteSize() - 1);
            MemorySegment h = CL.createProgramWithSource(device.context(), strings, lengths, err);
            CL.check("clCreateProgramWithSource", err.get(JAVA_INT, 0));
            int code = build(h, a);
            if (code != CL.CL_SUCCESS) {
                String log = buildLog(h);
                CL.releaseProgram(h);
                throw new OpenClException("clBuildProgram", code, "building a program for " + device.label()
                        + " failed; build log:\n" + log + "\nsource:\n" + numbered(source));
            }
            return h;
        }
    }

    /** A program from a cached binary, or null when the driver refuses it. */
    private MemorySegment fromBinary(byte[] bin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment status = a.allocate(JAVA_INT);
            MemorySegment data = a.allocateFrom(JAVA_BYTE, bin);
            MemorySegment ptrs = a.allocate(ADDRESS);
            ptrs.set(ADDRESS, 0, data);
            MemorySegment lengths = a.allocateFrom(JAVA_LONG, (long) bin.length);
            MemorySegment devs = a.allocate(ADDRESS);
            devs.set(ADDRESS, 0, device.id);
            MemorySegment h = CL.createProgramWithBinary(device.context(), devs, lengths, ptrs, status, err);
            if (err.get(JAVA_INT, 0) != CL.CL_SUCCESS || status.get(JAVA_INT, 0) != CL.CL_SUCCESS) {
                if (!h.equals(MemorySegment.NULL)) {
                    CL.releaseProgram(h);
                }
                return null;
            }
            if (build(h, a) != CL.CL_SUCCESS) {
                CL.releaseProgram(h);
                return null;
            }
            return h;
        }
    }

    private int build(MemorySegment h, Arena a) {
        MemorySegment devs = a.allocate(ADDRESS);
        devs.set(ADDRESS, 0, device.id);
        return CL.buildProgram(h, devs, a.allocateFrom(options));
    }

    /** The device's build log of a program ("" when there is none). */
    String buildLog(MemorySegment h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            if (CL.getProgramBuildInfo(h, device.id, CL.CL_PROGRAM_BUILD_LOG, 0, MemorySegment.NULL, size)
                    != CL.CL_SUCCESS) {
                return "(no build log)";
            }
            long n = size.get(JAVA_LONG, 0);
            MemorySegment buf = a.allocate(Math.max(1, n));
            if (CL.getProgramBuildInfo(h, device.id, CL.CL_PROGRAM_BUILD_LOG, n, buf, MemorySegment.NULL)
                    != CL.CL_SUCCESS) {
                return "(no build log)";
            }
            return buf.getString(0).strip();
        }
    }

    /** The program's binary for this device, or null when the driver gives none. */
    private static byte[] binary(MemorySegment h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sizes = a.allocate(JAVA_LONG);
            if (CL.getProgramInfo(h, CL.CL_PROGRAM_BINARY_SIZES, 8, sizes, MemorySegment.NULL) != CL.CL_SUCCESS) {
                return null;
            }
            long n = sizes.get(JAVA_LONG, 0);
            if (n <= 0 || n > Integer.MAX_VALUE - 8) {
                return null;
            }
            MemorySegment data = a.allocate(n);
            MemorySegment ptrs = a.allocate(ADDRESS);
            ptrs.set(ADDRESS, 0, data);
            if (CL.getProgramInfo(h, CL.CL_PROGRAM_BINARIES, ADDRESS.byteSize(), ptrs, MemorySegment.NULL)
                    != CL.CL_SUCCESS) {
                return null;
            }
            return data.toArray(JAVA_BYTE);
        }
    }

    /** The source with line numbers (the log's references), or a note of its length when it is long. */
    private static String numbered(String source) {
        StringBuilder s = new StringBuilder();
        String[] lines = source.split("\n", -1);
        if (lines.length > 400) {
            return "(" + lines.length + " lines, not shown)";
        }
        for (int i = 0; i < lines.length; i++) {
            s.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return s.toString();
    }
}
