package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.TorchLoad;
import dev.jtorch.nn.functional.F;
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
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static dev.jtorch.nn.MultiheadAttentionTest.bool;
import static dev.jtorch.nn.MultiheadAttentionTest.close;
import static dev.jtorch.nn.MultiheadAttentionTest.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transformer modules against PyTorch 1.13 ({@code tools/parity/gen_transformer_goldens.py},
 * {@code transformer.safetensors} and {@code transformer_trained.pt}): encoder and decoder layers (post-norm and
 * norm_first, relu, gelu and other activations, batch_first, unbatched, masks of each kind and the square
 * subsequent mask, the is_causal hints, dropout in training after the same seed, bias=False by its formula), the
 * stacks with and without a final norm, and the Transformer end to end, in float64: output and the gradients of
 * the inputs and every parameter at 1e-10; the parameters after a manual seed (the deep copies draw nothing), the
 * repr and the state dict keys in PyTorch's order; a Transformer trained by PyTorch, loaded from torch.save, gives
 * PyTorch's output; PyTorch's error messages.
 */
class TransformerTest {
    /** Cases the generator writes; a change in the generator must show up here. */
    static final int FORWARD_CASES = 46;
    static final int INIT_CASES = 9;
    static final double RTOL = 1e-10;
    static final double ATOL = 1e-12;

    static final Goldens GOLDEN = Goldens.of("/goldens/transformer.safetensors");
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

    /** Python's True / False / None as a Boolean. */
    static Boolean hint(String python) {
        return python == null || python.equals("None") ? null : bool(python);
    }

    // ------------------------------------------------------------------ modules from the generator's arguments

