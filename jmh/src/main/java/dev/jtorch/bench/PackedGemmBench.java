package dev.jtorch.bench;

import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.kernels.PackedB;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
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
 * The hidden-state product of one recurrent step, C (B x G*H) = h (B x H) * W_hh^T, single-threaded: jtorch
 * with W_hh packed once ({@code packed}, what the recurrent layers do), jtorch packing it per product
 * ({@code unpacked}), the packing itself ({@code pack}), and OpenBLAS's cblas_sgemm on the same operands in the same run. The shape is
 * "NTmxnxk" as in {@link GemmBench}: NT1x1024x256 and NT32x1024x256 are LSTM steps with H = 256 at batch 1 and
 * 32, NT64x2048x512 an LSTM step with H = 512 at batch 64.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class PackedGemmBench {
    @Param({"NT1x1024x256", "NT32x1024x256", "NT64x2048x512"})
    public String shape;

    GemmShape s;
    float[] a, b, c;
    PackedB packedB;
    FloatPointer pa, pb, pc;

    @Setup(Level.Trial)
    public void setup() {
        Kernels.setThreads(1);
        openblas.blas_set_num_threads(1);
        s = GemmShape.parse(shape);
        SplittableRandom r = new SplittableRandom(42);
        a = GemmBench.random(r, s.m() * s.k());
        b = GemmBench.random(r, s.k() * s.n());
        c = new float[s.m() * s.n()];
        packedB = Gemm.packB(s.tb(), s.k(), s.n(), b, 0, s.ldb());
        pa = new FloatPointer(a);
        pb = new FloatPointer(b);
        pc = new FloatPointer(c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }

    @Benchmark
    public float[] packed() {
        Gemm.sgemm(s.ta(), s.m(), 1f, a, 0, s.lda(), packedB, 0f, c, 0, s.n());
        return c;
    }

    /** The one-off cost that {@code packed} saves per product. */
    @Benchmark
    public PackedB pack() {
        return Gemm.packB(s.tb(), s.k(), s.n(), b, 0, s.ldb());
    }

    @Benchmark
    public float[] unpacked() {
        Gemm.sgemm(s.ta(), s.tb(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n());
        return c;
    }

    @Benchmark
    public FloatPointer openblas() {
        openblas.cblas_sgemm(openblas.CblasRowMajor, s.ta() ? openblas.CblasTrans : openblas.CblasNoTrans,
                s.tb() ? openblas.CblasTrans : openblas.CblasNoTrans, s.m(), s.n(), s.k(), 1f, pa, s.lda(), pb, s.ldb(),
                0f, pc, s.n());
        return pc;
    }
}
