package dev.jtorch.bench;

import dev.jtorch.kernels.Activations;
import dev.jtorch.kernels.Elementwise;
import dev.jtorch.kernels.RnnGates;
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
 * One LSTM time step's elementwise part at B = 32, H = 256 (gates [B, 4H] already computed by the GEMMs):
 * the fused kernel against the same step done as separate elementwise passes over jtorch's own vector
 * kernels, the way an unfused tensor library runs it (sigmoid i, sigmoid f, tanh g, sigmoid o, f * c_prev,
 * i * g, add, tanh c, o * tanh c: nine passes, outputs preallocated so no allocation is timed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmGateBench {
    @Param({"32"})
    public int batch;

    @Param({"256"})
    public int hidden;

    float[] gates, act, cPrev, c, h, t1, t2, tc;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(3);
        int bh = batch * hidden;
        gates = GemmBench.random(r, 4 * bh);
        for (int i = 0; i < gates.length; i++) {
            gates[i] *= 4;
        }
        act = new float[4 * bh];
        cPrev = GemmBench.random(r, bh);
        c = new float[bh];
        h = new float[bh];
        t1 = new float[bh];
        t2 = new float[bh];
        tc = new float[bh];
    }

    @Benchmark
    public float[] fused() {
        RnnGates.lstmGatesForward(batch, hidden, gates, 0, cPrev, 0, c, 0, h, 0, act, 0);
        return h;
    }

    @Benchmark
    public float[] separatePasses() {
        int hd = hidden;
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hd;
            Activations.sigmoid(gates, g, act, g, hd);
            Activations.sigmoid(gates, g + hd, act, g + hd, hd);
            Activations.tanh(gates, g + 2 * hd, act, g + 2 * hd, hd);
            Activations.sigmoid(gates, g + 3 * hd, act, g + 3 * hd, hd);
        }
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hd, s = b * hd;
            Elementwise.mul(act, g + hd, cPrev, s, t1, s, hd);
            Elementwise.mul(act, g, act, g + 2 * hd, t2, s, hd);
        }
        Elementwise.add(t1, 0, t2, 0, c, 0, batch * hd);
        Activations.tanh(c, 0, tc, 0, batch * hd);
        for (int b = 0; b < batch; b++) {
            Elementwise.mul(act, b * 4 * hd + 3 * hd, tc, b * hd, h, b * hd, hd);
        }
        return h;
    }

    /**
     * Only the step's five transcendental passes (sigmoid i, f, o, tanh g, tanh c), none of its multiplies and
     * adds: what any form of the step pays, so the most fusing can save is separatePasses minus this.
     */
    @Benchmark
    public float[] transcendentalsOnly() {
        int hd = hidden;
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hd;
            Activations.sigmoid(gates, g, act, g, 2 * hd);
            Activations.tanh(gates, g + 2 * hd, act, g + 2 * hd, hd);
            Activations.sigmoid(gates, g + 3 * hd, act, g + 3 * hd, hd);
        }
        Activations.tanh(cPrev, 0, tc, 0, batch * hd);
        return tc;
    }
}
