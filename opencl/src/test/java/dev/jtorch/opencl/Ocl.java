package dev.jtorch.opencl;

import dev.jtorch.Device;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the tests run on (opencl:0). Without an OpenCL platform the tests are skipped (JUnit
 * assumptions), and the suite prints one line saying why.
 */
final class Ocl {
    private static boolean announced;

    private Ocl() {
    }

    /** The backend of opencl:0, or skips the calling test. */
    static OpenClBackend backend() {
        String why = OpenClProvider.unavailableReason();
        if (why != null) {
            synchronized (Ocl.class) {
                if (!announced) {
                    announced = true;
                    System.out.println("OpenCL tests skipped: " + why);
                }
            }
        }
        Assumptions.assumeTrue(why == null, () -> "no OpenCL device: " + why);
        return OpenClProvider.backendOf(Device.opencl(0));
    }
}
