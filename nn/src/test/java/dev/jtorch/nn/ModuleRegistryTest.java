package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every module of the registry (in the spirit of PyTorch's ModuleInfo) against real PyTorch: initial values
 * after the same seed, repr, forward and backward in float64 (outputs, input and parameter gradients),
 * gradcheck, a state dict round trip through safetensors, float()/double(), eval determinism and
 * non-contiguous inputs. It asserts how many modules it covered.
 */
class ModuleRegistryTest {
    /**
     * PyTorch 1.13 computes these backward coefficients in float32 even for float64 tensors (hardsigmoid's
     * 1/6 is a float constant, celu's 1/alpha is rounded to float), so its input gradients are off by about
     * 3e-8 relative; jtorch's are exact (gradcheck below confirms them), so these compare at 1e-7.
     */
    static final Set<String> FLOAT_COEFFICIENTS_IN_PYTORCH = Set.of("CELU", "Hardsigmoid");

    /**
     * Tables drawn with normal_ in float32: PyTorch vectorises the Box-Muller transform in float arithmetic for 16
     * or more elements, so its draws differ from the exact transform by a few float ulps (docs/engine.md).
     */
    static boolean normalInit(String name) {
        return name.startsWith("Embedding");
    }

    /**
     * Fractional max pooling draws its samples in the input's dtype, so a float32 run pools other windows than
     * the float64 golden: its float32 output is checked for dtype and shape only.
     */
    static boolean samplesInInputDtype(String name) {
        return name.startsWith("FractionalMaxPool");
    }

    static final Map<String, Tensor> G;
    static final Map<String, String> META;
    static final Map<String, Map<String, Tensor>> PT_STATES = new LinkedHashMap<>();

    static {
        try (InputStream in = ModuleRegistryTest.class.getResourceAsStream("/goldens/modules.safetensors")) {
            byte[] b = in.readAllBytes();
            SafeTensors.Reader r = SafeTensors.open(b);
            G = r.all();
            META = r.metadata();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = ModuleRegistryTest.class.getResourceAsStream("/goldens/states.pt")) {
            Map<?, ?> all = (Map<?, ?>) dev.jtorch.io.TorchLoad.load(in.readAllBytes());
            for (var e : all.entrySet()) {
                Map<String, Tensor> sd = new LinkedHashMap<>();
                for (var kv : ((Map<?, ?>) e.getValue()).entrySet()) {
                    sd.put((String) kv.getKey(), (Tensor) kv.getValue());
                }
                PT_STATES.put((String) e.getKey(), sd);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected "
                        + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
            }
        }
    }

    static Map<String, Tensor> prefixed(String prefix) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (var e : G.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return m;
    }

    static Tensor[] inputs(String name, boolean requiresGrad) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; G.containsKey(name + ".in" + i); i++) {
            Tensor t = G.get(name + ".in" + i).clone();
            boolean grad = requiresGrad && G.containsKey(name + ".grad_in" + i);
            ins.add(grad ? t.requiresGrad_(true) : t);
        }
        return ins.toArray(new Tensor[0]);
    }

    static Module prepared(String name) {
        Module m = ModuleCases.CASES.get(name).get();
        m.float64();
        m.loadStateDict(prefixed(name + ".state."));
        m.train(ModuleCases.random(name));
        return m;
    }

    static Set<String> goldenNames() {
        Set<String> names = new TreeSet<>();
        for (String k : G.keySet()) {
            if (k.endsWith(".out")) {
                names.add(k.substring(0, k.length() - 4));
            }
        }
        return names;
    }

    @TestFactory
    List<DynamicTest> everyModule() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : goldenNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> check(name)));
        }
        return tests;
    }

    /**
     * 8. Every module on a second backend ({@link TestDevice}: the fake device, or the real device the OpenCL
     * module names): the module and its inputs moved there give PyTorch's output and gradients in float64 and its
     * output in float32 (at float tolerance), and every result stays on the device (a tensor built on the CPU
     * inside a layer would fail here).
     */
    @Tag("device")
    @TestFactory
    List<DynamicTest> everyModuleOnASecondBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : goldenNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try (var _ = TestDevice.install()) {
                    onAnotherDevice(name, TestDevice.device());
                }
            }));
        }
        return tests;
    }

    private void check(String name) throws Exception {
        assertTrue(ModuleCases.CASES.containsKey(name), "no Java constructor for " + name);
        // 1. initial values after the same seed, and the repr
        Torch.manualSeed(100);
        Module fresh = ModuleCases.CASES.get(name).get();
        Map<String, Tensor> init = prefixed(name + ".init.");
        assertEquals(init.keySet(), fresh.stateDict().keySet(), name + ": state dict keys");
        for (var e : init.entrySet()) {
            double tol = normalInit(name) ? 1e-5 : 1e-6;
            close(name + " init " + e.getKey(), e.getValue(), fresh.stateDict().get(e.getKey()), tol, tol / 10);
        }
        assertEquals(META.get(name + ".repr"), fresh.toString(), name + ": repr");

        // 2. forward and backward in float64
        Module m = prepared(name);
        Tensor[] xs = inputs(name, true);
        Torch.manualSeed(11);
        Tensor y = m.call(xs);
        close(name + " output", G.get(name + ".out"), y, 1e-10, 1e-12);
        // buffers after one training step (running statistics, num_batches_tracked)
        Map<String, Tensor> after = prefixed(name + ".after.");
        for (var e : after.entrySet()) {
            Tensor b = m.namedBuffers().get(e.getKey());
            assertTrue(b != null, name + ": no buffer " + e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype(), name + " buffer dtype " + e.getKey());
            close(name + " buffer after the step " + e.getKey(), e.getValue(), b, 1e-10, 1e-12);
        }
        y.backward(G.get(name + ".gout"));
        double gradTol = FLOAT_COEFFICIENTS_IN_PYTORCH.contains(name) ? 1e-7 : 1e-10;
        for (int i = 0; i < xs.length; i++) {
            if (G.containsKey(name + ".grad_in" + i)) {
                close(name + " input grad " + i, G.get(name + ".grad_in" + i), xs[i].grad(), gradTol, 1e-12);
            }
        }
        for (var p : m.namedParameters().entrySet()) {
            close(name + " grad " + p.getKey(), G.get(name + ".grad." + p.getKey()), p.getValue().grad(), 1e-10,
                    1e-12);
        }

        // 3. gradcheck over inputs and parameters (random layers reseeded on every evaluation)
        Module gm = prepared(name);
        Tensor[] gx = inputs(name, true);
        List<Tensor> all = new ArrayList<>(Arrays.asList(gx));
        all.addAll(gm.parameters());
        int nIn = gx.length;
        if (ModuleCases.NO_GRADCHECK.contains(name)) {
            // the gradient is PyTorch's on purpose, not the derivative (checked against PyTorch above)
            assertTrue(G.containsKey(name + ".gout"));
        } else if (!ModuleCases.noDirectGradcheck(name)) {
            assertTrue(Autograd.gradcheck(in -> {
                Torch.manualSeed(11);
                return gm.call(Arrays.copyOf(in, nIn));
            }, all.toArray(new Tensor[0])), name + " gradcheck");
        } else {
            // CTC's gradient is PyTorch's for log_softmax outputs: check it through a log_softmax of logits
            Tensor logits = gx[0].detach().requiresGrad_(true);
            assertTrue(Autograd.gradcheck(in -> {
                Tensor[] args = gx.clone();
                args[0] = in[0].logSoftmax(-1);
                return gm.call(args);
            }, logits), name + " gradcheck through log_softmax");
        }

        // 4. state dict round trip through safetensors into a differently seeded module
        byte[] bytes = SafeTensors.serialize(m.stateDict(), Map.of("format", "pt"));
        Torch.manualSeed(999);
        Module other = ModuleCases.CASES.get(name).get().float64();
        other.loadStateDict(SafeTensors.load(bytes));
        other.train(m.isTraining());
        Torch.manualSeed(11);
        Tensor y2 = other.call(inputs(name, false));
        close(name + " after state dict round trip", y, y2, 0, 0);

        // 4b. the same through the state dict PyTorch wrote with torch.save (states.pt)
        Map<String, Tensor> fromPt = PT_STATES.get(name);
        if (fromPt != null) {
            Module viaPt = ModuleCases.CASES.get(name).get().float64();
            viaPt.loadStateDict(fromPt);
            viaPt.train(m.isTraining());
            Torch.manualSeed(11);
            close(name + " after loading PyTorch's .pt", y, viaPt.call(inputs(name, false)), 0, 0);
        } else {
            assertTrue(m.stateDict().isEmpty(), name + ": missing from states.pt but has state");
        }

        // 5. float() then double(): float32 output close to the float64 one
        Module f = prepared(name).float32();
        for (Parameter p : f.parameters()) {
            assertEquals(DType.FLOAT32, p.dtype(), name + ": float32() parameter dtype");
        }
        Tensor[] fx = inputs(name, false);
        for (int i = 0; i < fx.length; i++) {
            fx[i] = fx[i].isFloatingPoint() ? fx[i].float32() : fx[i];
        }
        Torch.manualSeed(11);
        Tensor yf = f.call(fx);
        assertEquals(DType.FLOAT32, yf.dtype(), name + ": float output dtype");
        if (samplesInInputDtype(name)) {
            assertArrayEquals(G.get(name + ".out").shape(), yf.shape(), name + ": float32 shape");
        } else {
            close(name + " float32", G.get(name + ".out"), yf, 1e-4, 1e-5);
        }

        // 6. eval mode is deterministic; 7. non-contiguous inputs give the same output
        Module e = prepared(name).eval();
        try (var _ = Autograd.noGrad()) {
            // modules that draw in every mode (fractional max pooling) see the same generator state each call
            Torch.manualSeed(11);
            Tensor a = e.call(inputs(name, false));
            Torch.manualSeed(11);
            Tensor b = e.call(inputs(name, false));
            close(name + " eval determinism", a, b, 0, 0);
            Tensor[] strided = inputs(name, false);
            for (int i = 0; i < strided.length; i++) {
                strided[i] = nonContiguous(strided[i]);
            }
            Torch.manualSeed(11);
            close(name + " non-contiguous input", a, e.call(strided), 1e-12, 1e-14);
        }
    }

    private void onAnotherDevice(String name, Device device) throws Exception {
        Module m = prepared(name).to(device);
        for (Parameter p : m.parameters()) {
            assertEquals(device, p.device(), name + ": parameter moved");
        }
        Tensor[] xs = inputs(name, false);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = xs[i].to(device);
            if (G.containsKey(name + ".grad_in" + i)) {
                xs[i].requiresGrad_(true);
            }
        }
        Torch.manualSeed(11);
        Tensor y = m.call(xs);
        assertEquals(device, y.device(), name + ": output on the device");
        close(name + " output on the device", G.get(name + ".out"), y.cpu(), 1e-10, 1e-12);
        y.backward(G.get(name + ".gout").to(device));
        double gradTol = FLOAT_COEFFICIENTS_IN_PYTORCH.contains(name) ? 1e-7 : 1e-10;
        for (int i = 0; i < xs.length; i++) {
            if (G.containsKey(name + ".grad_in" + i)) {
                assertEquals(device, xs[i].grad().device(), name + ": input grad on the device");
                close(name + " input grad " + i + " on the device", G.get(name + ".grad_in" + i),
                        xs[i].grad().cpu(), gradTol, 1e-12);
            }
        }
        for (var p : m.namedParameters().entrySet()) {
            assertEquals(device, p.getValue().grad().device(), name + ": grad on the device");
            close(name + " grad " + p.getKey() + " on the device", G.get(name + ".grad." + p.getKey()),
                    p.getValue().grad().cpu(), 1e-10, 1e-12);
        }

        // and in float32, at float tolerance, as step 5 on the CPU
        Module f = prepared(name).float32().to(device);
        Tensor[] fx = inputs(name, false);
        for (int i = 0; i < fx.length; i++) {
            fx[i] = (fx[i].isFloatingPoint() ? fx[i].float32() : fx[i]).to(device);
        }
        Torch.manualSeed(11);
        Tensor yf = f.call(fx);
        assertEquals(device, yf.device(), name + ": float32 output on the device");
        assertEquals(DType.FLOAT32, yf.dtype(), name + ": float32 output dtype on the device");
        if (samplesInInputDtype(name)) {
            assertArrayEquals(G.get(name + ".out").shape(), yf.shape(), name + ": float32 shape on the device");
        } else {
            close(name + " float32 on the device", G.get(name + ".out"), yf.cpu(), 1e-4, 1e-5);
        }
    }

    static Tensor nonContiguous(Tensor t) {
        int[] s = t.shape();
        int[] big = Arrays.copyOf(s, s.length + 1);
        big[s.length] = 2;
        Tensor v = Torch.zeros(t.dtype(), big).select(-1, 1);
        v.copy_(t);
        return v;
    }

    @Test
    void registryCoversEveryModule() {
        assertEquals(new TreeSet<>(ModuleCases.CASES.keySet()), goldenNames());
        assertEquals(184, goldenNames().size(), "module cases checked");
    }
}
