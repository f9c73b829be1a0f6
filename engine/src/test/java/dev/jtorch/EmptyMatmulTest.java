package dev.jtorch;

import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Products (and softmax) with an empty dim, as PyTorch gives them: no output columns or rows (an empty key sequence in
 * attention), an empty batch, and an empty inner dim (a sum of nothing: zeros); gradients too. The expected
 * values are what such sums are by definition (empty shapes, zeros).
 */
class EmptyMatmulTest {
    static void check(Device d) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Torch.randn(3, 4).to(dt).to(d).requiresGrad_(true);
            Tensor b = Torch.randn(4, 0).to(dt).to(d).requiresGrad_(true);
            Tensor y = a.matmul(b);
            assertArrayEquals(new int[] {3, 0}, y.shape());
            y.sum().backward();
            assertArrayEquals(new double[12], a.grad().cpu().toDoubleArray(), 0.0);
            assertArrayEquals(new int[] {4, 0}, b.grad().shape());
            Tensor p = Torch.randn(2, 0, 5).to(dt).to(d);
            Tensor q = Torch.randn(2, 5, 3).to(dt).to(d);
            assertArrayEquals(new int[] {2, 0, 3}, p.matmul(q).shape());
            assertArrayEquals(new int[] {0, 0, 3}, Torch.randn(0, 0, 5).to(dt).to(d).matmul(q.narrow(0, 0, 0))
                    .shape());
            Tensor z = Torch.randn(3, 0).to(dt).to(d).matmul(Torch.randn(0, 2).to(dt).to(d));
            assertArrayEquals(new double[6], z.cpu().toDoubleArray(), 0.0);
            // softmax and log_softmax over an empty dim, and their gradients: empty
            Tensor e = Torch.randn(3, 0).to(dt).to(d).requiresGrad_(true);
            assertArrayEquals(new int[] {3, 0}, e.softmax(1).shape());
            e.logSoftmax(1).sum().add(e.softmax(1).sum()).backward();
            assertArrayEquals(new int[] {3, 0}, e.grad().shape());
            assertArrayEquals(new int[] {0, 4}, Torch.randn(0, 4).to(dt).to(d).softmax(1).shape());
            Tensor bias = Torch.ones(2).to(dt).to(d);
            assertEquals(6.0, bias.addmm(Torch.randn(3, 0).to(dt).to(d), Torch.randn(0, 2).to(dt).to(d))
                    .sum().item());
        }
    }

    @Test
    void onTheCpu() {
        check(Device.CPU);
    }

    @Tag("device")
    @Test
    void onASecondBackend() throws Exception {
        try (var _ = TestDevice.install()) {
            check(TestDevice.device());
        }
    }
}
