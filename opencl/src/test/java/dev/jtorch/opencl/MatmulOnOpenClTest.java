package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Matrix products of tensors on the OpenCL device through the registry ({@code matmul}, {@code mm}, {@code bmm},
 * {@code addmm} with a broadcast bias as {@code Linear} computes it, transposed operands, int64, and the gradients
 * of {@code mm}), agreeing with the same work on the CPU.
 */
class MatmulOnOpenClTest {
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
            assertEquals(e[i], a[i], 1e-4 + 1e-4 * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void matmulMmAndBmmMatchTheCpu() {
        Torch.manualSeed(5);
        Tensor a = Torch.randn(37, 50);
        Tensor b = Torch.randn(50, 29);
        Tensor ad = a.to(D);
        Tensor bd = b.to(D);
        assertClose(a.matmul(b), ad.matmul(bd));
        assertClose(a.mm(b), ad.mm(bd));
        assertClose(b.t().mm(a.t()), bd.t().mm(ad.t()));
        Tensor x = Torch.randn(4, 9, 33);
        Tensor y = Torch.randn(4, 33, 65);
        assertClose(x.bmm(y), x.to(D).bmm(y.to(D)));
        assertClose(x.matmul(y), x.to(D).matmul(y.to(D)));
        assertClose(x.matmul(y.select(0, 1)), x.to(D).matmul(y.to(D).select(0, 1)));
        assertClose(y.transpose(1, 2).bmm(x.transpose(1, 2)), y.to(D).transpose(1, 2).bmm(x.to(D).transpose(1, 2)));
        Tensor v = Torch.randn(50);
        assertClose(a.matmul(v), ad.matmul(v.to(D)));
        Tensor a64 = a.to(DType.FLOAT64);
        Tensor b64 = b.to(DType.FLOAT64);
        assertClose(a64.mm(b64), a64.to(D).mm(b64.to(D)));
    }

    @Test
    void int64ProductsAreExact() {
        Tensor a = Torch.arange(35).reshape(5, 7).sub(17).to(DType.INT64);
        Tensor b = Torch.arange(28).reshape(7, 4).mul(3).to(DType.INT64);
        assertArrayEquals(a.mm(b).toLongArray(), a.to(D).mm(b.to(D)).cpu().toLongArray());
    }

    @Test
    void addmmWithBiasAsLinearComputesIt() {
        Torch.manualSeed(6);
        Tensor x = Torch.randn(16, 40);
        Tensor w = Torch.randn(24, 40);
        Tensor bias = Torch.randn(24);
        assertClose(bias.addmm(x, w.t()), bias.to(D).addmm(x.to(D), w.to(D).t()));
        assertClose(bias.addmm(x, w.t(), 0.5, 2.0), bias.to(D).addmm(x.to(D), w.to(D).t(), 0.5, 2.0));
    }

    @Test
    void gradientsFlowBackThroughMm() {
        Torch.manualSeed(7);
        Tensor a = Torch.randn(13, 21);
        Tensor b = Torch.randn(21, 8);
        Tensor g = Torch.randn(13, 8);
        Tensor ac = a.clone().requiresGrad_(true);
        Tensor bc = b.clone().requiresGrad_(true);
        Tensor ad = a.to(D).requiresGrad_(true);
        Tensor bd = b.to(D).requiresGrad_(true);
        ac.mm(bc).tanh().backward(g);
        ad.mm(bd).tanh().backward(g.to(D));
        assertClose(ac.grad(), ad.grad());
        assertClose(bc.grad(), bd.grad());
    }
}