    static UnaryOperator<Tensor> activation(String name) {
        return switch (name) {
            case "relu" -> F::relu;
            case "gelu" -> x -> F.gelu(x, "none");
            case "gelu_tanh" -> x -> F.gelu(x, "tanh");
            case "tanh" -> Tensor::tanh;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    static TransformerLayerOptions layerOptions(Map<String, String> c) {
        TransformerLayerOptions o = TransformerEncoderLayer.options(Integer.parseInt(c.get("d_model")),
                        Integer.parseInt(c.get("nhead")))
                .dimFeedforward(Integer.parseInt(c.get("dim_feedforward")))
                .dropout(Double.parseDouble(c.get("dropout")))
                .layerNormEps(Double.parseDouble(c.get("layer_norm_eps")))
                .batchFirst(bool(c.get("batch_first")))
                .normFirst(bool(c.get("norm_first")))
                .bias(bool(c.get("bias")));
        String act = c.get("activation");
        // PyTorch's names through the string form, the others as functions
        return act.equals("relu") || act.equals("gelu") ? o.activation(act) : o.activation(activation(act));
    }

    static LayerNorm finalNorm(Map<String, String> c) {
        return new LayerNorm(LayerNorm.options(Integer.parseInt(c.get("d_model")))
                .eps(Double.parseDouble(c.get("layer_norm_eps"))).bias(bool(c.get("bias"))));
    }

    static Module build(String kind, Map<String, String> c) {
        return switch (kind) {
            case "enc_layer" -> new TransformerEncoderLayer(layerOptions(c));
            case "dec_layer" -> new TransformerDecoderLayer(layerOptions(c));
            case "encoder" -> new TransformerEncoder(new TransformerEncoderLayer(layerOptions(c)),
                    Integer.parseInt(c.get("num_layers")), bool(c.get("norm")) ? finalNorm(c) : null);
            case "decoder" -> new TransformerDecoder(new TransformerDecoderLayer(layerOptions(c)),
                    Integer.parseInt(c.get("num_layers")), bool(c.get("norm")) ? finalNorm(c) : null);
            case "transformer" -> {
                String act = c.get("activation");
                TransformerOptions o = Transformer.options().dModel(Integer.parseInt(c.get("d_model")))
                        .nhead(Integer.parseInt(c.get("nhead")))
                        .numEncoderLayers(Integer.parseInt(c.get("num_encoder_layers")))
                        .numDecoderLayers(Integer.parseInt(c.get("num_decoder_layers")))
                        .dimFeedforward(Integer.parseInt(c.get("dim_feedforward")))
                        .dropout(Double.parseDouble(c.get("dropout")))
                        .layerNormEps(Double.parseDouble(c.get("layer_norm_eps")))
                        .batchFirst(bool(c.get("batch_first")))
                        .normFirst(bool(c.get("norm_first")))
                        .bias(bool(c.get("bias")));
                yield new Transformer(act.equals("relu") || act.equals("gelu") ? o.activation(act)
                        : o.activation(activation(act)));
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    // ------------------------------------------------------------------ forward cases

    static final List<String> INPUT_NAMES = List.of("src", "tgt", "memory");
    static final List<String> MASK_NAMES = List.of("src_mask", "mask", "src_key_padding_mask", "tgt_mask",
            "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask");

    /** The module, inputs, masks and flags of one forward case, as the generator made them. */
    record Prepared(String name, String kind, Module m, Map<String, Tensor> inputs, Map<String, Tensor> masks,
                    Map<String, String> call) {
        Tensor in(String key) {
            return inputs.get(key);
        }

        Tensor mask(String key) {
            return masks.get(key);
        }

        /** The module, inputs and masks on {@code device}; the inputs require grad. */
        Prepared to(Device device) {
            m.to(device);
            Map<String, Tensor> in = new LinkedHashMap<>();
            inputs.forEach((k, v) -> in.put(k, v.detach().to(device).requiresGrad_(true)));
            Map<String, Tensor> ms = new LinkedHashMap<>();
            masks.forEach((k, v) -> ms.put(k, v.to(device)));
            return new Prepared(name, kind, m, in, ms, call);
        }

        /** The call through the args builders and the module's hooks, after the generator's seed. */
        Tensor run() {
            Torch.manualSeed(Long.parseLong(call.get("seed")));
            return switch (kind) {
                case "enc_layer" -> ((TransformerEncoderLayer) m).call(in("src"), TransformerEncoderLayer.args()
                        .srcMask(mask("src_mask")).srcKeyPaddingMask(mask("src_key_padding_mask"))
                        .isCausal(bool(call.getOrDefault("is_causal", "False"))));
                case "encoder" -> ((TransformerEncoder) m).call(in("src"), TransformerEncoder.args()
                        .mask(mask("mask")).srcKeyPaddingMask(mask("src_key_padding_mask"))
                        .isCausal(hint(call.get("is_causal"))));
                case "dec_layer" -> ((TransformerDecoderLayer) m).call(in("tgt"), in("memory"),
                        TransformerDecoderLayer.args().tgtMask(mask("tgt_mask")).memoryMask(mask("memory_mask"))
                                .tgtKeyPaddingMask(mask("tgt_key_padding_mask"))
                                .memoryKeyPaddingMask(mask("memory_key_padding_mask"))
                                .tgtIsCausal(bool(call.getOrDefault("tgt_is_causal", "False")))
                                .memoryIsCausal(bool(call.getOrDefault("memory_is_causal", "False"))));
                case "decoder" -> ((TransformerDecoder) m).call(in("tgt"), in("memory"), TransformerDecoder.args()
                        .tgtMask(mask("tgt_mask")).memoryMask(mask("memory_mask"))
                        .tgtKeyPaddingMask(mask("tgt_key_padding_mask"))
                        .memoryKeyPaddingMask(mask("memory_key_padding_mask"))
                        .tgtIsCausal(hint(call.get("tgt_is_causal")))
                        .memoryIsCausal(bool(call.getOrDefault("memory_is_causal", "False"))));
                case "transformer" -> ((Transformer) m).call(in("src"), in("tgt"), Transformer.args()
                        .srcMask(mask("src_mask")).tgtMask(mask("tgt_mask")).memoryMask(mask("memory_mask"))
                        .srcKeyPaddingMask(mask("src_key_padding_mask"))
                        .tgtKeyPaddingMask(mask("tgt_key_padding_mask"))
                        .memoryKeyPaddingMask(mask("memory_key_padding_mask"))
                        .srcIsCausal(hint(call.get("src_is_causal"))).tgtIsCausal(hint(call.get("tgt_is_causal")))
                        .memoryIsCausal(bool(call.getOrDefault("memory_is_causal", "False"))));
                default -> throw new IllegalStateException(kind);
            };
        }
    }

    static Prepared prepare(String name, boolean requiresGrad) {
        String kind = meta(name + ".kind");
        Module m = build(kind, kv(meta(name + ".ctor")));
        m.float64();
        Module.IncompatibleKeys keys = m.loadStateDict(prefixed(name + ".state."));
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty(), name + ": " + keys);
        Map<String, String> call = kv(meta(name + ".call"));
        m.train(bool(call.get("train")));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String in : INPUT_NAMES) {
            if (G.containsKey(name + "." + in)) {
                inputs.put(in, g(name + "." + in).requiresGrad_(requiresGrad));
            }
        }
        Map<String, Tensor> masks = new LinkedHashMap<>();
        for (String k : MASK_NAMES) {
            if (G.containsKey(name + "." + k)) {
                masks.put(k, g(name + "." + k));
            }
        }
        return new Prepared(name, kind, m, inputs, masks, call);
    }

    static List<String> forwardNames() {
        return Arrays.asList(meta("cases").split(","));
    }

    @TestFactory
    List<DynamicTest> everyForwardCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : forwardNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> forwardCase(prepare(name, true), RTOL, ATOL)));
        }
        return tests;
    }

    @Test
    void theGeneratorWroteEveryCase() {
        assertEquals(FORWARD_CASES, forwardNames().size(), "forward cases");
        assertEquals(INIT_CASES, initNames().size(), "init cases");
        assertEquals(ERRORS.keySet(), goldenErrors(), "error cases");
    }

    static void forwardCase(Prepared p, double rtol, double atol) {
        String name = p.name();
        Tensor out = p.run();
        Device device = p.inputs().values().iterator().next().device();
        assertEquals(device, out.device(), name + ": output on the inputs' device");
        close(name + " output", G.get(name + ".out"), out.cpu(), rtol, atol);
        out.mul(g(name + ".gout").to(device)).sum().backward();
        for (var e : p.inputs().entrySet()) {
            close(name + " grad " + e.getKey(), G.get(name + ".grad_" + e.getKey()), e.getValue().grad().cpu(), rtol,
                    atol);
        }
        Map<String, Tensor> grads = prefixed(name + ".grad.");
        assertEquals(grads.keySet(), p.m().namedParameters().keySet(), name + ": parameters");
        for (var e : p.m().namedParameters().entrySet()) {
            close(name + " grad " + e.getKey(), grads.get(e.getKey()), e.getValue().grad().cpu(), rtol, atol);
        }
    }

    /**
     * Every case on a second backend ({@link TestDevice}: the fake device here, the real one in the OpenCL
     * module's device suites): module, inputs and masks moved there give PyTorch's output and gradients.
     */
    @Tag("device")
    @TestFactory
    List<DynamicTest> everyForwardCaseOnASecondBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : forwardNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try (var _ = TestDevice.install()) {
                    forwardCase(prepare(name, false).to(TestDevice.device()), RTOL, ATOL);
                }
            }));
        }
        return tests;
    }

    /** float32 modules and inputs follow the float64 goldens at float tolerance (cases without dropout draws). */
    @TestFactory
    List<DynamicTest> float32FollowsTheGoldens() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : forwardNames()) {
            if (bool(kv(meta(name + ".call")).get("train"))) {
                continue;   // float32 dropout masks are other draws than float64 ones
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Prepared p = prepare(name, false);
                p.m().float32();
                Map<String, Tensor> in = new LinkedHashMap<>();
                p.inputs().forEach((k, v) -> in.put(k, v.float32()));
                Map<String, Tensor> ms = new LinkedHashMap<>();
                p.masks().forEach((k, v) -> ms.put(k, v.isFloatingPoint() ? v.float32() : v));
                Tensor out = new Prepared(name, p.kind(), p.m(), in, ms, p.call()).run();
                assertEquals(DType.FLOAT32, out.dtype(), name + ": float32 output");
                close(name + " float32", G.get(name + ".out"), out.float64(), 1e-4, 1e-5);
            }));
        }
        return tests;
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

    /**
     * After the same seed: PyTorch's parameter values (the stacks' layers copies of the given layer, the
     * Transformer's matrices re-drawn by xavier_uniform_), repr and state dict keys in order; and the generator
     * where PyTorch's is after construction (the deep copies draw nothing).
     */
    @TestFactory
    List<DynamicTest> initialValuesReprAndKeys() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : initNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String pre = "init." + name + ".";
                Torch.manualSeed(Long.parseLong(meta(pre + "seed")));
                Module m = build(meta(pre + "kind"), kv(meta(pre + "ctor")));
                Tensor after = Torch.rand(4);
                close(name + " draws after construction", G.get(pre + "after"), after, 0, 0);
                assertEquals(meta(pre + "repr"), m.toString(), name + ": repr");
                Map<String, Tensor> sd = m.stateDict();
                assertEquals(Arrays.asList(meta(pre + "keys").split(",")), new ArrayList<>(sd.keySet()),
                        name + ": state dict keys in order");
                for (var e : sd.entrySet()) {
                    close(name + " init " + e.getKey(), G.get(pre + e.getKey()), e.getValue(), 1e-7, 1e-8);
                }
            }));
        }
        return tests;
    }

    // ------------------------------------------------------------------ a Transformer trained by PyTorch

    /**
     * The test: a Transformer trained ten steps by PyTorch and saved with torch.save loads unchanged
     * (PyTorch's keys, in order) and, in eval mode, gives PyTorch's output for a batch with masks.
     */
    @Test
    void transformerTrainedByPyTorchGivesItsOutput() throws IOException {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/goldens/transformer_trained.pt")) {
            file = in.readAllBytes();
        }
        Map<String, Tensor> sd = TorchLoad.loadStateDict(file);
        assertEquals(Arrays.asList(meta("pt.keys").split(",")), new ArrayList<>(sd.keySet()), "keys of the file");
        Torch.manualSeed(999);
        Transformer model = new Transformer(Transformer.options().dModel(16).nhead(4).numEncoderLayers(2)
                .numDecoderLayers(2).dimFeedforward(32).batchFirst(true));
        Module.IncompatibleKeys keys = model.loadStateDict(sd);
        assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty(), keys.toString());
        assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(model.stateDict().keySet()), "jtorch's keys");
        model.eval();
        Tensor kpm = g("pt.src_key_padding_mask");
        Tensor out = model.call(g("pt.src"), g("pt.tgt"), Transformer.args().tgtMask(g("pt.tgt_mask"))
                .srcKeyPaddingMask(kpm).memoryKeyPaddingMask(kpm));
        // float32 through four layers: rounding differences of 1e-6 absolute
        close("output of the trained Transformer", G.get("pt.out"), out, 1e-4, 1e-5);
        model.float64();
        Tensor out64 = model.call(g("pt.src").float64(), g("pt.tgt").float64(), Transformer.args()
                .tgtMask(g("pt.tgt_mask").float64()).srcKeyPaddingMask(kpm).memoryKeyPaddingMask(kpm));
        close("output of the trained Transformer in float64", G.get("pt.out64"), out64, RTOL, ATOL);
    }

    // ------------------------------------------------------------------ errors

    static final Map<String, Runnable> ERRORS = new LinkedHashMap<>();

    static {
        Transformer model = new Transformer(Transformer.options().dModel(8).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(16));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(TransformerEncoderLayer.options(8, 2)
                .dimFeedforward(16));
        ERRORS.put("activation_name", () -> new TransformerEncoderLayer(TransformerEncoderLayer.options(8, 2)
                .activation("tanh")));
        ERRORS.put("decoder_activation_name", () -> new TransformerDecoderLayer(TransformerDecoderLayer
                .options(8, 2).activation("swish")));
        ERRORS.put("not_divisible", () -> new TransformerEncoderLayer(8, 3));
        ERRORS.put("dropout_range", () -> new TransformerDecoderLayer(TransformerDecoderLayer.options(8, 2)
                .dropout(1.5)));
        ERRORS.put("batch_number", () -> model.call(Torch.randn(5, 3, 8), Torch.randn(4, 4, 8)));
        ERRORS.put("batch_number_batch_first", () -> new Transformer(Transformer.options().dModel(8).nhead(2)
                .numEncoderLayers(1).numDecoderLayers(1).dimFeedforward(16).batchFirst(true))
                .call(Torch.randn(3, 5, 8), Torch.randn(4, 4, 8)));
        ERRORS.put("feature_number", () -> model.call(Torch.randn(5, 3, 8), Torch.randn(4, 3, 9)));
        ERRORS.put("src_4d", () -> enc.call(Torch.randn(1, 5, 3, 8)));
        ERRORS.put("src_mask_shape", () -> enc.call(Torch.randn(5, 3, 8), TransformerEncoderLayer.args()
                .srcMask(Torch.zeros(4, 4))));
        ERRORS.put("kpm_shape", () -> enc.call(Torch.randn(5, 3, 8), TransformerEncoderLayer.args()
                .srcKeyPaddingMask(Torch.zeros(DType.BOOL, 3, 6))));
        ERRORS.put("memory_embed_dim", () -> new TransformerDecoderLayer(TransformerDecoderLayer.options(8, 2)
                .dimFeedforward(16)).call(Torch.randn(4, 3, 8), Torch.randn(5, 3, 10)));
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
