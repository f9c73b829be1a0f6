package dev.jtorch.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Which core OpenBLAS detected, and its build configuration. JavaCPP does not map openblas_get_corename,
 * so this calls it in the loaded library through the FFM API.
 */
final class OpenBlasInfo {
    private OpenBlasInfo() {
    }

    // Restricted FFM methods (libraryLookup, downcallHandle, reinterpret) are this class's purpose; the bench
    // runs with --enable-native-access=ALL-UNNAMED (./jtorch), so javac's reminder of them is said once, here.
    @SuppressWarnings("restricted")
    static String describe() {
        Loader.load(openblas.class);
        String path = null;
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String file = Path.of(e.getValue()).getFileName().toString();
            if (file.startsWith("libopenblas") && !file.contains("jni")) {
                path = e.getValue();
            }
        }
        if (path == null) {
            return "OpenBLAS (library path unknown)";
        }
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), arena);
            return "OpenBLAS core " + call(lib, "openblas_get_corename") + "; config: " + call(lib, "openblas_get_config")
                    + "; OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                    + ", OPENBLAS_L2_SIZE=" + System.getenv("OPENBLAS_L2_SIZE");
        } catch (Throwable t) {
            return "OpenBLAS (core unknown: " + t + ")";
        }
    }

    @SuppressWarnings("restricted")
    private static String call(SymbolLookup lib, String fn) throws Throwable {
        MethodHandle h = Linker.nativeLinker().downcallHandle(lib.find(fn).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        MemorySegment s = (MemorySegment) h.invokeExact();
        return s.reinterpret(256).getString(0).trim();
    }

    public static void main(String[] args) {
        System.out.println(describe());
    }
}
