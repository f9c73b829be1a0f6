package dev.jtorch.bench;

import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Gemv;
import dev.jtorch.kernels.PackedB;
import dev.jtorch.kernels.PackedGemv;
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
 * The batch-1 recurrent step's product, {@code gates += h W_hh^T} for an LSTM with hidden size {@code h} (k = h,
 * n = 4h), on one thread: the packed GEMV in float32 and with bfloat16 elements, against the packed GEMM at
 * m = 1 (what the layer ran before). The bytes streamed per call are 16 h^2 (float32) or 8 h^2 (bfloat16).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class GemvBench {
    @Param({"256", "512"})
    public int h;

    float[] x;
    float[] y;
    PackedGemv f32;
    PackedGemv bf16;
    PackedB gemm;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        float[] w = new float[4 * h * h];
        short[] bits = new short[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-0.1, 0.1);
            bits[i] = (short) (Float.floatToRawIntBits(w[i]) >>> 16);
        }
        x = new float[h];
        for (int i = 0; i < h; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        y = new float[4 * h];
        f32 = Gemv.pack(true, h, 4 * h, w, 0, h);
        bf16 = Gemv.packBf16(true, h, 4 * h, bits, 0, h);
        gemm = Gemm.packB(true, h, 4 * h, w, 0, h);
    }

    @Benchmark
    public float[] gemvFloat32() {
        Gemv.gemv(x, 0, f32, y, 0);
        return y;
    }

    @Benchmark
    public float[] gemvBfloat16() {
        Gemv.gemv(x, 0, bf16, y, 0);
        return y;
    }

    @Benchmark
    public float[] packedGemmM1() {
        Gemm.sgemm(false, 1, 1f, x, 0, h, gemm, 1f, y, 0, 4 * h);
        return y;
    }
}
