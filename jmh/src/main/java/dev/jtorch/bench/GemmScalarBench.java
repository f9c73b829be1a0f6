package dev.jtorch.bench;

import dev.jtorch.kernels.Gemm;
import java.util.SplittableRandom;
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
 * The scalar twin through the same public API, in a fork with {@code -Djtorch.kernels.scalar=true}: the
 * "plain Java" peer. Only small shapes: it is two orders of magnitude slower than the packed kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.scalar=true",
    "-Djtorch.kernels.threads=1"})
public class GemmScalarBench {
    @Param({"NN16x16x16", "NN32x32x32", "NN64x64x64", "NN256x256x256"})
    public String shape;

    GemmShape s;
    float[] a, b, c;

    @Setup(Level.Trial)
    public void setup() {
        s = GemmShape.parse(shape);
        SplittableRandom r = new SplittableRandom(42);
        a = GemmBench.random(r, s.m() * s.k());
        b = GemmBench.random(r, s.k() * s.n());
        c = new float[s.m() * s.n()];
    }

    @Benchmark
    public float[] scalar() {
        Gemm.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n());
        return c;
    }
}
