package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared tensors read by many threads under noGrad: same results as one thread, nothing recorded. */
class ConcurrencyTest {
    @Test
    void concurrentNoGradInferenceMatchesSingleThread() throws Exception {
        Torch.manualSeed(11);
        Tensor w1 = Torch.randn(64, 32).requiresGrad_(true);
        Tensor b1 = Torch.randn(32).requiresGrad_(true);
        Tensor w2 = Torch.randn(32, 10).requiresGrad_(true);
        Tensor[] inputs = new Tensor[16];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Torch.randn(4, 64);
        }
        float[][] expected = new float[inputs.length][];
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < inputs.length; i++) {
                expected[i] = forward(inputs[i], w1, b1, w2).toFloatArray();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    try (var _ = Autograd.noGrad()) {
                        for (int k = 0; k < 200; k++) {
                            int i = (seed * 7 + k) % inputs.length;
                            Tensor y = forward(inputs[i], w1, b1, w2);
                            assertNull(y.gradFn());
                            assertArrayEquals(expected[i], y.toFloatArray());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertNull(w1.grad());
        assertTrue(Autograd.isGradEnabled());
    }

    static Tensor forward(Tensor x, Tensor w1, Tensor b1, Tensor w2) {
        return x.matmul(w1).add(b1).tanh().matmul(w2).logSoftmax(1);
    }
}
