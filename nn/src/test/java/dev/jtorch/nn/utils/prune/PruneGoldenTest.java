package dev.jtorch.nn.utils.prune;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torch.nn.utils.prune against PyTorch 1.13 (prune.safetensors, tools/parity/gen_prune_goldens.py). */
class PruneGoldenTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = PruneGoldenTest.class.getResourceAsStream("/goldens/prune.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final double INF = Double.POSITIVE_INFINITY;

    /** One prune call of a case: (module, tensor name, importance scores or null). */
    interface Step {
        void run(Module m, String name, Tensor imp);
    }

    static Tensor g(String key) {
        Tensor t = G.get(key);
        assertNotNull(t, "no golden " + key);
        return t.clone();
    }

    static Map<String, Tensor> prefixed(String p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        G.forEach((k, v) -> {
            if (k.startsWith(p)) {
                m.put(k.substring(p.length()), v.clone());
            }
        });
        return m;
    }

    /** Where the cases run (the device test sets it to the second backend). */
    static Device dev = Device.CPU;

    static Module layer(String kind, String prefix) {
        Module m = kind.equals("lin") ? new Linear(5, 4) : new Conv2d(3, 4, 3);
        m.float64();
        m.loadStateDict(prefixed(prefix));
        return m.to(dev);
    }

    static void assertExact(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.toDoubleArray(), actual.contiguous().toDoubleArray(), 0.0, what);
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-12 + 1e-10 * Math.abs(e[i]), what + " [" + i + "]");
        }
    }

    static Step l1(int a) {
        return (m, n, imp) -> Prune.l1Unstructured(m, n, a, imp);
    }

    static Step l1(double a) {
        return (m, n, imp) -> Prune.l1Unstructured(m, n, a, imp);
    }

    static Step ln(int a, double p, int d) {
        return (m, n, imp) -> Prune.lnStructured(m, n, a, p, d, imp);
    }

    static Step ln(double a, double p, int d) {
        return (m, n, imp) -> Prune.lnStructured(m, n, a, p, d, imp);
    }

    static Step rnd(int a) {
        return (m, n, imp) -> Prune.randomUnstructured(m, n, a);
    }

    static Step rnd(double a) {
        return (m, n, imp) -> Prune.randomUnstructured(m, n, a);
    }

    static Step rst(int a, int d) {
        return (m, n, imp) -> Prune.randomStructured(m, n, a, d);
    }

    static Step rst(double a, int d) {
        return (m, n, imp) -> Prune.randomStructured(m, n, a, d);
    }

    static Step cfm(String maskKey) {
        return (m, n, imp) -> Prune.customFromMask(m, n, g(maskKey).to(dev));
    }

    /** Runs case {@code name} as the generator did and compares every mask and pruned tensor; returns how many. */
    static int check(String name, String kind, String tensor, String desc, Step... steps) {
        assertEquals(desc, META.get(name), "the generator's description of " + name);
        Module m = layer(kind, name + ".sd.");
        Tensor imp = G.containsKey(name + ".imp") ? g(name + ".imp").to(dev) : null;
        String[] seeds = META.containsKey(name + ".seed") ? META.get(name + ".seed").split(",", -1) : null;
        for (int i = 1; i <= steps.length; i++) {
            if (seeds != null && !seeds[i - 1].isEmpty()) {
                Torch.manualSeed(Long.parseLong(seeds[i - 1]));
            }
            steps[i - 1].run(m, tensor, imp);
            assertEquals(dev, m.buffer(tensor + "_mask").device(), name + " mask device");
            assertExact(g(name + ".mask" + i), m.buffer(tensor + "_mask"), name + " mask" + i);
            assertExact(g(name + ".pruned" + i), m.attr(tensor), name + " pruned" + i);
        }
        assertTrue(Prune.isPruned(m));
        return steps.length;
    }

    @Test
    void l1Unstructured() {
        int n = 0;
        n += check("l1_lin_w_int", "lin", "weight", "lin weight l1Unstructured(5)", l1(5));
        n += check("l1_lin_w_float", "lin", "weight", "lin weight l1Unstructured(0.3)", l1(0.3));
        n += check("l1_lin_b_int", "lin", "bias", "lin bias l1Unstructured(2)", l1(2));
        n += check("l1_conv_w_float", "conv", "weight", "conv weight l1Unstructured(0.45)", l1(0.45));
        n += check("l1_conv_b_float", "conv", "bias", "conv bias l1Unstructured(0.5): round(2.0)", l1(0.5));
        n += check("l1_lin_w_zero", "lin", "weight", "lin weight l1Unstructured(0): mask of ones", l1(0));
        n += check("l1_lin_w_all", "lin", "weight", "lin weight l1Unstructured(1.0): all pruned", l1(1.0));
        n += check("l1_lin_w_imp", "lin", "weight", "lin weight l1Unstructured(0.4, imp)", l1(0.4));
        assertEquals(8, n);
    }

    @Test
    void lnStructured() {
        int n = 0;
        String[] names = {"1", "2", "inf"};
        double[] ps = {1, 2, INF};
        for (int i = 0; i < 3; i++) {
            for (int d = 0; d <= 1; d++) {
                n += check("ln" + names[i] + "_conv_d" + d, "conv", "weight",
                        "conv weight lnStructured(0.5, " + names[i] + ", " + d + ")", ln(0.5, ps[i], d));
                n += check("ln" + names[i] + "_lin_d" + d + "_int", "lin", "weight",
                        "lin weight lnStructured(1, " + names[i] + ", " + d + ")", ln(1, ps[i], d));
            }
        }
        n += check("lnninf_conv_dm1", "conv", "weight", "conv weight lnStructured(2, -inf, -1)",
                ln(2, Double.NEGATIVE_INFINITY, -1));
        n += check("ln2_lin_d1_round", "lin", "weight", "lin weight lnStructured(0.5, 2, 1): round(2.5) = 2",
                ln(0.5, 2, 1));
        n += check("ln1_conv_imp", "conv", "weight", "conv weight lnStructured(0.5, 1, 0, imp)", ln(0.5, 1, 0));
        assertEquals(15, n);
    }

    /** The random methods draw as PyTorch does: after the same manual seed they prune the same units. */
    @Test
    void randomMethodsAfterTheSameSeed() {
        int n = 0;
        n += check("rnd_lin_w_float", "lin", "weight", "lin weight randomUnstructured(0.3)", rnd(0.3));
        n += check("rnd_conv_b_int", "conv", "bias", "conv bias randomUnstructured(2)", rnd(2));
        n += check("rst_lin_w_d0", "lin", "weight", "lin weight randomStructured(0.5, 0)", rst(0.5, 0));
        n += check("rst_conv_w_d1_int", "conv", "weight", "conv weight randomStructured(2, 1)", rst(2, 1));
        assertEquals(4, n);
    }

    @Test
    void iterativePruningCombinesMasks() {
        int n = 0;
        n += check("it_l1_ln", "conv", "weight", "conv weight l1Unstructured(0.3) then lnStructured(0.5, 2, 0)",
                l1(0.3), ln(0.5, 2, 0));
        n += check("it_ln_l1", "conv", "weight", "conv weight lnStructured(1, 1, 1) then l1Unstructured(10)",
                ln(1, 1, 1), l1(10));
        n += check("it_l1_l1_l1", "lin", "weight", "lin weight l1Unstructured 3, 0.25, 2", l1(3), l1(0.25), l1(2));
        n += check("it_ln_ln", "conv", "weight",
                "conv weight lnStructured(1, 2, 0) then lnStructured(0.5, inf, 0): only live channels",
                ln(1, 2, 0), ln(0.5, INF, 0));
        n += check("it_rnd_l1", "lin", "weight", "lin weight randomUnstructured(0.25) then l1(0.5)", rnd(0.25),
                l1(0.5));
        n += check("it_l1_rnd", "lin", "weight", "lin weight l1(0.25) then randomUnstructured(4)", l1(0.25), rnd(4));
        n += check("it_l1_rst", "conv", "weight", "conv weight l1(0.2) then randomStructured(0.5, 0)", l1(0.2),
                rst(0.5, 0));
        assertEquals(15, n);
    }

    @Test
    void customFromMaskAndIdentity() {
        int n = 0;
        n += check("cfm_lin_b", "lin", "bias", "lin bias customFromMask(custom.mask_b)", cfm("custom.mask_b"));
        n += check("cfm_lin_w_after_l1", "lin", "weight", "lin weight l1(4) then customFromMask(custom.mask_w)", l1(4),
                cfm("custom.mask_w"));
        n += check("id_lin_w", "lin", "weight", "lin weight identity", (m, name, imp) -> Prune.identity(m, name));
        assertEquals(4, n);
    }

    static final String[] TAGS = {"a.weight", "b.weight", "a.bias", "c.weight"};

    static void checkGlobal(String name, String desc, boolean isInt, double amount, boolean l1,
                            java.util.function.Consumer<Map<String, Module>> pre) {
        assertEquals(desc, META.get(name), "the generator's description of " + name);
        Map<String, Module> mods = new LinkedHashMap<>();
        mods.put("a", layer("lin", name + ".sd.a."));
        mods.put("b", layer("conv", name + ".sd.b."));
        mods.put("c", layer("lin", name + ".sd.c."));
        if (pre != null) {
            pre.accept(mods);
        }
        List<Map.Entry<Module, String>> params = new ArrayList<>();
        Map<Map.Entry<Module, String>, Tensor> scores = new LinkedHashMap<>();
        for (String tag : TAGS) {
            Map.Entry<Module, String> e = Map.entry(mods.get(tag.substring(0, 1)), tag.substring(2));
            params.add(e);
            if (G.containsKey(name + ".imp." + tag)) {
                scores.put(e, g(name + ".imp." + tag));
            }
        }
        if (META.containsKey(name + ".seed")) {
            Torch.manualSeed(Long.parseLong(META.get(name + ".seed")));
        }
        java.util.function.Function<Amount, BasePruningMethod> method = l1 ? L1Unstructured::new
                : RandomUnstructured::new;
        if (isInt) {
            Prune.globalUnstructured(params, method, scores.isEmpty() ? null : scores, (int) amount);
        } else {
            Prune.globalUnstructured(params, method, scores.isEmpty() ? null : scores, amount);
        }
        for (int i = 0; i < TAGS.length; i++) {
            Module m = params.get(i).getKey();
            String n = params.get(i).getValue();
            assertExact(g(name + ".mask." + TAGS[i]), m.buffer(n + "_mask"), name + " mask " + TAGS[i]);
            assertExact(g(name + ".pruned." + TAGS[i]), m.attr(n), name + " pruned " + TAGS[i]);
        }
    }

    @Test
    void globalUnstructured() {
        checkGlobal("g_l1_float", "global L1Unstructured amount=0.3 pre=False imp=False", false, 0.3, true, null);
        checkGlobal("g_l1_int", "global L1Unstructured amount=40 pre=False imp=False", true, 40, true, null);
        checkGlobal("g_l1_imp", "global L1Unstructured amount=0.5 pre=False imp=True", false, 0.5, true, null);
        checkGlobal("g_l1_pre", "global L1Unstructured amount=0.4 pre=True imp=False", false, 0.4, true,
                mods -> Prune.lnStructured(mods.get("b"), "weight", 2, 2, 0, null));
        checkGlobal("g_rnd", "global RandomUnstructured amount=0.25 pre=False imp=False", false, 0.25, false, null);
    }

    static Sequential sdModel() {
        Sequential net = new Sequential(new Linear(5, 4), new ReLU(), new Linear(4, 3));
        net.float64();
        return net;
    }

    static void pruneSdModel(Sequential net) {
        Prune.l1Unstructured(net.child("0"), "weight", 0.5);
        Prune.customFromMask(net.child("2"), "bias", Torch.tensor(new double[] {1, 0, 1}, 3));
    }

    @Test
    void stateDictKeysAndValuesAfterPruningAndRemove() {
        Sequential net = sdModel();
        net.loadStateDict(prefixed("sd_model.before."));
        pruneSdModel(net);
        assertEquals(META.get("sd_model.keys_pruned"), String.join(",", net.stateDict().keySet()));
        assertEquals(META.get("sd_model.params_pruned"), String.join(",", net.namedParameters().keySet()));
        assertEquals(META.get("sd_model.buffers_pruned"), String.join(",", net.namedBuffers().keySet()));
        Map<String, Tensor> expected = prefixed("sd_model.pruned.");
        for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
            assertExact(expected.get(e.getKey()), e.getValue(), "pruned " + e.getKey());
        }
        assertTrue(Prune.isPruned(net));
        Prune.remove(net.child("0"), "weight");
        Prune.remove(net.child("2"), "bias");
        assertEquals(META.get("sd_model.keys_removed"), String.join(",", net.stateDict().keySet()));
        assertEquals(META.get("sd_model.params_removed"), String.join(",", net.namedParameters().keySet()));
        Map<String, Tensor> removed = prefixed("sd_model.removed.");
        for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
            assertExact(removed.get(e.getKey()), e.getValue(), "removed " + e.getKey());
        }
        assertEquals(META.get("sd_model.is_pruned"), Prune.isPruned(net) ? "True" : "False");
    }

    /** A state dict PyTorch saved from a pruned model loads, strict, into the same model pruned in jtorch. */
    @Test
    void pyTorchPrunedStateDictLoads() {
        Sequential net = sdModel();   // other initial values, so the jtorch masks differ before loading
        pruneSdModel(net);
        Module.IncompatibleKeys k = net.loadStateDict(prefixed("sd_model.pruned."));
        assertTrue(k.missingKeys().isEmpty() && k.unexpectedKeys().isEmpty(), k.toString());
        Map<String, Tensor> sd = prefixed("sd_model.pruned.");
        assertExact(sd.get("0.weight_mask"), net.child("0").buffer("weight_mask"), "loaded mask");
        assertExact(sd.get("0.weight_orig").mul(sd.get("0.weight_mask")), net.child("0").attr("weight"),
                "weight after loading");
        assertExact(sd.get("2.bias_orig").mul(sd.get("2.bias_mask")), net.child("2").attr("bias"),
                "bias after loading");
    }

    static void checkForward(String name, String kind, Step prune) {
        Module m = layer(kind, name + ".sd.");
        prune.run(m, "weight", null);
        assertExact(g(name + ".mask"), m.buffer("weight_mask"), name + " mask");
        Tensor out = m.call(g(name + ".x"));
        assertClose(g(name + ".out"), out, name + " out");
        out.mul(g(name + ".gout")).sum().backward();
        Map<String, Tensor> grads = prefixed(name + ".grad.");
        assertEquals(grads.keySet(), m.namedParameters().keySet());
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            assertClose(e.getValue(), m.namedParameters().get(e.getKey()).grad(), name + " grad " + e.getKey());
        }
        Tensor gOrig = m.parameter("weight_orig").grad();
        Tensor mask = m.buffer("weight_mask");
        assertEquals(0.0, gOrig.mul(mask.neg().add(1.0)).abs().sum().item(), 0.0, "no gradient where pruned");
        assertFalse(mask.requiresGrad());
    }

    @Test
    void forwardAndGradientToOrig() {
        checkForward("fwd_lin", "lin", l1(0.4));
        checkForward("fwd_conv", "conv", ln(0.5, 2, 0));
    }

    /**
     * The single-tensor cases again on the second backend ({@link TestDevice}: the fake device here, the OpenCL
     * device in the opencl module's device suites): masks computed from the tensors there, the same goldens.
     */
    @Tag("device")
    @Test
    void everyCaseOnASecondBackend() throws Exception {
        try (var _ = TestDevice.install()) {
            dev = TestDevice.device();
            l1Unstructured();
            lnStructured();
            randomMethodsAfterTheSameSeed();
            iterativePruningCombinesMasks();
            customFromMaskAndIdentity();
        } finally {
            dev = Device.CPU;
        }
    }
}
