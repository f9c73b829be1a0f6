package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensors on the OpenCL device through the engine's registry (the provider found by ServiceLoader): moved there
 * with {@code to(Device.opencl(0))}, computed on with elementwise ops (broadcasts, views, in-place, dtype
 * conversions, autograd), and read back with {@code cpu()}, agreeing with the same work on the CPU.
 */
class TensorOnOpenClTest {
    private static final Device D = Device.opencl(0);

    @BeforeEach
    void device() {
        Ocl.backend();
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(Device.CPU, expected.device());
        assertEquals(D, actual.device(), "the result stays on the device");
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.dtype(), actual.dtype());
        double[] e = expected.toDoubleArray();
        double[] a = actual.cpu().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 + 1e-5 * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void tensorsMoveToTheDeviceComputeThereAndComeBack() {
        Torch.manualSeed(3);
        Tensor x = Torch.randn(3, 4);
        Tensor y = Torch.randn(3, 4);
        Tensor row = Torch.randn(4);
        Tensor xd = x.to(D);
        Tensor yd = y.to(D);
        assertEquals(D, xd.device());
        assertArrayEquals(x.toFloatArray(), xd.cpu().toFloatArray());
        assertArrayEquals(x.toFloatArray(), xd.toFloatArray(), "host reads go through the device");
        assertClose(x.add(y), xd.add(yd));
        assertClose(x.mul(y).relu().exp(), xd.mul(yd).relu().exp());
        assertClose(x.sub(y, 2.5), xd.sub(yd, 2.5));
        assertClose(x.add(row), xd.add(row.to(D)));
        assertClose(x.t().mul(y.t()), xd.t().mul(yd.t()));
        assertClose(x.add(2.0).div(3.0), xd.add(2.0).div(3.0));
        assertClose(x.gt(y), xd.gt(yd));
        assertClose(Torch.where(x.gt(0.0), x, y), Torch.where(xd.gt(0.0), xd, yd));
        assertClose(x.tanh().sigmoid().pow(2.0).clamp(0.3, 0.6), xd.tanh().sigmoid().pow(2.0).clamp(0.3, 0.6));
        assertClose(x.to(DType.FLOAT64).mul(y.to(DType.FLOAT64)), xd.to(DType.FLOAT64).mul(yd.to(DType.FLOAT64)));
        assertClose(x.half().float32(), xd.half().float32());
        assertClose(x.narrow(1, 1, 2).contiguous(), xd.narrow(1, 1, 2).contiguous());
        Tensor i = Torch.tensor(new long[] {5, -3, 7, 1 << 40}, 4);
        assertClose(i.mul(i).add(i), i.to(D).mul(i.to(D)).add(i.to(D)));
    }

    @Test
    void inPlaceOpsFactoriesAndFillsStayOnTheDevice() {
        Tensor x = Torch.randn(2, 5);
        Tensor xd = x.to(D);
        Tensor b = Torch.randn(5);
        x.add_(b).mul_(2.0);
        xd.add_(b.to(D)).mul_(2.0);
        assertClose(x, xd);
        assertClose(Torch.zeros(2, 3), Torch.zerosLike(xd.narrow(1, 0, 3)));
        assertClose(Torch.full(new int[] {2, 2}, 7.5, DType.FLOAT32, Device.CPU),
                Torch.full(new int[] {2, 2}, 7.5, DType.FLOAT32, D));
        Tensor z = Torch.zeros(DType.FLOAT32, D, 3, 3);
        z.t().narrow(0, 1, 1).fill_(4);
        Tensor zc = Torch.zeros(3, 3);
        zc.t().narrow(0, 1, 1).fill_(4);
        assertClose(zc, z);
        assertEquals(D, x.cuda().device(), "cuda() is the first OpenCL device");
    }

    @Test
    void gradientsOfElementwiseOpsFlowOnTheDevice() {
        Tensor x = Torch.randn(3, 4);
        Tensor y = Torch.randn(3, 4);
        Tensor xd = x.to(D).requiresGrad_(true);
        Tensor yd = y.to(D).requiresGrad_(true);
        Tensor xc = x.clone().requiresGrad_(true);
        Tensor yc = y.clone().requiresGrad_(true);
        xc.mul(yc).tanh().mul(xc).backward(Torch.onesLike(xc));
        xd.mul(yd).tanh().mul(xd).backward(Torch.onesLike(xd));
        assertClose(xc.grad(), xd.grad());
        assertClose(yc.grad(), yd.grad());
    }

    @Test
    void threadsShareTheDevice() throws Exception {
        Tensor x = Torch.randn(64, 33);
        Tensor expected = x.mul(x).add(1.0).sqrt().neg();
        Tensor xd = x.to(D);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Tensor>>();
            for (int t = 0; t < 16; t++) {
                results.add(pool.submit(() -> xd.mul(xd).add(1.0).sqrt().neg().t().contiguous().t()));
            }
            for (var f : results) {
                assertClose(expected, f.get());
            }
        }
    }

    @Test
    void layerNormRunsOnTheDevice() {
        Tensor x = Torch.randn(3, 4);
        Tensor yd = dev.jtorch.NnOps.layerNorm(x.to(D), new int[] {4}, null, null, 1e-5);
        assertEquals(D, yd.device());
        assertClose(dev.jtorch.NnOps.layerNorm(x, new int[] {4}, null, null, 1e-5), yd);
    }
}
