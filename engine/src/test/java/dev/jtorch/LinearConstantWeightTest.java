package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * NnOps.linear in inference with a parameter-like weight (a leaf requiring grad) runs on the weight's cached packed
 * panels: the same values as the composite (addmm / matmul + bias) computed with grad on, for float32 and float64,
 * 1-D to 3-D and transposed inputs, with and without a bias; a changed weight (an in-place update bumps its
 * version) is repacked; concurrent calls agree.
 */
class LinearConstantWeightTest {

    static Tensor composite(Tensor x, Tensor w, Tensor b) {
        Tensor y = x.dim() == 2 && b != null ? b.addmm(x, w.t()) : x.matmul(w.t());
        return x.dim() == 2 && b != null ? y : b == null ? y : y.add(b);
    }

    static void same(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + " element " + i);
        }
    }

    @Test
    void equalsTheCompositeForEveryInputShape() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-13;
            Torch.manualSeed(3);
            Tensor w = Torch.randn(37, 19).to(dt).requiresGrad_(true);
            Tensor b = Torch.randn(37).to(dt).requiresGrad_(true);
            List<Tensor> inputs = List.of(Torch.randn(19).to(dt), Torch.randn(5, 19).to(dt),
                    Torch.randn(3, 4, 19).to(dt), Torch.randn(19, 6).to(dt).t(), Torch.randn(1, 19).to(dt),
                    Torch.randn(130, 19).to(dt));
            for (Tensor x : inputs) {
                for (Tensor bias : new Tensor[] {b, null}) {
                    Tensor expected;
                    try (var _ = Autograd.enableGrad()) {
                        expected = composite(x, w, bias).detach();
                    }
                    Tensor actual;
                    try (var _ = Autograd.noGrad()) {
                        actual = NnOps.linear(x, w, bias);
                    }
                    assertNull(actual.gradFn());
                    same(dt + " " + java.util.Arrays.toString(x.shape()) + (bias == null ? " no bias" : ""), expected,
                            actual, tol);
                }
            }
        }
    }

    @Test
    void aChangedWeightIsRepacked() {
        Torch.manualSeed(4);
        Tensor w = Torch.randn(64, 32).requiresGrad_(true);
        Tensor x = Torch.randn(8, 32);
        try (var _ = Autograd.noGrad()) {
            Tensor before = NnOps.linear(x, w, null);
            w.mul_(2);   // as an optimizer step: in place, version bumped
            Tensor after = NnOps.linear(x, w, null);
            same("repacked after an in-place update", before.mul(2), after, 1e-6);
            w.copy_(Torch.zeros(64, 32));
            same("repacked after copy_", Torch.zeros(8, 64), NnOps.linear(x, w, null), 0);
        }
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        Torch.manualSeed(5);
        Tensor w = Torch.randn(256, 128).requiresGrad_(true);
        Tensor b = Torch.randn(256).requiresGrad_(true);
        Tensor x = Torch.randn(33, 128);
        Tensor expected;
        try (var _ = Autograd.noGrad()) {
            expected = NnOps.linear(x, w, b);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                fs.add(pool.submit(() -> {
                    try (var _ = Autograd.noGrad()) {
                        return NnOps.linear(x, w, b);
                    }
                }));
            }
            for (Future<Tensor> f : fs) {
                same("concurrent", expected, f.get(), 0);
            }
        } finally {
            pool.shutdown();
        }
    }
}
