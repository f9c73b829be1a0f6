package dev.jtorch.testing;

import dev.jtorch.Device;
import dev.jtorch.backend.Backends;
import org.junit.jupiter.api.Assumptions;

/**
 * The second backend the device suites run on: {@link FakeDevice} by default, or a real device named by
 * {@code -Djtorch.test.device=opencl:0} (the OpenCL module runs the engine's and nn's device suites that way).
 * With a real device that has no backend on this machine, the suites are skipped (JUnit assumptions) and the
 * reason is printed once.
 */
public final class TestDevice {
    /** The system property naming a real device. */
    public static final String PROPERTY = "jtorch.test.device";

    private static volatile boolean announced;

    private TestDevice() {
    }

    /** Whether the suites run on a real device rather than {@link FakeDevice}. */
    public static boolean real() {
        return System.getProperty(PROPERTY) != null;
    }

    /** The device the suites run on. */
    public static Device device() {
        String spec = System.getProperty(PROPERTY);
        return spec == null ? FakeDevice.DEVICE : Device.of(spec);
    }

    /**
     * Makes {@link #device()} usable until the handle is closed: installs {@link FakeDevice}, or checks that the
     * real device has a backend (skipping the calling test when it has none).
     */
    public static AutoCloseable install() {
        if (!real()) {
            return FakeDevice.install();
        }
        Device d = device();
        String why = null;
        try {
            Backends.of(d);
        } catch (RuntimeException e) {
            why = e.getMessage();
        }
        if (why != null && !announced) {
            announced = true;
            System.out.println("device suites on " + d + " skipped: " + why);
        }
        String reason = why;
        Assumptions.assumeTrue(reason == null, () -> "no backend for " + d + ": " + reason);
        return () -> { };
    }
}
