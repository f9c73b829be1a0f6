package dev.jtorch.bench;

import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
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
 * Single-threaded DGEMM, C = A * B in double precision, jtorch against OpenBLAS's cblas_dgemm (through JavaCPP,
 * operands in native memory) in the same run, on a subset of {@link GemmBench}'s shapes (float64 is what
 * gradcheck and the float64 modules run).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class DgemmBench {
    /** The shapes the kernel report runs. */
    static final String[] SHAPES = {"NN64x64x64", "NN256x256x256", "NN1024x1024x1024", "NN1000x999x1001",
        "NT1024x1024x1024", "TN1024x1024x1024"};

    @Param({"NN64x64x64", "NN256x256x256", "NN1024x1024x1024", "NN1000x999x1001", "NT1024x1024x1024",
        "TN1024x1024x1024"})
    public String shape;

    GemmShape s;
    double[] a, b, c;
    DoublePointer pa, pb, pc;

    @Setup(Level.Trial)
    public void setup() {
        Kernels.setThreads(1);
        openblas.blas_set_num_threads(1);
        s = GemmShape.parse(shape);
        SplittableRandom r = new SplittableRandom(42);
        a = r.doubles(s.m() * s.k(), -1, 1).toArray();
        b = r.doubles(s.k() * s.n(), -1, 1).toArray();
        c = new double[s.m() * s.n()];
        pa = new DoublePointer(a);
        pb = new DoublePointer(b);
        pc = new DoublePointer(c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }

    @Benchmark
    public double[] jtorch() {
        Gemm.dgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1, a, 0, s.lda(), b, 0, s.ldb(), 0, c, 0, s.n());
        return c;
    }

    @Benchmark
    public DoublePointer openblas() {
        openblas.cblas_dgemm(openblas.CblasRowMajor, s.ta() ? openblas.CblasTrans : openblas.CblasNoTrans,
                s.tb() ? openblas.CblasTrans : openblas.CblasNoTrans, s.m(), s.n(), s.k(), 1, pa, s.lda(), pb, s.ldb(),
                0, pc, s.n());
        return pc;
    }
}
