package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.kernels.Gemm;
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
 * {@code a.matmul(b)} through Tensor against the raw {@link Gemm#sgemm} kernel into a preallocated output,
 * float32, n x n, single-threaded (the kernel pool is set to 1 thread by the report). The Tensor path adds
 * shape checks, the output allocation (zeroed) and dispatch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class TensorMatmulBench {
    @Param({"256"})
    public int n;

    Tensor a, b;
    float[] x, y, c;

    @Setup(Level.Trial)
    public void setup() {
        Torch.manualSeed(2);
        a = Torch.randn(n, n);
        b = Torch.randn(n, n);
        x = a.toFloatArray();
        y = b.toFloatArray();
        c = new float[n * n];
    }

    @Benchmark
    public float[] kernel() {
        Gemm.sgemm(false, false, n, n, n, 1f, x, 0, n, y, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public Tensor tensor() {
        return a.matmul(b);
    }
}
