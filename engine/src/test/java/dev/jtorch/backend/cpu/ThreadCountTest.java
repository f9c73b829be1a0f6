package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The kernels that split their work over threads give the same bits with 1, 2 and 3 threads: GEMM (a large
 * matmul), the float32 attention forward (split by batch item and head), the convolution (split by batch item)
 * and elementwise ops over large tensors (split by ranges).
 */
class ThreadCountTest {
    static final Generator G = new Generator(23);

    static void sameBitsForEveryThreadCount(String what, Supplier<Tensor> op) {
        int saved = Kernels.threads();
        try {
            Kernels.setThreads(1);
            float[] one = op.get().toFloatArray();
            for (int threads : new int[] {2, 3}) {
                Kernels.setThreads(threads);
                assertArrayEquals(one, op.get().toFloatArray(), what + ": " + threads + " threads differ from 1");
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void matmul() {
        Tensor a = Torch.randn(G, DType.FLOAT32, 300, 257);
        Tensor b = Torch.randn(G, DType.FLOAT32, 257, 190);
        sameBitsForEveryThreadCount("matmul", () -> a.matmul(b));
    }

    @Test
    void attentionForward() {
        Tensor q = Torch.randn(G, DType.FLOAT32, 3, 4, 130, 64);
        Tensor k = Torch.randn(G, DType.FLOAT32, 3, 4, 150, 64);
        Tensor v = Torch.randn(G, DType.FLOAT32, 3, 4, 150, 48);
        try (var _ = Autograd.noGrad()) {
            sameBitsForEveryThreadCount("attention", () -> NnOps.scaledDotProductAttention(q, k, v, null, 0, false,
                    null));
            sameBitsForEveryThreadCount("causal attention", () -> NnOps.scaledDotProductAttention(q, k, v, null, 0,
                    true, null));
        }
    }

    @Test
    void convolution() {
        Tensor x = Torch.randn(G, DType.FLOAT32, 5, 16, 40, 40);
        Tensor w = Torch.randn(G, DType.FLOAT32, 24, 16, 3, 3);
        Tensor pw = Torch.randn(G, DType.FLOAT32, 24, 16, 1, 1);
        Tensor bias = Torch.randn(G, DType.FLOAT32, 24);
        try (var _ = Autograd.noGrad()) {
            sameBitsForEveryThreadCount("conv 3x3", () -> NnOps.convolution(x, w, bias, new int[] {1, 1},
                    new int[] {1, 1}, new int[] {1, 1}, false, new int[] {0, 0}, 1));
            sameBitsForEveryThreadCount("conv 1x1 stride 2", () -> NnOps.convolution(x, pw, null, new int[] {2, 2},
                    new int[] {0, 0}, new int[] {1, 1}, false, new int[] {0, 0}, 1));
            Tensor wt = Torch.randn(G, DType.FLOAT32, 16, 8, 3, 3);
            sameBitsForEveryThreadCount("transposed conv (input gradient kernel)", () -> NnOps.convolution(x, wt,
                    null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true, new int[] {1, 1}, 1));
        }
    }

    @Test
    void elementwiseOverLargeTensors() {
        Tensor a = Torch.randn(G, DType.FLOAT32, 1 << 20).add(0.5);
        Tensor b = Torch.randn(G, DType.FLOAT32, 1 << 20);
        sameBitsForEveryThreadCount("add", () -> a.add(b));
        sameBitsForEveryThreadCount("mul", () -> a.mul(b));
        sameBitsForEveryThreadCount("tanh", a::tanh);
        sameBitsForEveryThreadCount("sigmoid", a::sigmoid);
        sameBitsForEveryThreadCount("exp", a::exp);
        sameBitsForEveryThreadCount("add of a scalar", () -> a.add(2.5));
        int n = 1 << 20;
        sameBitsForEveryThreadCount("in place on a shifted view of itself", () -> {
            Tensor t = a.clone();
            t.narrow(0, 1, n - 1).add_(t.narrow(0, 0, n - 1));
            return t;
        });
        Tensor odd = Torch.randn(G, DType.FLOAT32, (1 << 19) + 77);
        sameBitsForEveryThreadCount("tanh of an odd length", odd::tanh);
    }
}
