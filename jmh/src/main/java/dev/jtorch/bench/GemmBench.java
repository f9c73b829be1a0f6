package dev.jtorch.bench;

import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * Single-threaded SGEMM, C = A * B, jtorch against OpenBLAS (through JavaCPP, operands in native memory so no
 * copy is timed) and EJML's FDRM in the same run. The shape is "OPmxnxk" where OP is NN, NT (B transposed)
 * or TN (A transposed). NT1x1024x256 is the hidden GEMV of an LSTM step at batch 1 (H = 256), NT32x1024x256 the
 * same at batch 32. The scalar twin has its own class with small shapes (it is ~100x slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class GemmBench {
    @Param({"NN16x16x16", "NN32x32x32", "NN64x64x64", "NN256x256x256", "NN512x512x512", "NN1024x1024x1024",
            "NN2048x2048x2048", "NN1000x999x1001", "NT1024x1024x1024", "TN1024x1024x1024", "NT1000x999x1001",
            "NT1x1024x256", "NT32x1024x256"})
    public String shape;

    GemmShape s;
    float[] a, b, c;
    FloatPointer pa, pb, pc;
    FMatrixRMaj ea, eb, ec;

    @Setup(Level.Trial)
    public void setup() {
        Kernels.setThreads(1);
        openblas.blas_set_num_threads(1);
        s = GemmShape.parse(shape);
        SplittableRandom r = new SplittableRandom(42);
        a = random(r, s.m() * s.k());
        b = random(r, s.k() * s.n());
        c = new float[s.m() * s.n()];
        pa = new FloatPointer(a);
        pb = new FloatPointer(b);
        pc = new FloatPointer(c);
        // EJML has no transposed-operand flag in mult(): multTransA / multTransB take the stored forms.
        ea = new FMatrixRMaj(s.ta() ? s.k() : s.m(), s.ta() ? s.m() : s.k(), true, a);
        eb = new FMatrixRMaj(s.tb() ? s.n() : s.k(), s.tb() ? s.k() : s.n(), true, b);
        ec = new FMatrixRMaj(s.m(), s.n());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @Benchmark
    public float[] jtorch() {
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

    @Benchmark
    public FMatrixRMaj ejml() {
        if (s.ta()) {
            CommonOps_FDRM.multTransA(ea, eb, ec);
        } else if (s.tb()) {
            CommonOps_FDRM.multTransB(ea, eb, ec);
        } else {
            CommonOps_FDRM.mult(ea, eb, ec);
        }
        return ec;
    }
}
