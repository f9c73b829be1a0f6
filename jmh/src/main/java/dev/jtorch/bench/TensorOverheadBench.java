package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.kernels.Elementwise;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one small elementwise add through {@link Tensor}: shape checks, dtype promotion, output
 * allocation, backend dispatch and (with grad on) the graph node. Peers in the same run: the raw kernel into
 * a preallocated array, and the raw kernel plus the allocation of its output (what any out-of-place API pays).
 *
 * <ul>
 *   <li>{@code tensorNoGrad}: inputs that do not require grad (grad mode on, nothing recorded)</li>
 *   <li>{@code tensorNoGradMode}: inputs that require grad, inside {@code Autograd.noGrad()}</li>
 *   <li>{@code tensorGradOn}: inputs that require grad, grad mode on: an AddBackward0 node per call</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TensorOverheadBench {
    @Param({"16"})
    public int n;

    Tensor a, b, ga, gb;
    float[] x, y, z;
    Autograd.GradGuard guard;

    @Setup(Level.Trial)
    public void setup() {
        Torch.manualSeed(1);
        a = Torch.randn(n);
        b = Torch.randn(n);
        ga = Torch.randn(n).requiresGrad_(true);
        gb = Torch.randn(n).requiresGrad_(true);
        x = a.toFloatArray();
        y = b.toFloatArray();
        z = new float[n];
    }

    @Benchmark
    public float[] kernel() {
        Elementwise.add(x, 0, y, 0, z, 0, n);
        return z;
    }

    @Benchmark
    public float[] kernelAlloc() {
        float[] out = new float[n];
        Elementwise.add(x, 0, y, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public Tensor tensorNoGrad() {
        return a.add(b);
    }

    @Benchmark
    public Tensor tensorNoGradMode() {
        try (var _ = Autograd.noGrad()) {
            return ga.add(gb);
        }
    }

    @Benchmark
    public Tensor tensorGradOn() {
        return ga.add(gb);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (tensorGradOn().gradFn() == null || tensorNoGrad().gradFn() != null) {
            throw new IllegalStateException("grad mode not as the benchmark assumes");
        }
    }
}
