package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Backends;
import dev.jtorch.testing.FakeDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device seam: backends found through the registry, tensors moved between devices, factories and
 * {@code *Like} following a device, copies and gradients crossing devices, and clear errors where a device is
 * missing. Runs on {@link FakeDevice}, a second backend that needs no driver.
 */
class DeviceSeamTest {
    @Test
    void aDeviceWithoutABackendFailsClearly() {
        Tensor x = Torch.ones(3);
        var e = assertThrows(IllegalStateException.class, () -> x.to(Device.opencl(0)));
        assertTrue(e.getMessage().contains("no opencl backend is available for device opencl:0"), e.getMessage());
        assertTrue(e.getMessage().contains("jtorch-opencl"), e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, x::cuda);
        assertTrue(e2.getMessage().contains("no opencl backend"), e2.getMessage());
        assertSame(x, x.to(Device.CPU));
    }

    @Test
    void anUnknownDeviceIndexFailsClearly() throws Exception {
        try (var _ = FakeDevice.install()) {
            var e = assertThrows(IllegalStateException.class, () -> Torch.ones(2).to(Device.opencl(3)));
            assertEquals("device opencl:3 does not exist: this machine has [opencl:0]", e.getMessage());
            assertThrows(IllegalStateException.class, () -> Torch.ones(2).cuda(1));
        }
    }

    @Test
    void tensorsMoveAndComputeOnTheDevice() throws Exception {
        try (var _ = FakeDevice.install()) {
            Tensor x = Torch.randn(3, 4);
            Tensor y = Torch.randn(4, 2);
            Tensor xd = x.to(FakeDevice.DEVICE);
            assertEquals(FakeDevice.DEVICE, xd.device());
            assertEquals(FakeDevice.DEVICE, x.cuda().device());
            assertEquals(FakeDevice.DEVICE, x.cuda(0).device());
            Tensor zd = xd.matmul(y.to(FakeDevice.DEVICE)).relu().softmax(1).sum(0);
            assertEquals(FakeDevice.DEVICE, zd.device());
            Tensor z = x.matmul(y).relu().softmax(1).sum(0);
            assertArrayEquals(z.toFloatArray(), zd.cpu().toFloatArray());
            assertArrayEquals(z.toFloatArray(), zd.toFloatArray(), "host reads cross the device too");
            assertArrayEquals(x.t().toFloatArray(), x.t().to(FakeDevice.DEVICE).cpu().toFloatArray(),
                    "a strided view moves as its values");
            var e = assertThrows(IllegalArgumentException.class, () -> xd.add(x));
            assertTrue(e.getMessage().contains("Expected all tensors to be on the same device"), e.getMessage());
        }
    }

