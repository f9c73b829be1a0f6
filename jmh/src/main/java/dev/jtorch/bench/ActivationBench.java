package dev.jtorch.bench;

import dev.jtorch.kernels.Activations;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * Float tanh, sigmoid and exp over an array: jtorch's kernels against the JDK's own lanewise TANH / EXP
 * (Vector API, backed by the JDK's SVML-style stubs where it has them; sigmoid as 1 / (1 + EXP(-x))) and
 * against the scalar loop over java.lang.Math (the twin). Inputs in [-8, 8], where all three functions
 * are in their non-trivial range; n = 4096 and 4099 (not a multiple of the lane count).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Param({"tanh", "sigmoid", "exp"})
    public String fn;

    @Param({"4096", "4099"})
    public int n;

    float[] x, y;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        x = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-8, 8);
        }
    }

    @Benchmark
    public float[] jtorch() {
        switch (fn) {
            case "tanh" -> Activations.tanh(x, 0, y, 0, n);
            case "sigmoid" -> Activations.sigmoid(x, 0, y, 0, n);
            default -> Activations.exp(x, 0, y, 0, n);
        }
        return y;
    }

    @Benchmark
    public float[] jdkLanewise() {
        switch (fn) {
            case "tanh" -> jdkTanh(x, y, n);
            case "sigmoid" -> jdkSigmoid(x, y, n);
            default -> jdkExp(x, y, n);
        }
        return y;
    }

    @Benchmark
    public float[] scalar() {
        switch (fn) {
            case "tanh" -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.tanh(x[i]);
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) (1 / (1 + Math.exp(-x[i])));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.exp(x[i]);
                }
            }
        }
        return y;
    }

    // One loop per operator with the operator as a constant: passed as a parameter, lanewise(op) is not
    // intrinsified and falls back to a per-lane loop (20x slower), which would flatter jtorch.
    private static void jdkTanh(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, i, m).lanewise(VectorOperators.TANH).intoArray(y, i, m);
        }
    }

    private static void jdkExp(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, i, m).lanewise(VectorOperators.EXP).intoArray(y, i, m);
        }
    }

    private static void jdkSigmoid(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector e = FloatVector.fromArray(S, x, i, m).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, i, m);
        }
    }

    /**
     * The largest error in ulp of jtorch's kernel and of the JDK's lanewise form of {@code fn} over a sample of the
     * finite floats (every 4099th bit pattern of each sign, about a million points), against the double result
     * (Math.exp / tanh, sigmoid as 1 / (1 + e^-x) in double): {jtorch, JDK}. The sample is run three times and
     * the last pass measured, so the JDK's loop is the C2-compiled one (its intrinsic stubs), not the interpreter's
     * per-lane fallback.
     */
    static double[] maxUlp(String fn) {
        int n = 0x7f800000 / 4099 + 1;
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = Float.intBitsToFloat(i * 4099);
            x[2 * i + 1] = -x[2 * i];
        }
        float[] mine = new float[x.length];
        float[] jdk = new float[x.length];
        double[] worst = new double[2];
        for (int pass = 0; pass < 3; pass++) {
            for (int off = 0; off < x.length; off += 4096) {
                int len = Math.min(4096, x.length - off);
                float[] xs = java.util.Arrays.copyOfRange(x, off, off + len);
                float[] a = new float[len];
                float[] b = new float[len];
                switch (fn) {
                    case "tanh" -> {
                        Activations.tanh(xs, 0, a, 0, len);
                        jdkTanh(xs, b, len);
                    }
                    case "sigmoid" -> {
                        Activations.sigmoid(xs, 0, a, 0, len);
                        jdkSigmoid(xs, b, len);
                    }
                    default -> {
                        Activations.exp(xs, 0, a, 0, len);
                        jdkExp(xs, b, len);
                    }
                }
                System.arraycopy(a, 0, mine, off, len);
                System.arraycopy(b, 0, jdk, off, len);
            }
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            double ref = switch (fn) {
                case "tanh" -> Math.tanh(v);
                case "sigmoid" -> 1 / (1 + Math.exp(-v));
                default -> Math.exp(v);
            };
            float r = (float) ref;
            if (Float.isInfinite(r) || Float.isNaN(r)) {
                continue;
            }
            double ulp = Math.ulp(r);
            worst[0] = Math.max(worst[0], Math.abs(mine[i] - ref) / ulp);
            worst[1] = Math.max(worst[1], Math.abs(jdk[i] - ref) / ulp);
        }
        return worst;
    }
}
