package dev.jtorch.nn;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import dev.jtorch.Torch;
import dev.jtorch.nn.utils.Parametrizations;
import dev.jtorch.nn.utils.Parametrizations.OrthogonalMap;
import dev.jtorch.nn.utils.Parametrize;
import dev.jtorch.nn.utils.SpectralNorm;
import dev.jtorch.nn.utils.WeightNorm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * parametrize, parametrizations and the older weight_norm / spectral_norm against PyTorch 1.13
 * (tools/parity/gen_parametrize_goldens.py, float64): state dicts and keys after registration, the parametrized
 * tensor, outputs and every gradient, eval outputs, and the state dicts after removal. Registration runs right
 * after {@code Torch.manualSeed(1234)} as in the generator, so the spectral norms' u and v and the orthogonal
 * completions drawn from the global generator must come out as PyTorch's.
 */
class ParametrizeGoldenTest {
    static final Goldens G = Goldens.of("/goldens/parametrize.safetensors");
    static final long SEED = 1234;
    static final double TOL = 1e-10;
    /** Where {@link #check} runs the module (the device test sets it to the second backend). */
    static Device dev = Device.CPU;

    /** The tutorial's symmetric parametrization over the last two dims, with its right inverse. */
    static final class Symmetric extends Module implements Parametrize.RightInverse {
        @Override
        public Tensor forward(Tensor x) {
            return x.triu().add(x.triu(1).transpose(-2, -1));
        }

        @Override
        public Tensor rightInverse(Tensor a) {
            return a.triu();
        }
    }

    static Module make(String layer) {
        Module m = switch (layer) {
            case "linear" -> new Linear(5, 3);
            case "linear4" -> new Linear(4, 4);
            case "conv" -> new Conv2d(2, 3, 3);
            case "lstm" -> new LSTM(3, 2);
            default -> throw new IllegalArgumentException(layer);
        };
        return m.float64();
    }

    static Tensor run(Module m, Tensor x) {
        return m instanceof LSTM l ? l.run(x, null, null).output() : m.call(x);
    }