    @Test
    void factoriesAndLikeFollowTheDevice() throws Exception {
        try (var _ = FakeDevice.install()) {
            Tensor d = Torch.zeros(DType.FLOAT64, FakeDevice.DEVICE, 2, 3);
            assertEquals(FakeDevice.DEVICE, d.device());
            assertEquals(DType.FLOAT64, d.dtype());
            for (Tensor t : new Tensor[] {Torch.zerosLike(d), Torch.onesLike(d), Torch.fullLike(d, 2.5),
                Torch.randLike(d), Torch.randnLike(d), Torch.ones(DType.FLOAT32, FakeDevice.DEVICE, 2),
                Torch.full(new int[] {2}, 7, DType.INT64, FakeDevice.DEVICE)}) {
                assertEquals(FakeDevice.DEVICE, t.device());
            }
            assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, Torch.fullLike(d, 2.5).toDoubleArray());
            Torch.manualSeed(5);
            double[] host = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 2, 3).toDoubleArray();
            Torch.manualSeed(5);
            assertArrayEquals(host, Torch.randnLike(d).toDoubleArray(), "the same stream as on the CPU");
        }
    }

    @Test
    void copiesAndGradientsCrossDevices() throws Exception {
        try (var _ = FakeDevice.install()) {
            Tensor x = Torch.tensor(new double[] {1, -2, 3}).requiresGrad_(true);
            Tensor y = x.to(FakeDevice.DEVICE).mul(x.to(FakeDevice.DEVICE)).sum();
            assertEquals(FakeDevice.DEVICE, y.device());
            y.backward();   // the seed is made on y's device
            assertEquals(Device.CPU, x.grad().device());
            assertArrayEquals(new double[] {2, -4, 6}, x.grad().toDoubleArray());
            Tensor dst = Torch.zeros(DType.FLOAT32, FakeDevice.DEVICE, 3);
            dst.copy_(Torch.tensor(new double[] {4, 5, 6}));
            assertArrayEquals(new float[] {4, 5, 6}, dst.toFloatArray());
            Tensor back = Torch.zeros(3);
            back.copy_(dst);
            assertArrayEquals(new float[] {4, 5, 6}, back.toFloatArray());
            try (var _ = Autograd.noGrad()) {
                assertNull(x.to(FakeDevice.DEVICE).gradFn());
            }
        }
    }

    /**
     * The fused recurrent layer op runs on the device (an LSTM with a projection, in the reverse direction, over
     * packed rows of unequal lengths): outputs, states and every gradient equal the CPU's, on the device.
     */
    @Test
    void theRecurrentLayerOpRunsOnTheDevice() throws Exception {
        try (var _ = FakeDevice.install()) {
            Generator g = new Generator(3);
            long[] bs = {3, 2, 2, 1};
            Tensor[] cpu = {Torch.randn(g, DType.FLOAT64, 8, 4), Torch.randn(g, DType.FLOAT64, 3, 2),
                Torch.randn(g, DType.FLOAT64, 3, 5), Torch.randn(g, DType.FLOAT64, 20, 4),
                Torch.randn(g, DType.FLOAT64, 20, 2), Torch.randn(g, DType.FLOAT64, 20),
                Torch.randn(g, DType.FLOAT64, 20), Torch.randn(g, DType.FLOAT64, 2, 5)};
            Tensor[] dev = new Tensor[cpu.length];
            for (int i = 0; i < cpu.length; i++) {
                cpu[i].requiresGrad_(true);
                dev[i] = cpu[i].detach().to(FakeDevice.DEVICE).requiresGrad_(true);
            }
            Tensor[] want = run(cpu, bs);
            Tensor[] got = run(dev, bs);
            for (int i = 0; i < 3; i++) {
                assertEquals(FakeDevice.DEVICE, got[i].device());
                assertArrayEquals(want[i].toDoubleArray(), got[i].cpu().toDoubleArray(), "output " + i);
            }
            want[0].sum().add(want[1].mul(want[1]).sum()).add(want[2].sum()).backward();
            got[0].sum().add(got[1].mul(got[1]).sum()).add(got[2].sum()).backward();
            for (int i = 0; i < cpu.length; i++) {
                assertEquals(FakeDevice.DEVICE, dev[i].grad().device());
                assertArrayEquals(cpu[i].grad().toDoubleArray(), dev[i].grad().cpu().toDoubleArray(), "grad " + i);
            }
            // a weight written in place (an optimizer step) is seen by the next forward, not a stale packed copy
            try (var _ = Autograd.noGrad()) {
                cpu[4].mul_(0.5);
                dev[4].mul_(0.5);
                Tensor[] after = run(dev, bs);
                assertArrayEquals(run(cpu, bs)[0].toDoubleArray(), after[0].cpu().toDoubleArray(), "after a step");
                assertTrue(!java.util.Arrays.equals(want[0].toDoubleArray(), after[0].cpu().toDoubleArray()));
            }
        }
    }

    /** t = {x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr}. */
    private static Tensor[] run(Tensor[] t, long[] bs) {
        return NnOps.rnnLayer(RnnMode.LSTM, t[0], bs, true, t[3], t[4], t[5], t[6], t[7], t[1], t[2]);
    }

    @Test
    void indexRangesAreCheckedOnTheDeviceWithTheCpusMessages() throws Exception {
        try (var _ = FakeDevice.install()) {
            Tensor t = Torch.randn(3, 2);
            Tensor td = t.to(FakeDevice.DEVICE);
            Tensor ok = Torch.tensor(new long[] {2, 0});
            assertArrayEquals(t.indexSelect(0, ok).toFloatArray(),
                    td.indexSelect(0, ok.to(FakeDevice.DEVICE)).toFloatArray());
            for (long bad : new long[] {-1, 3}) {
                Tensor ix = Torch.tensor(new long[] {0, bad});
                String cpu = assertThrows(IndexOutOfBoundsException.class, () -> t.indexSelect(0, ix)).getMessage();
                String dev = assertThrows(IndexOutOfBoundsException.class,
                        () -> td.indexSelect(0, ix.to(FakeDevice.DEVICE))).getMessage();
                assertEquals(cpu, dev);
            }
        }
    }

    @Test
    void theRegistryListsDevices() throws Exception {
        assertEquals(java.util.List.of(Device.CPU), Backends.devices(Device.Type.CPU));
        try (var _ = FakeDevice.install()) {
            assertEquals(java.util.List.of(FakeDevice.DEVICE), Backends.devices(Device.Type.OPENCL));
            assertSame(FakeDevice.INSTANCE, Backends.of(FakeDevice.DEVICE));
        }
        assertThrows(IllegalStateException.class, () -> Backends.of(FakeDevice.DEVICE));
    }
}
