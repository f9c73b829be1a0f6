package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What goes wrong is said clearly and never crashes the JVM: unknown devices, a failed kernel build (with its
 * build log), tensors of two devices in one op, buffers larger than the device allows, a device out of memory,
 * views reaching outside their storage, storages of another backend, and the ops not implemented yet.
 */
class OpenClErrorsTest {
    @Test
    void anUnknownDeviceIndexFailsClearly() {
        Ocl.backend();
        int n = Discovery.get().devices().size();
        var e = assertThrows(IllegalStateException.class, () -> Torch.ones(2).to(Device.opencl(n + 3)));
        assertTrue(e.getMessage().startsWith("device opencl:" + (n + 3) + " does not exist: this machine has [opencl:0"),
                e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> OpenClProvider.backendOf(Device.opencl(n)));
        assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
    }

    @Test
    void aKernelBuildFailureShowsTheBuildLog() {
        OpenClBackend ocl = Ocl.backend();
        var e = assertThrows(OpenClException.class, () -> ocl.compile(
                "__kernel void broken(__global float* x) {\n    x[0] = no_such_variable;\n}\n"));
        assertEquals("clBuildProgram", e.call());
        assertEquals(-11, e.code());
        assertEquals("CL_BUILD_PROGRAM_FAILURE", e.errorName());
        assertTrue(e.getMessage().startsWith("clBuildProgram failed: CL_BUILD_PROGRAM_FAILURE (-11)"), e.getMessage());
        assertTrue(e.getMessage().contains("build log"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_variable"), "the log names the culprit: " + e.getMessage());
        assertTrue(e.getMessage().contains("   2      x[0] = no_such_variable;"), "the numbered source");
    }

    @Test
    void tensorsOfTwoDevicesInOneOpFail() {
        Ocl.backend();
        Tensor x = Torch.randn(3);
        Tensor xd = x.to(Device.opencl(0));
        var e = assertThrows(IllegalArgumentException.class, () -> xd.add(x));
        assertEquals("Expected all tensors to be on the same device, but found at least two devices, opencl:0 and cpu!",
                e.getMessage());
    }

    @Test
    void aBufferLargerThanTheDeviceAllowsIsRefused() {
        OpenClBackend ocl = Ocl.backend();
        long max = ocl.clDevice().maxAllocation;
        assumeTrue(8L * Integer.MAX_VALUE > max, "the device takes a 16 GiB buffer");
        var e = assertThrows(IllegalStateException.class, () -> ocl.allocate(DType.FLOAT64, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("cannot allocate 17179869176 bytes in one buffer"), e.getMessage());
        assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE) is " + max + " bytes"), e.getMessage());
        // and the device still works
        assertEquals(3, ((float[]) ocl.toHost(ocl.fromHost(new float[] {1, 2, 3}, DType.FLOAT32), 0, 3)).length);
    }

    @Test
    void aFullDeviceSaysItIsOutOfMemory() {
        OpenClBackend ocl = Ocl.backend();
        long mib = 1 << 20;
        BufferPool pool = new BufferPool(ocl.clDevice(), 8 * mib); // a device of 8 MiB
        List<BufferPool.Block> held = new ArrayList<>();
        held.add(pool.acquire(3 * mib)); // rounded to 4 MiB
        held.add(pool.acquire(3 * mib));
        var e = assertThrows(IllegalStateException.class, () -> pool.acquire(3 * mib));
        assertEquals("OpenCL device " + ocl.clDevice().label() + " is out of memory allocating 3145728 bytes "
                + "(8388608 bytes held by tensors, 8388608 bytes of global memory)", e.getMessage());
        // a freed buffer is reused by the next request of its size
        pool.release(held.removeLast());
        assertEquals(4 * mib, pool.cached());
        BufferPool.Block again = pool.acquire(3 * mib + 5);
        assertEquals(0, pool.cached());
        pool.release(again);
        // and emptied from the cache when a request of another size needs the room
        BufferPool.Block other = pool.acquire(mib);
        assertEquals(mib, other.size());
        assertEquals(0, pool.cached(), "the 1 MiB buffer needed the cached 4 MiB one emptied");
        pool.release(other);
        pool.release(held.removeLast());
        pool.emptyCache();
        assertEquals(0, pool.inUse());
    }

    @Test
    void viewsOutsideTheirStorageAreRefusedBeforeTheDeviceSeesThem() {
        OpenClBackend ocl = Ocl.backend();
        Storage s = ocl.allocate(DType.FLOAT32, 10);
        View ok = View.contiguous(s, new int[] {10});
        View past = new View(s, new int[] {4, 3}, new int[] {3, 1}, 0); // reaches element 11
        View out = View.contiguous(ocl.allocate(DType.FLOAT32, 12), new int[] {4, 3});
        var e = assertThrows(IndexOutOfBoundsException.class, () -> ocl.unary(Op.NEG, past, out, 0, 0));
        assertTrue(e.getMessage().contains("reaches elements [0, 11] of a storage of 10 elements"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ocl.fill(new View(s, new int[] {5}, new int[] {2}, 2), 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ocl.fill(new View(s, new int[] {2}, new int[] {1}, -1), 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ocl.toHost(s, 8, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> ocl.toHost(s, -1, 1));
        Storage cpu = CpuBackend.INSTANCE.allocate(DType.FLOAT32, 10);
        var f = assertThrows(IllegalArgumentException.class,
                () -> ocl.copy(View.contiguous(cpu, new int[] {10}), ok));
        assertTrue(f.getMessage().contains("was handed the source on cpu"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ocl.fromHost(new float[2], DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> ocl.unary(Op.ADD, ok, ok, 0, 0));
        // nothing was written by the refused calls
        assertEquals(0f, ((float[]) ocl.toHost(s, 0, 10))[9]);
    }

    @Test
    void theNnPrimitivesRefuseBadArgumentsBeforeEnqueueing() {
        OpenClBackend ocl = Ocl.backend();
        View v = View.contiguous(ocl.allocate(DType.FLOAT32, 4), new int[] {2, 2});
        assertThrows(IllegalArgumentException.class,
                () -> ocl.norm(Op.NORM_APPLY, new View[] {v}, new View[] {v}, null));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ocl.embeddingBag(v, v, v, null, 0, -1, v, v, v, null));
        assertTrue(e.getMessage().contains("expected torch.int64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ocl.conv(Op.MAX_POOL, v, v, null, v, null));
        assertThrows(IllegalArgumentException.class, () -> ocl.pool(Op.CONV, v, null, v, null));
    }
}
