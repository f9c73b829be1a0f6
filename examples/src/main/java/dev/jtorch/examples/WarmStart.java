package dev.jtorch.examples;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.utils.Utils;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch warm-start}: how long a fresh JVM takes to its first correct answer of a batch-32 LSTM forward,
 * and how that first forward compares with the steady state. The model is an eval {@code LSTM(128, 256)} on a
 * (100, 32, 128) input; the answer is checked against the last forward's (every forward computes the same values).
 * With {@code --warm-up N} the model first runs N forwards of a (4, 2, 128) input ({@link Utils#warmUp}). The last
 * line is machine-readable ({@code ./jtorch bench warm-start} and {@code ./jtorch aot} read it). Run it with the
 * AOT cache that {@code ./jtorch aot} records to see the cache's effect.
 */
public final class WarmStart {
    private WarmStart() {
    }

    /** The command's settings, with their defaults ({@code ./jtorch warm-start --help}). */
    static final class Options {
        @Option(names = "--warm-up", paramLabel = "N",
                description = "Warm-up forwards on a small input before the first request (default: ${DEFAULT-VALUE}).")
        int warmUp = 0;
        @Option(names = "--requests", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Batch-32 forwards to time (default: ${DEFAULT-VALUE}).")
        int requests = 20;
    }

    /**
     * Milliseconds since this JVM started (the runtime's start time: a script that execs java has its process start
     * before the JVM's).
     */
    static double sinceJvmStart() {
        Instant start = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        return Duration.between(start, Instant.now()).toNanos() / 1e6;
    }

    /** Builds, warms up (optionally), answers, then times the remaining forwards; prints the figures. */
    static void run(Options o) {
        if (o.warmUp < 0) {
            throw new IllegalArgumentException("--warm-up must be >= 0, got " + o.warmUp);
        }
        Torch.manualSeed(0);
        LSTM lstm = new LSTM(128, 256);
        lstm.eval();
        Tensor x = Torch.randn(100, 32, 128);
        long warm = Utils.warmUp(lstm, o.warmUp, Torch.randn(4, 2, 128));
        double[] ms = new double[o.requests];
        float[] first = null;
        float[] last = null;
        double firstAnswer = 0;
        for (int i = 0; i < o.requests; i++) {
            long s = System.nanoTime();
            try (var _ = Autograd.noGrad()) {
                last = lstm.call(x).toFloatArray();
            }
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (i == 0) {
                first = last;
                firstAnswer = sinceJvmStart();
            }
        }
        if (!Arrays.equals(first, last)) {
            throw new IllegalStateException("the first forward's answer differs from the last one's");
        }
        double[] rest = Arrays.copyOfRange(ms, Math.min(o.requests - 1, o.requests / 2), o.requests);
        Arrays.sort(rest);
        double steady = rest[rest.length / 2];
        System.out.printf(Locale.ROOT, "eval LSTM(128, 256) on (100, 32, 128): warm-up %d calls in %d ms; first correct "
                + "answer %.0f ms after JVM start; first forward %.1f ms, steady state (median of the last %d) %.1f ms: "
                + "%.1fx%n", o.warmUp, warm, firstAnswer, ms[0], rest.length, steady, ms[0] / steady);
        System.out.printf(Locale.ROOT, "warm-start warmup=%d warmup_ms=%d first_answer_ms=%.1f first_ms=%.2f steady_ms=%.2f%n",
                o.warmUp, warm, firstAnswer, ms[0], steady);
    }
}