    static void close(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what);
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.contiguous().toDoubleArray();
        double[] a = actual.detach().contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = TOL + TOL * Math.abs(e[i]);
            assertTrue(Math.abs(e[i] - a[i]) <= tol, what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
        }
    }

    static void stateDictIs(String prefix, String keysMeta, Module m) {
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(G.meta(keysMeta), String.join(",", sd.keySet()), keysMeta);
        Map<String, Tensor> want = G.prefixed(prefix);
        assertEquals(want.keySet(), sd.keySet(), prefix);
        for (var e : want.entrySet()) {
            close(prefix + e.getKey(), e.getValue(), sd.get(e.getKey()));
        }
    }

    /** The case's steps, mirroring the generator's {@code case}; returns the number of cases checked (1). */
    static int check(String name, String layer, Consumer<Module> register, BiConsumer<Module, Boolean> remove,
                     boolean parametrize, int nTrain, String pname) {
        Module m = make(layer);
        m.loadStateDict(G.prefixed(name + ".init."));
        m.to(dev);
        Torch.manualSeed(SEED);
        register.accept(m);
        stateDictIs(name + ".reg.", name + ".keys_reg", m);
        if (nTrain == 1) {
            close(name + ".weight", G.g(name + ".weight"), m.attr(pname));
        }
        Tensor x = G.g(name + ".x").to(dev).requiresGrad_(true);
        Tensor r = G.g(name + ".r").to(dev);
        Tensor loss = null;
        for (int i = 0; i < nTrain; i++) {
            Tensor out = run(m, x);
            assertEquals(dev, out.device(), name + " output device");
            close(name + ".out" + (i == 0 ? "" : i + 1), G.g(name + ".out" + (i == 0 ? "" : String.valueOf(i + 1))),
                    out);
            Tensor li = out.mul(r).sum();
            loss = loss == null ? li : loss.add(li);
        }
        loss.backward();
        close(name + ".grad.x", G.g(name + ".grad.x"), x.grad());
        List<String> gradNames = new ArrayList<>();
        for (var p : m.namedParameters().entrySet()) {
            gradNames.add(p.getKey());
            close(name + ".grad." + p.getKey(), G.g(name + ".grad." + p.getKey()), p.getValue().grad());
        }
        assertEquals(G.prefixed(name + ".grad.").size() - 1, gradNames.size(), name + " parameters");
        m.eval();
        close(name + ".eval", G.g(name + ".eval"), run(m, x));
        stateDictIs(name + ".final.", name + ".keys_reg", m);
        remove.accept(m, true);
        stateDictIs(name + ".rm1.", name + ".keys_rm1", m);
        if (parametrize) {
            Module m0 = make(layer);
            m0.loadStateDict(G.prefixed(name + ".init."));
            m0.to(dev);
            Torch.manualSeed(SEED);
            register.accept(m0);
            remove.accept(m0, false);
            stateDictIs(name + ".rm0.", name + ".keys_rm0", m0);
        }
        return 1;
    }

    static BiConsumer<Module, Boolean> rmParam(String pname) {
        return (m, leave) -> Parametrize.removeParametrizations(m, pname, leave);
    }

    @Test
    void symmetricTwice() {
        Consumer<Module> twice = m -> {
            Parametrize.registerParametrization(m, "weight", new Symmetric());
            Parametrize.registerParametrization(m, "weight", new Symmetric());
        };
        check("sym_linear", "linear4", twice, rmParam("weight"), true, 1, "weight");
        check("sym_conv", "conv", twice, rmParam("weight"), true, 1, "weight");
    }

    @Test
    void orthogonalEveryMap() {
        int n = 0;
        for (String layer : List.of("linear", "linear4", "conv")) {
            for (String map : List.of("matrix_exp", "cayley", "householder")) {
                for (boolean triv : new boolean[] {true, false}) {
                    String name = "orth_" + layer + "_" + map + "_" + (triv ? "triv" : "notriv");
                    assertTrue(G.meta(name).contains(map), name);
                    n += check(name, layer, m -> Parametrizations.orthogonal(m, "weight", OrthogonalMap.of(map), triv),
                            rmParam("weight"), true, 1, "weight");
                }
            }
        }
        n += check("orth_lstm_default", "lstm", m -> Parametrizations.orthogonal(m, "weight_hh_l0", null, true),
                rmParam("weight_hh_l0"), true, 1, "weight_hh_l0");
        assertEquals(19, n);
    }

    @Test
    void spectralNormParametrization() {
        for (String layer : List.of("linear", "conv")) {
            check("psn_" + layer, layer, m -> Parametrizations.spectralNorm(m), rmParam("weight"), true, 2, "weight");
            check("psn3_" + layer, layer, m -> Parametrizations.spectralNorm(m, "weight", 3, 1e-12, 1),
                    rmParam("weight"), true, 2, "weight");
        }
    }

    @Test
    void oldWeightNorm() {
        for (String layer : List.of("linear", "conv")) {
            for (Integer dim : new Integer[] {0, 1, null}) {
                String name = "wn_old_" + layer + "_" + (dim == null ? "None" : dim);
                check(name, layer, m -> WeightNorm.weightNorm(m, "weight", dim),
                        (m, leave) -> WeightNorm.removeWeightNorm(m, "weight"), false, 1, "weight");
            }
        }
    }

    @Test
    void oldSpectralNorm() {
        for (String layer : List.of("linear", "conv")) {
            check("sn_old_" + layer, layer, m -> SpectralNorm.spectralNorm(m),
                    (m, leave) -> SpectralNorm.removeSpectralNorm(m, "weight"), false, 2, "weight");
        }
    }

    /**
     * parametrizations.weightNorm (PyTorch 2.1, absent from 1.13) against the older weight_norm's goldens: the same
     * weight, outputs and gradients, with original0 = weight_g and original1 = weight_v.
     */
    @Test
    void weightNormParametrizationMatchesOldWeightNorm() {
        for (String layer : List.of("linear", "conv")) {
            for (Integer dim : new Integer[] {0, 1, null}) {
                String name = "wn_old_" + layer + "_" + (dim == null ? "None" : dim);
                Module m = make(layer);
                m.loadStateDict(G.prefixed(name + ".init."));
                Parametrizations.weightNorm(m, "weight", dim);
                assertEquals(List.of("bias", "parametrizations.weight.original0", "parametrizations.weight.original1"),
                        new ArrayList<>(m.stateDict().keySet()));
                Map<String, String> rename = new LinkedHashMap<>();
                rename.put("bias", "bias");
                rename.put("parametrizations.weight.original0", "weight_g");
                rename.put("parametrizations.weight.original1", "weight_v");
                for (var e : rename.entrySet()) {
                    close(name + " " + e.getKey(), G.g(name + ".reg." + e.getValue()), m.stateDict().get(e.getKey()));
                }
                close(name + ".weight", G.g(name + ".weight"), m.attr("weight"));
                Tensor x = G.g(name + ".x").requiresGrad_(true);
                Tensor out = run(m, x);
                close(name + ".out", G.g(name + ".out"), out);
                out.mul(G.g(name + ".r")).sum().backward();
                close(name + ".grad.x", G.g(name + ".grad.x"), x.grad());
                for (var e : rename.entrySet()) {
                    close(name + ".grad." + e.getKey(), G.g(name + ".grad." + e.getValue()),
                            m.getParameter(e.getKey()).grad());
                }
                Parametrize.removeParametrizations(m, "weight");
                stateDictIs(name + ".rm1.", name + ".keys_rm1", m);
            }
        }
    }

    /**
     * Every parametrization case again on the second backend ({@link TestDevice}: the fake device here, the OpenCL
     * device in the opencl module's device suites): module, inputs and the parametrizations' computations there,
     * the same PyTorch goldens.
     */
    @Tag("device")
    @Test
    void everyCaseOnASecondBackend() throws Exception {
        try (var _ = TestDevice.install()) {
            dev = TestDevice.device();
            symmetricTwice();
            orthogonalEveryMap();
            spectralNormParametrization();
            oldWeightNorm();
            oldSpectralNorm();
        } finally {
            dev = Device.CPU;
        }
    }
}
