package dev.jtorch.opencl;

import dev.jtorch.Device;
import dev.jtorch.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery: the registry finds the provider, devices are listed GPUs first and described. */
class OpenClDeviceTest {
    @Test
    void theRegistryFindsTheDevices() {
        OpenClBackend ocl = Ocl.backend();
        List<Device> devices = Backends.devices(Device.Type.OPENCL);
        assertFalse(devices.isEmpty());
        assertEquals(Device.opencl(0), devices.getFirst());
        assertEquals(new OpenClProvider().devices(), devices);
        assertSame(ocl, Backends.of(Device.opencl(0)), "one backend per device");
        assertEquals(Device.opencl(0), ocl.device());
        assertNull(OpenClProvider.unavailableReason());
    }

    @Test
    void devicesAreListedGpusFirstAndDescribed() {
        Ocl.backend();
        List<ClDevice> all = Discovery.get().devices();
        boolean other = false;
        for (int i = 0; i < all.size(); i++) {
            ClDevice d = all.get(i);
            assertEquals(i, d.index);
            assertFalse(other && d.gpu(), "a GPU after a non-GPU: " + d.describe());
            other |= !d.gpu();
            String line = new OpenClProvider().describe(Device.opencl(i));
            assertTrue(line.startsWith("opencl:" + i + ": " + d.name), line);
            assertTrue(line.contains("platform " + d.platformName), line);
            assertTrue(line.contains("driver " + d.driverVersion), line);
            assertEquals(line, Backends.describe(Device.opencl(i)));
            System.out.println(line);
        }
        OpenClBackend ocl = Ocl.backend();
        assertEquals(ocl.clDevice().extensions.contains("cl_khr_fp64"), ocl.supportsFloat64());
        assertTrue(ocl.describe().contains(ocl.supportsFloat64() ? "float64 supported" : "no float64"));
    }

    @Test
    void versionsParse() {
        assertEquals(3, ClDevice.majorVersion("OpenCL 3.0 PoCL 3.1+debian"));
        assertEquals(1, ClDevice.majorVersion("OpenCL 1.2 CUDA 12.4"));
        assertEquals(1, ClDevice.majorVersion("garbage"));
    }
}
