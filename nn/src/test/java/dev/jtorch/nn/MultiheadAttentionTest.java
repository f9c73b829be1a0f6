package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.TorchLoad;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link MultiheadAttention} against PyTorch 1.13 ({@code tools/parity/gen_attention_goldens.py},
 * {@code attention.safetensors} and {@code attention_state.pt}): every forward case (self-attention,
 * encoder-decoder, kdim/vdim, batch_first, unbatched, no bias, add_bias_kv, add_zero_attn, bool and float key
 * padding and 2-D/3-D attention masks and their combinations, weights per head or none, dropout in training after
 * the same seed, is_causal against the explicit causal mask) in float64: output, weights, and the gradients of
 * query, key, value and every parameter, at 1e-10 relative; the parameters after a manual seed, the repr and the
 * state dict keys; a state dict PyTorch saved with torch.save; PyTorch's error messages.
 */
class MultiheadAttentionTest {
    /** Cases the generator writes; a change in the generator must show up here. */
    static final int FORWARD_CASES = 41;
    static final int INIT_CASES = 6;
    static final double RTOL = 1e-10;
    static final double ATOL = 1e-12;

    static final Goldens GOLDEN = Goldens.of("/goldens/attention.safetensors");
    static final Map<String, Tensor> G = GOLDEN.tensors;
    static final Map<String, String> META = GOLDEN.metadata;

    // ------------------------------------------------------------------ golden access

    static Tensor g(String key) {
        return GOLDEN.g(key);
    }

    static Tensor opt(String key) {
        return GOLDEN.opt(key);
    }

    static String meta(String key) {
        return GOLDEN.meta(key);
    }

    static Map<String, Tensor> prefixed(String prefix) {
        return GOLDEN.prefixed(prefix);
    }

    /** "a=1,b=True" as a map. */
    static Map<String, String> kv(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    static boolean bool(String python) {
        return switch (python) {
            case "True" -> true;
            case "False" -> false;
            default -> throw new IllegalArgumentException("not a Python bool: " + python);
        };
    }

    /** The module of a golden's constructor arguments, through the options builder. */
    static MultiheadAttention build(Map<String, String> ctor) {
        MultiheadAttentionOptions o = MultiheadAttention.options(Integer.parseInt(ctor.get("embed_dim")),
                Integer.parseInt(ctor.get("num_heads")));
        for (var e : ctor.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "embed_dim", "num_heads" -> { }
                case "dropout" -> o.dropout(Double.parseDouble(v));
                case "bias" -> o.bias(bool(v));
                case "add_bias_kv" -> o.addBiasKv(bool(v));
                case "add_zero_attn" -> o.addZeroAttn(bool(v));
                case "kdim" -> o.kdim(Integer.parseInt(v));
                case "vdim" -> o.vdim(Integer.parseInt(v));
                case "batch_first" -> o.batchFirst(bool(v));
                case "dtype" -> o.dtype(DType.valueOf(v.toUpperCase()));
                default -> fail("unknown constructor argument " + e.getKey());
            }
        }
        return new MultiheadAttention(o);
    }

