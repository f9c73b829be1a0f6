package dev.jtorch.examples;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch example-service}: how a JVM service shares one model between request threads. The model
 * (an LSTM sequence classifier) is built once, put in eval mode and never mutated; each request runs its
 * forward under {@link Autograd#noGrad()} (grad mode is per thread, so nothing is recorded and no state is
 * shared). The example checks that the concurrent answers equal the single-threaded ones and prints the
 * throughput. Options ({@link Options}): {@code --threads N} (default 8), {@code --requests N} (default 2000).
 */
public final class ServiceExample {
    private ServiceExample() {
    }

    /** A small sequence classifier: LSTM over the sequence, a linear layer on the last hidden state. */
    static final class Classifier extends Module {
        final LSTM lstm;
        final Linear head;

        Classifier(int features, int hidden, int classes) {
            lstm = registerModule("lstm", new LSTM(features, hidden, 1, true, true, 0, false, 0));
            head = registerModule("head", new Linear(hidden, classes));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = lstm.forward(x, (Tensor[]) null).hN().select(0, 0);
            return head.call(h).softmax(-1);
        }
    }

    /** The example's settings, with their defaults ({@code ./jtorch example-service --help}). */
    static final class Options {
        @Option(names = "--threads", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Request handler threads (default: ${DEFAULT-VALUE}).")
        int threads = 8;
        @Option(names = "--requests", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Requests to answer (default: ${DEFAULT-VALUE}).")
        int requests = 2000;
        @Option(names = "--warm-up", paramLabel = "N",
                description = "Warm-up forwards before the first request (default: ${DEFAULT-VALUE}).")
        int warmUp = 0;
    }

    /** Serves {@code o.requests} requests on {@code o.threads} threads and checks every answer. */
    static void run(Options o) throws Exception {
        int threads = o.threads;
        int requests = o.requests;
        Torch.manualSeed(0);
        Classifier model = new Classifier(16, 64, 4);
        model.eval();
        if (o.warmUp < 0) {
            throw new IllegalArgumentException("--warm-up must be >= 0, got " + o.warmUp);
        }
        long warm = dev.jtorch.nn.utils.Utils.warmUp(model, o.warmUp, Torch.randn(1, 4, 16));
        Tensor[] inputs = new Tensor[32];
        float[][] expected = new float[inputs.length][];
        double firstAnswer = 0;
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = Torch.randn(1, 20, 16);
                expected[i] = model.call(inputs[i]).toFloatArray();
                if (i == 0) {
                    firstAnswer = WarmStart.sinceJvmStart();
                }
            }
        }
        System.out.printf(Locale.ROOT, "first answer %.0f ms after JVM start (warm-up: %d calls, %d ms)%n", firstAnswer,
                o.warmUp, warm);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            int i = r % inputs.length;
            answers.add(pool.submit(() -> {
                try (var _ = Autograd.noGrad()) {
                    return Arrays.equals(expected[i], model.call(inputs[i]).toFloatArray());
                }
            }));
        }
        int same = 0;
        for (Future<Boolean> f : answers) {
            same += f.get(5, TimeUnit.MINUTES) ? 1 : 0;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "%d requests on %d threads sharing one eval-mode model: %d identical to the "
                + "single-threaded answers, %.0f requests/s%n", requests, threads, same, requests / secs);
        if (same != requests) {
            throw new IllegalStateException("concurrent inference disagreed with the single-threaded answers");
        }
    }
}
