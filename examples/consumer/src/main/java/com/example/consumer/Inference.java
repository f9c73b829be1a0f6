package com.example.consumer;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.io.TorchLoad;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module; // explicit: with dev.jtorch.nn.* alone, Module would clash with java.lang.Module
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads a state dict that PyTorch wrote ({@code torch.save(model.state_dict(), "model.pt")}, see
 * make_model.py) into the same architecture built in Java, runs inference and checks the result against
 * PyTorch's ({@code golden.pt}); then saves the weights as safetensors, loads them into a fresh model and checks
 * that it answers the same. Exits with status 1 when a check fails.
 *
 * <p>Usage: {@code Inference [DIR]}, DIR holding model.pt and golden.pt (default: the working directory).
 */
public final class Inference {
    private Inference() {
    }

    /** The network of make_model.py: {@code nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))}. */
    static Module newModel() {
        return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Module model = newModel();
        model.loadStateDict(TorchLoad.loadStateDict(dir.resolve("model.pt"))); // strict: every key must match
        model.eval();

        Map<String, Tensor> golden = TorchLoad.loadStateDict(dir.resolve("golden.pt"));
        Tensor x = golden.get("input");
        Tensor y;
        try (var _ = Autograd.noGrad()) { // inference: no autograd graph is recorded
            y = model.call(x);
        }
        System.out.println("kernels: " + Kernels.description());
        System.out.println("module: " + describeModule());
        System.out.println(model);
        System.out.println("output:\n" + y);
        boolean ok = check("PyTorch's output", y, golden.get("output"));

        // The same weights through safetensors (the format PyTorch, safetensors and jtorch all read)
        Path file = Files.createTempFile("consumer", ".safetensors");
        try {
            SafeTensors.save(model.stateDict(), Map.of("format", "pt"), file);
            Module reloaded = newModel();
            reloaded.loadStateDict(SafeTensors.load(file));
            reloaded.eval();
            try (var _ = Autograd.noGrad()) {
                ok &= check("the safetensors round trip", reloaded.call(x), y);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        if (!ok) {
            System.exit(1);
        }
        System.out.println("OK");
    }

    /** Where this class was loaded from: a named module on the module path, the unnamed one on the class path. */
    private static String describeModule() {
        java.lang.Module m = Inference.class.getModule();
        return m.isNamed() ? m.getName() + " (module path)" : "unnamed (class path)";
    }

    /** Whether {@code actual} matches {@code expected} in shape and within 1e-5 + 1e-5 |expected|; prints why not. */
    private static boolean check(String what, Tensor actual, Tensor expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            System.out.println("FAIL " + what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
            return false;
        }
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-5 * Math.abs(e[i]))) {
                System.out.println("FAIL " + what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
                return false;
            }
        }
        System.out.println("matches " + what + " (" + a.length + " values)");
        return true;
    }
}
