package dev.jtorch;

import dev.jtorch.kernels.Kernels;

/** Facts about this jtorch build and the JVM it runs on, like {@code torch.__version__} and {@code torch.__config__}. */
public final class JTorch {
    /** The jtorch version. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private JTorch() {
    }

    /** A few lines describing the build: version, Java runtime, kernel implementation and threads. */
    public static String config() {
        return "jtorch " + VERSION + "\n"
                + "java: " + System.getProperty("java.vm.name") + " " + Runtime.version() + "\n"
                + "kernels: " + Kernels.description() + "\n"
                + "threads: " + Kernels.threads() + "\n";
    }
}