    static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertNotNull(expected, what + ": no golden");
        assertNotNull(actual, what + ": missing");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected "
                        + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
            }
        }
    }

    static List<String> forwardNames() {
        return Arrays.asList(meta("cases").split(","));
    }

    // ------------------------------------------------------------------ forward cases

    /** The inputs, module and arguments of one forward case, as the generator made them. */
    record Prepared(MultiheadAttention m, Tensor q, Tensor k, Tensor v, MultiheadAttention.Args args, long seed) {
        MultiheadAttention.Output run() {
            Torch.manualSeed(seed);
            return m.run(q, k, v, args);
        }
    }

    static Prepared prepare(String name, boolean requiresGrad) {
        MultiheadAttention m = build(kv(meta(name + ".ctor")));
        m.float64();
        Module.IncompatibleKeys keys = m.loadStateDict(prefixed(name + ".state."));
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty(), name + ": " + keys);
        Map<String, String> call = kv(meta(name + ".call"));
        m.train(bool(call.get("train")));
        Tensor q = g(name + ".q").requiresGrad_(requiresGrad);
        Tensor k;
        Tensor v;
        switch (call.get("inputs")) {
            case "same" -> {
                k = q;
                v = q;
            }
            case "kv" -> {
                k = g(name + ".k").requiresGrad_(requiresGrad);
                v = k;
            }
            case "distinct" -> {
                k = g(name + ".k").requiresGrad_(requiresGrad);
                v = g(name + ".v").requiresGrad_(requiresGrad);
            }
            default -> throw new IllegalStateException(call.get("inputs"));
        }
        MultiheadAttention.Args args = MultiheadAttention.args()
                .keyPaddingMask(opt(name + ".kpm"))
                .attnMask(opt(name + ".attn_mask"))
                .needWeights(bool(call.get("need_weights")))
                .averageAttnWeights(bool(call.get("average_attn_weights")))
                .isCausal(bool(call.get("is_causal")));
        return new Prepared(m, q, k, v, args, Long.parseLong(call.get("seed")));
    }

    @TestFactory
    List<DynamicTest> everyForwardCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : forwardNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> forwardCase(name)));
        }
        return tests;
    }

    @Test
    void theGeneratorWroteEveryCase() {
        assertEquals(FORWARD_CASES, forwardNames().size(), "forward cases");
        assertEquals(INIT_CASES, initNames().size(), "init cases");
        assertEquals(ERRORS.keySet(), goldenErrors(), "error cases");
    }

    private void forwardCase(String name) {
        Prepared p = prepare(name, true);
        MultiheadAttention.Output o = p.run();
        close(name + " output", G.get(name + ".out"), o.attnOutput(), RTOL, ATOL);
        Tensor loss = o.attnOutput().mul(g(name + ".gout")).sum();
        if (G.containsKey(name + ".weights")) {
            close(name + " weights", G.get(name + ".weights"), o.attnOutputWeights(), RTOL, ATOL);
            loss = loss.add(o.attnOutputWeights().mul(g(name + ".gw")).sum());
        } else {
            assertNull(o.attnOutputWeights(), name + ": weights without need_weights");
        }
        loss.backward();
        close(name + " grad query", G.get(name + ".grad_q"), p.q().grad(), RTOL, ATOL);
        if (p.k() != p.q()) {
            close(name + " grad key", G.get(name + ".grad_k"), p.k().grad(), RTOL, ATOL);
        }
        if (p.v() != p.k()) {
            close(name + " grad value", G.get(name + ".grad_v"), p.v().grad(), RTOL, ATOL);
        }
        Map<String, Tensor> grads = prefixed(name + ".grad.");
        assertEquals(grads.keySet(), p.m().namedParameters().keySet(), name + ": parameters");
        for (var e : p.m().namedParameters().entrySet()) {
            close(name + " grad " + e.getKey(), grads.get(e.getKey()), e.getValue().grad(), RTOL, ATOL);
        }
    }

    /** The positional forward, the Args form and call(q, k, v) (through the hooks) agree. */
    @Test
    void positionalArgsAndCallFormsAgree() {
        Prepared p = prepare("bias_kv_zero_attn", false);
        MultiheadAttention.Args a = p.args();
        MultiheadAttention.Output viaArgs = p.run();
        MultiheadAttention.Output positional = p.m().forward(p.q(), p.k(), p.v(), a.keyPaddingMask, a.needWeights,
                a.attnMask, a.averageAttnWeights, a.isCausal);
        close("positional output", viaArgs.attnOutput(), positional.attnOutput(), 0, 0);
        close("positional weights", viaArgs.attnOutputWeights(), positional.attnOutputWeights(), 0, 0);

        Prepared plain = prepare("distinct_inputs", false);
        int[] hooked = {0};
        plain.m().registerForwardHook((mod, in, out) -> {
            hooked[0]++;
            return null;
        });
        close("call(q, k, v)", G.get("distinct_inputs.out"), plain.m().call(plain.q(), plain.k(), plain.v()), RTOL,
                ATOL);
        assertEquals(1, hooked[0], "forward hook ran");
        MultiheadAttention.Output dflt = plain.m().run(plain.q(), plain.k(), plain.v());
        close("run(q, k, v) output", G.get("distinct_inputs.out"), dflt.attnOutput(), RTOL, ATOL);
        close("run(q, k, v) weights", G.get("distinct_inputs.weights"), dflt.attnOutputWeights(), RTOL, ATOL);
    }

    // ------------------------------------------------------------------ initialisation, repr, keys

    static List<String> initNames() {
        TreeSet<String> names = new TreeSet<>();
        for (String k : META.keySet()) {
            if (k.startsWith("init.") && k.endsWith(".seed")) {
                names.add(k.substring(5, k.length() - 5));
            }
        }
        return new ArrayList<>(names);
    }

    @TestFactory
    List<DynamicTest> initialValuesReprAndKeys() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : initNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String pre = "init." + name + ".";
                Torch.manualSeed(Long.parseLong(meta(pre + "seed")));
                MultiheadAttention m = build(kv(meta(pre + "ctor")));
                assertEquals(meta(pre + "repr"), m.toString(), name + ": repr");
                Map<String, Tensor> sd = m.stateDict();
                assertEquals(Arrays.asList(meta(pre + "keys").split(",")), new ArrayList<>(sd.keySet()),
                        name + ": state dict keys in order");
                for (var e : sd.entrySet()) {
                    // bias_k/bias_v: PyTorch draws normals of 16 or more float32 elements with vectorised float
                    // arithmetic, a few ulps from the exact transform (docs/engine.md)
                    boolean normal = e.getKey().startsWith("bias_") && e.getValue().numel() >= 16;
                    double tol = normal ? 1e-5 : 1e-7;
                    close(name + " init " + e.getKey(), G.get(pre + e.getKey()), e.getValue(), tol, tol / 10);
                }
            }));
        }
        return tests;
    }

    // ------------------------------------------------------------------ PyTorch's torch.save file

    @Test
    void stateDictSavedByPyTorchLoadsAndGivesItsOutput() throws IOException {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/goldens/attention_state.pt")) {
            file = in.readAllBytes();
        }
        Map<String, Tensor> sd = TorchLoad.loadStateDict(file);
        assertEquals(Arrays.asList(meta("pt.keys").split(",")), new ArrayList<>(sd.keySet()), "keys of the file");
        Torch.manualSeed(999);
        MultiheadAttention m = new MultiheadAttention(MultiheadAttention.options(6, 2).addBiasKv(true).kdim(5)
                .vdim(3).batchFirst(true));
        Module.IncompatibleKeys keys = m.loadStateDict(sd);
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty(), keys.toString());
        assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(m.stateDict().keySet()), "jtorch's keys");
        m.eval();
        MultiheadAttention.Output o = m.run(g("pt.q"), g("pt.k"), g("pt.v"),
                MultiheadAttention.args().keyPaddingMask(g("pt.kpm")));
        close("output after PyTorch's state dict", G.get("pt.out"), o.attnOutput(), 1e-5, 1e-6);
        close("weights after PyTorch's state dict", G.get("pt.weights"), o.attnOutputWeights(), 1e-5, 1e-6);
    }

    // ------------------------------------------------------------------ errors

    static final Map<String, Runnable> ERRORS = new LinkedHashMap<>();

    static {
        MultiheadAttention m = new MultiheadAttention(6, 2);
        MultiheadAttention sep = new MultiheadAttention(MultiheadAttention.options(6, 2).kdim(5).vdim(3));
        Tensor q = Torch.randn(4, 2, 6);
        Tensor k = Torch.randn(5, 2, 6);
        Tensor x = Torch.randn(4, 6);
        Tensor y = Torch.randn(5, 6);
        ERRORS.put("query_4d", () -> m.run(Torch.randn(1, 4, 2, 6), k, k));
        ERRORS.put("batched_key_2d", () -> m.run(q, y, k));
        ERRORS.put("unbatched_key_3d", () -> m.run(x, k, y));
        ERRORS.put("batched_kpm_1d", () -> m.run(q, k, k, kpm(Torch.zeros(DType.BOOL, 5))));
        ERRORS.put("unbatched_kpm_2d", () -> m.run(x, y, y, kpm(Torch.zeros(DType.BOOL, 1, 5))));
        ERRORS.put("batched_mask_4d", () -> m.run(q, k, k, mask(Torch.zeros(1, 1, 4, 5))));
        ERRORS.put("unbatched_mask_4d", () -> m.run(x, y, y, mask(Torch.zeros(1, 1, 4, 5))));
        ERRORS.put("unbatched_mask_3d_shape", () -> m.run(x, y, y, mask(Torch.zeros(3, 4, 5))));
        ERRORS.put("embed_dim", () -> m.run(Torch.randn(4, 2, 8), k, k));
        ERRORS.put("key_value_shape", () -> m.run(q, k, Torch.randn(4, 2, 6)));
        ERRORS.put("separate_seq_batch", () -> sep.run(q, Torch.randn(5, 2, 5), Torch.randn(4, 2, 3)));
        ERRORS.put("separate_key_features", () -> sep.run(q, Torch.randn(5, 2, 6), Torch.randn(5, 2, 3)));
        ERRORS.put("separate_value_features", () -> sep.run(q, Torch.randn(5, 2, 5), Torch.randn(5, 2, 2)));
        ERRORS.put("packed_key_features", () -> m.run(q, Torch.randn(5, 2, 8), Torch.randn(5, 2, 8)));
        ERRORS.put("mask_2d_shape", () -> m.run(q, k, k, mask(Torch.zeros(4, 4))));
        ERRORS.put("mask_3d_shape", () -> m.run(q, k, k, mask(Torch.zeros(2, 4, 5))));
        ERRORS.put("kpm_shape", () -> m.run(q, k, k, kpm(Torch.zeros(DType.BOOL, 2, 4))));
        ERRORS.put("kpm_shape_bias_kv", () -> new MultiheadAttention(MultiheadAttention.options(6, 2).addBiasKv(true))
                .run(q, k, k, kpm(Torch.zeros(DType.BOOL, 2, 6))));
        ERRORS.put("kpm_dtype", () -> m.run(q, k, k, kpm(Torch.zeros(DType.INT64, 2, 5))));
        ERRORS.put("not_divisible", () -> new MultiheadAttention(6, 4));
        ERRORS.put("dropout_range", () -> new MultiheadAttention(MultiheadAttention.options(6, 2).dropout(1.5)));
    }

    static MultiheadAttention.Args kpm(Tensor t) {
        return MultiheadAttention.args().keyPaddingMask(t);
    }

    static MultiheadAttention.Args mask(Tensor t) {
        return MultiheadAttention.args().attnMask(t);
    }

    static TreeSet<String> goldenErrors() {
        TreeSet<String> names = new TreeSet<>();
        for (String k : META.keySet()) {
            if (k.startsWith("error.")) {
                names.add(k.substring(6));
            }
        }
        return names;
    }

    @TestFactory
    List<DynamicTest> pytorchsErrorMessages() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : ERRORS.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                String expected = meta("error." + e.getKey());
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e.getValue()::run);
                assertTrue(ex.getMessage().contains(expected), e.getKey() + ": expected PyTorch's \"" + expected
                        + "\" in \"" + ex.getMessage() + "\"");
            }));
        }
        return tests;
    }
}
