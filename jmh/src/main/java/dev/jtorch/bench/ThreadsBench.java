package dev.jtorch.bench;

import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The multi-threaded kernels on 1 and 2 kernel threads ({@code Kernels.setThreads}), float32 inference: a GEMM
 * (matmul 1024^3), a convolution (batch 8, 64 -> 64 channels, 3x3, 56x56), scaled dot-product attention
 * (16 x 8 heads, 128 x 64) and elementwise ops over 4M elements (add, tanh). Each gives the same bits on any
 * thread count (ThreadCountTest); {@code ./jtorch bench parallel} reports the speed-ups.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ThreadsBench {
    /** The kernels measured. */
    static final String[] KERNELS = {"gemm", "conv", "attention", "add", "tanh"};

    @Param({"gemm", "conv", "attention", "add", "tanh"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    Tensor a;
    Tensor b;
    Tensor c;

    @Setup(Level.Trial)
    public void setup() {
        Kernels.setThreads(threads);
        Torch.manualSeed(0);
        switch (kernel) {
            case "gemm" -> {
                a = Torch.randn(1024, 1024);
                b = Torch.randn(1024, 1024);
            }
            case "conv" -> {
                a = Torch.randn(8, 64, 56, 56);
                b = Torch.randn(64, 64, 3, 3).mul(0.05);
            }
            case "attention" -> {
                a = Torch.randn(16, 8, 128, 64);
                b = Torch.randn(16, 8, 128, 64);
                c = Torch.randn(16, 8, 128, 64);
            }
            default -> {
                a = Torch.randn(1 << 22);
                b = Torch.randn(1 << 22);
            }
        }
    }

    @Benchmark
    public Tensor run() {
        try (var _ = Autograd.noGrad()) {
            return switch (kernel) {
                case "gemm" -> a.matmul(b);
                case "conv" -> NnOps.convolution(a, b, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
                        false, new int[] {0, 0}, 1);
                case "attention" -> NnOps.scaledDotProductAttention(a, b, c, null, 0, false, null);
                case "add" -> a.add(b);
                default -> a.tanh();
            };
        }
    }
}
