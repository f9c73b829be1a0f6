package dev.jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider takes the path the system properties ask for, so a test run never passes on the wrong path. */
class KernelsTest {
    @Test
    void pathFollowsProperties() {
        if (Boolean.getBoolean(Kernels.SCALAR_PROPERTY)) {
            assertFalse(Kernels.vectorized(), Kernels.description());
            assertTrue(Kernels.description().startsWith("scalar (forced"), Kernels.description());
            assertEquals(1, Kernels.floatLanes());
            return;
        }
        assertTrue(Kernels.vectorized(), "the vector path is off in a test run: " + Kernels.description());
        String bits = System.getProperty(Kernels.VECTOR_BITS_PROPERTY);
        if (bits != null) {
            assertEquals(Integer.parseInt(bits) / 32, Kernels.floatLanes(), Kernels.description());
        }
    }

    @Test
    void threadsAreValidated() {
        GemmTest.assertMessage("threads must be >= 1 but was 0", () -> Kernels.setThreads(0));
    }
}
