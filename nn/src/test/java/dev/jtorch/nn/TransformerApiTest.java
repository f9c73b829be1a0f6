package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.jtorch.nn.MultiheadAttentionTest.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transformer modules beyond the PyTorch goldens of {@link TransformerTest}: options equal the positional and
 * short constructors and hold PyTorch's defaults, the square subsequent mask and the detection of causal masks,
 * the stacks' deep copies (independent, with the given layer's values, dtype, flags and modes), every call form
 * giving the same output, hooks seeing PyTorch's positional inputs, a layer in a Sequential, gradcheck in float64
 * (masks, norm_first, dropout reseeded, the whole Transformer), strided inputs, zero layers and clear messages
 * for bad arguments.
 */
class TransformerApiTest {
    static Tensor rn(int... shape) {
        return Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, shape);
    }

    static void same(String what, Tensor a, Tensor b) {
        close(what, a, b, 0, 0);
    }

    static void sameState(Module a, Module b) {
        assertEquals(new ArrayList<>(a.stateDict().keySet()), new ArrayList<>(b.stateDict().keySet()), "keys");
        for (var e : a.stateDict().entrySet()) {
            same(e.getKey(), e.getValue(), b.stateDict().get(e.getKey()));
        }
    }

    static TransformerLayerOptions small() {
        return TransformerEncoderLayer.options(4, 2).dimFeedforward(6).dtype(DType.FLOAT64);
    }

    // ------------------------------------------------------------------ constructors and options

    @Test
    void optionsEqualThePositionalAndShortConstructors() {
        Torch.manualSeed(3);
        TransformerEncoderLayer a = new TransformerEncoderLayer(TransformerEncoderLayer.options(8, 2)
                .dimFeedforward(12).dropout(0.2).activation("gelu").layerNormEps(1e-3).batchFirst(true).normFirst(true)
                .bias(false).dtype(DType.FLOAT64));
        Torch.manualSeed(3);
        TransformerEncoderLayer b = new TransformerEncoderLayer(8, 2, 12, 0.2, x -> F.gelu(x, "none"), 1e-3, true,
                true, false, DType.FLOAT64);
        sameState(a, b);
        assertTrue(a.normFirst && a.selfAttn.batchFirst && a.dropout.p == 0.2 && a.norm1.eps == 1e-3);
        assertNull(a.linear1.bias);
        assertNull(a.norm2.bias);
        assertNull(a.selfAttn.inProjBias);
        assertEquals(DType.FLOAT64, a.linear2.weight.dtype());

        Torch.manualSeed(4);
        TransformerDecoderLayer c = new TransformerDecoderLayer(8, 2);
        Torch.manualSeed(4);
        TransformerDecoderLayer d = new TransformerDecoderLayer(8, 2, 2048, 0.1, F::relu, 1e-5, false, false, true,
                DType.FLOAT32);
        sameState(c, d);
        // PyTorch's defaults
        assertEquals(2048, c.linear1.outFeatures);
        assertTrue(c.dropout3.p == 0.1 && c.norm3.eps == 1e-5 && !c.normFirst && !c.multiheadAttn.batchFirst);
        assertEquals(DType.FLOAT32, c.norm1.weight.dtype());

        TransformerOptions t = Transformer.options();
        TransformerLayerOptions l = t.layerOptions();
        assertEquals(List.of(512, 8, 6, 6, 2048), List.of(t.dModel, t.nhead, t.numEncoderLayers, t.numDecoderLayers,
                l.dimFeedforward));
        assertTrue(l.dropout == 0.1 && l.layerNormEps == 1e-5 && !l.batchFirst && !l.normFirst && l.bias
                && l.dtype == DType.FLOAT32 && t.customEncoder == null && t.customDecoder == null);
        Transformer small = new Transformer(Transformer.options().dModel(4).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(2).dimFeedforward(6).dtype(DType.FLOAT64).batchFirst(true));
        assertEquals(List.of(4, 2, 1, 2), List.of(small.dModel, small.nhead, small.encoder.numLayers,
                small.decoder.numLayers));
        assertTrue(small.batchFirst && small.encoder.norm instanceof LayerNorm);
        for (Parameter p : small.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
        }
    }

    @Test
    void customEncoderAndDecoderAreUsedAndReinitialised() {
        Torch.manualSeed(5);
        TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(small()), 1);
        TransformerDecoder dec = new TransformerDecoder(new TransformerDecoderLayer(small()), 1);
        Tensor before = enc.layers.get(0).stateDict().get("linear1.weight").clone();
        Transformer t = new Transformer(Transformer.options().dModel(4).nhead(2).customEncoder(enc)
                .customDecoder(dec));
        assertSame(enc, t.encoder);
        assertSame(dec, t.decoder);
        assertFalse(before.equal(enc.layers.get(0).stateDict().get("linear1.weight")),
                "_reset_parameters re-draws the custom encoder's matrices too");
        assertNull(t.encoder.norm);
    }

    // ------------------------------------------------------------------ masks

    @Test
    void squareSubsequentMask() {
        Tensor fromPyTorch = TransformerTest.g("enc_square_subsequent.src_mask");
        same("float64 mask", fromPyTorch, Transformer.generateSquareSubsequentMask(5, DType.FLOAT64, Device.CPU));
        Tensor m = Transformer.generateSquareSubsequentMask(5);
        assertEquals(DType.FLOAT32, m.dtype());
        same("float32 mask", fromPyTorch.float32(), m);
        same("on a device", m, Transformer.generateSquareSubsequentMask(5, Device.CPU));
        assertEquals(List.of(0, 0), List.of(Transformer.generateSquareSubsequentMask(0).shape()[0],
                Transformer.generateSquareSubsequentMask(0).shape()[1]));
        assertMessage("Trying to create tensor with negative dimension -2: [-2, -2]",
                () -> Transformer.generateSquareSubsequentMask(-2));
        assertMessage("dtype must be a floating point dtype (the mask holds -inf), got torch.bool",
                () -> Transformer.generateSquareSubsequentMask(3, DType.BOOL, Device.CPU));
    }

    @Test
    void causalMasksAreDetectedAsPyTorch2Does() {
        Tensor f32 = Transformer.generateSquareSubsequentMask(4);
        Tensor f64 = Transformer.generateSquareSubsequentMask(4, DType.FLOAT64, Device.CPU);
        Tensor bool = f32.eq(Double.NEGATIVE_INFINITY);
        assertTrue(TransformerSupport.detectIsCausalMask(f32, null, 4));
        assertTrue(TransformerSupport.detectIsCausalMask(f64, null, 4));
        assertTrue(TransformerSupport.detectIsCausalMask(bool, null, 4));
        assertFalse(TransformerSupport.detectIsCausalMask(f32, null, 5), "another length");
        assertFalse(TransformerSupport.detectIsCausalMask(f32.clamp(-1e9, 0), null, 4), "-1e9 is not -inf");
        assertFalse(TransformerSupport.detectIsCausalMask(bool.logicalNot(), null, 4));
        assertFalse(TransformerSupport.detectIsCausalMask(f32.unsqueeze(0).expand(2, 4, 4), null, 4), "3-D");
        assertFalse(TransformerSupport.detectIsCausalMask(null, null, 4));
        assertTrue(TransformerSupport.detectIsCausalMask(null, true, 4), "the hint as given");
        assertFalse(TransformerSupport.detectIsCausalMask(f32, false, 4), "the hint as given");
    }

    /** isCausal without a mask is the square subsequent mask, at every level. */
    @Test
    void isCausalWithoutAMaskIsTheCausalMask() {
        Torch.manualSeed(6);
        TransformerEncoder enc = (TransformerEncoder) new TransformerEncoder(new TransformerEncoderLayer(small()), 2,
                new LayerNorm(LayerNorm.options(4).dtype(DType.FLOAT64))).eval();
        Tensor src = rn(5, 3, 4);
        Tensor mask = Transformer.generateSquareSubsequentMask(5, DType.FLOAT64, Device.CPU);
        same("encoder", enc.forward(src, TransformerEncoder.args().mask(mask)),
                enc.forward(src, TransformerEncoder.args().isCausal(true)));
        Transformer t = (Transformer) new Transformer(Transformer.options().dModel(4).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(6).dtype(DType.FLOAT64)).eval();
        Tensor tgt = rn(4, 3, 4);
        Tensor tgtMask = Transformer.generateSquareSubsequentMask(4, DType.FLOAT64, Device.CPU);
        same("transformer", t.forward(src, tgt, Transformer.args().tgtMask(tgtMask)),
                t.forward(src, tgt, Transformer.args().tgtIsCausal(true)));
    }

    // ------------------------------------------------------------------ deep copies

    @Test
    void layersAreIndependentDeepCopiesOfTheGivenLayer() {
        Torch.manualSeed(7);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(small());
        layer.linear1.weight.requiresGrad_(false);
        layer.norm2.eval();
        layer.selfAttn.inProjWeight.setGrad(Torch.ones(DType.FLOAT64, 12, 4));
        TransformerEncoder enc = new TransformerEncoder(layer, 3);
        assertEquals(3, enc.layers.size());
        for (Module m : enc.layers) {
            TransformerEncoderLayer l = (TransformerEncoderLayer) m;
            assertNotSame(layer, l);
            assertNotSame(layer.linear1.weight, l.linear1.weight);
            sameState(layer, l);
            assertEquals(DType.FLOAT64, l.linear2.weight.dtype());
            assertFalse(l.linear1.weight.requiresGrad());
            assertTrue(l.linear2.weight.requiresGrad());
            assertFalse(l.norm2.isTraining());
            assertTrue(l.norm1.isTraining() && l.isTraining());
            same("gradient copied", layer.selfAttn.inProjWeight.grad(), l.selfAttn.inProjWeight.grad());
            assertNotSame(layer.selfAttn.inProjWeight.grad(), l.selfAttn.inProjWeight.grad());
            assertSame(layer.activation, l.activation);
        }
        TransformerEncoderLayer first = (TransformerEncoderLayer) enc.layers.get(0);
        try (var _ = Autograd.noGrad()) {
            first.linear2.weight.fill_(3);
        }
        assertFalse(layer.linear2.weight.equal(first.linear2.weight), "the source is not shared");
        assertFalse(((TransformerEncoderLayer) enc.layers.get(1)).linear2.weight.equal(first.linear2.weight));

        // a float64 conversion of a float32 layer is copied as it is
        TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2);
        dec.float64();
        TransformerDecoder stack = new TransformerDecoder(dec, 2);
        for (Parameter p : stack.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
        }
        sameState(dec, stack.layers.get(1));
    }

    // ------------------------------------------------------------------ call forms and hooks

    @Test
    void everyCallFormGivesTheSameOutput() {
        Torch.manualSeed(8);
        TransformerEncoderLayer enc = (TransformerEncoderLayer) new TransformerEncoderLayer(small()).eval();
        Tensor src = rn(5, 3, 4);
        Tensor mask = rn(5, 5);
        Tensor kpm = Torch.rand(3, 5).lt(0.3);
        Tensor ref = enc.forward(src, mask, kpm, false);
        same("forward(src, Args)", ref, enc.forward(src, TransformerEncoderLayer.args().srcMask(mask)
                .srcKeyPaddingMask(kpm)));
        same("call(src, Args)", ref, enc.call(src, TransformerEncoderLayer.args().srcMask(mask).srcKeyPaddingMask(kpm)));
        same("forward(src, mask, kpm)", ref, enc.forward(src, mask, kpm));
        same("call(src, mask, kpm)", ref, enc.call(src, mask, kpm));
        same("call(src, mask)", enc.forward(src, mask), enc.call(src, mask));
        same("call(src)", enc.forward(src, TransformerEncoderLayer.args()), enc.call(src));

        TransformerDecoderLayer dec = (TransformerDecoderLayer) new TransformerDecoderLayer(small()).eval();
        Tensor tgt = rn(4, 3, 4);
        Tensor tgtMask = Transformer.generateSquareSubsequentMask(4, DType.FLOAT64, Device.CPU);
        Tensor memMask = rn(4, 5);
        Tensor dref = dec.forward(tgt, src, tgtMask, memMask, null, kpm, false, false);
        same("decoder Args", dref, dec.call(tgt, src, TransformerDecoderLayer.args().tgtMask(tgtMask)
                .memoryMask(memMask).memoryKeyPaddingMask(kpm)));
        same("decoder positional", dec.forward(tgt, src, tgtMask, memMask), dec.call(tgt, src, tgtMask, memMask));
        same("decoder call(tgt, memory)", dec.forward(tgt, src, TransformerDecoderLayer.args()), dec.call(tgt, src));

        Transformer t = (Transformer) new Transformer(Transformer.options().dModel(4).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(6).dtype(DType.FLOAT64)).eval();
        Tensor tref = t.forward(src, tgt, mask, tgtMask, memMask, kpm, null, kpm);
        same("transformer Args", tref, t.call(src, tgt, Transformer.args().srcMask(mask).tgtMask(tgtMask)
                .memoryMask(memMask).srcKeyPaddingMask(kpm).memoryKeyPaddingMask(kpm)));
        same("transformer (src, tgt, srcMask, tgtMask)", t.forward(src, tgt, Transformer.args().srcMask(mask)
                .tgtMask(tgtMask)), t.call(src, tgt, mask, tgtMask));
        // the Transformer is its encoder then its decoder
        Tensor memory = t.encoder.forward(src, TransformerEncoder.args().mask(mask).srcKeyPaddingMask(kpm));
        same("encoder then decoder", tref, t.decoder.forward(tgt, memory, TransformerDecoder.args().tgtMask(tgtMask)
                .memoryMask(memMask).memoryKeyPaddingMask(kpm)));
    }

    @Test
    void hooksSeePyTorchsPositionalInputs() {
        Torch.manualSeed(9);
        TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(small()), 2);
        enc.eval();
        List<Integer> layerInputs = new ArrayList<>();
        List<Integer> attentionInputs = new ArrayList<>();
        for (Module m : enc.layers) {
            TransformerEncoderLayer l = (TransformerEncoderLayer) m;
            l.registerForwardPreHook((mod, in) -> {
                layerInputs.add(in.length);
                return null;
            });
            l.selfAttn.registerForwardHook((mod, in, out) -> {
                attentionInputs.add(in.length);
                return out.mul(0);   // a hook's output replaces the attention's
            });
        }
        Tensor src = rn(5, 3, 4);
        Tensor out = enc.call(src, TransformerEncoder.args().srcKeyPaddingMask(Torch.zeros(DType.BOOL, 3, 5)));
        assertEquals(List.of(1, 1), layerInputs, "each layer sees src, as mod(output, src_mask=...)");
        assertEquals(List.of(3, 3), attentionInputs, "self_attn sees (x, x, x)");
        // with the attention zeroed by the hooks, each layer is norm2(y + ff(y)) with y = norm1(x)
        Tensor x = src;
        for (Module m : enc.layers) {
            TransformerEncoderLayer l = (TransformerEncoderLayer) m;
            Tensor y = l.norm1.forward(x);
            x = l.norm2.forward(y.add(l.linear2.forward(F.relu(l.linear1.forward(y)))));
        }
        close("hooked output", x, out, 1e-12, 1e-14);
    }

    @Test
    void layersFitInASequential() {
        Torch.manualSeed(10);
        TransformerEncoderLayer a = new TransformerEncoderLayer(small().batchFirst(true));
        TransformerEncoderLayer b = new TransformerEncoderLayer(small().batchFirst(true).normFirst(true));
        Sequential seq = new Sequential(a, b, new Linear(4, 2, true, DType.FLOAT64));
        seq.eval();
        Tensor x = rn(3, 5, 4);
        Tensor y = seq.call(x);
        same("Sequential", ((Linear) seq.get(2)).forward(b.forward(a.forward(x))), y);
        assertEquals(List.of("0.self_attn.in_proj_weight", "0.self_attn.in_proj_bias"),
                new ArrayList<>(seq.stateDict().keySet()).subList(0, 2));
    }

    // ------------------------------------------------------------------ gradcheck

    @Test
    void gradcheckEncoderLayerWithMasks() {
        Torch.manualSeed(11);
        TransformerEncoderLayer m = new TransformerEncoderLayer(small().activation("gelu"));
        m.eval();
        Tensor src = rn(3, 2, 4).requiresGrad_(true);
        Tensor mask = rn(3, 3);
        Tensor kpm = Torch.tensor(new boolean[] {false, false, true, false, false, false}, 2, 3);
        List<Tensor> all = new ArrayList<>(List.of(src));
        all.addAll(m.parameters());
        assertTrue(Autograd.gradcheck(in -> m.forward(in[0], mask, kpm), all.toArray(new Tensor[0])));
    }

    @Test
    void gradcheckNormFirstDecoderLayerWithDropoutReseeded() {
        Torch.manualSeed(12);
        TransformerDecoderLayer m = new TransformerDecoderLayer(small().normFirst(true).dropout(0.3).batchFirst(true));
        Tensor tgt = rn(2, 3, 4).requiresGrad_(true);
        Tensor mem = rn(2, 4, 4).requiresGrad_(true);
        List<Tensor> all = new ArrayList<>(List.of(tgt, mem));
        all.addAll(m.parameters());
        assertTrue(Autograd.gradcheck(in -> {
            Torch.manualSeed(13);
            return m.forward(in[0], in[1], TransformerDecoderLayer.args().tgtIsCausal(true));
        }, all.toArray(new Tensor[0])));
    }

    @Test
    void gradcheckTransformer() {
        Torch.manualSeed(14);
        Transformer m = (Transformer) new Transformer(Transformer.options().dModel(4).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(5).dtype(DType.FLOAT64).bias(false)).eval();
        Tensor src = rn(3, 2, 4).requiresGrad_(true);
        Tensor tgt = rn(2, 2, 4).requiresGrad_(true);
        List<Tensor> all = new ArrayList<>(List.of(src, tgt));
        all.addAll(m.parameters());
        Tensor kpm = Torch.tensor(new boolean[] {false, false, true, false, false, false}, 2, 3);
        assertTrue(Autograd.gradcheck(in -> m.forward(in[0], in[1], Transformer.args().srcKeyPaddingMask(kpm)
                .tgtIsCausal(true)), all.toArray(new Tensor[0])));
    }

    // ------------------------------------------------------------------ inputs

    @Test
    void stridedInputsAndZeroLayers() {
        Torch.manualSeed(15);
        TransformerDecoder dec = (TransformerDecoder) new TransformerDecoder(new TransformerDecoderLayer(small()), 2,
                new LayerNorm(LayerNorm.options(4).dtype(DType.FLOAT64))).eval();
        Tensor tgt = rn(3, 4, 2).transpose(1, 2);   // (3, 2, 4), not contiguous
        Tensor mem = rn(5, 2, 4);
        close("strided target", dec.forward(tgt.contiguous(), mem), dec.forward(tgt, mem), 1e-12, 1e-14);

        LayerNorm norm = new LayerNorm(LayerNorm.options(4).dtype(DType.FLOAT64));
        TransformerEncoder none = new TransformerEncoder(new TransformerEncoderLayer(small()), 0, norm);
        Tensor src = rn(5, 2, 4);
        assertEquals(0, none.layers.size());
        same("zero layers: the norm alone", norm.forward(src), none.forward(src));
        same("zero layers, no norm: the input", src, new TransformerDecoder(new TransformerDecoderLayer(small()), 0)
                .forward(src, mem));
    }

    // ------------------------------------------------------------------ bad arguments

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in \"" + e.getMessage() + "\"");
    }

    @Test
    void badArgumentsFailClearly() {
        TransformerEncoderLayer enc = new TransformerEncoderLayer(small());
        TransformerDecoderLayer dec = new TransformerDecoderLayer(small());
        Tensor x = rn(5, 2, 4);
        assertMessage("TransformerEncoderLayer: args must not be null", () -> enc.forward(x,
                (TransformerEncoderLayer.Args) null));
        assertMessage("TransformerDecoderLayer: args must not be null", () -> dec.call(x, x,
                (TransformerDecoderLayer.Args) null));
        assertMessage("TransformerEncoderLayer: src must not be null", () -> enc.forward((Tensor) null));
        assertMessage("TransformerDecoderLayer: memory must not be null", () -> dec.forward(x, (Tensor) null));
        assertMessage("only bool and floating types of src_key_padding_mask are supported, got torch.int64",
                () -> enc.call(x, TransformerEncoderLayer.args().srcKeyPaddingMask(Torch.zeros(DType.INT64, 2, 5))));
        assertMessage("only bool and floating types of tgt_mask are supported, got torch.int64",
                () -> new TransformerDecoder(dec, 1).call(x, x, TransformerDecoder.args()
                        .tgtMask(Torch.zeros(DType.INT64, 5, 5))));
        assertMessage("only bool and floating types of mask are supported",
                () -> new TransformerEncoder(enc, 1).forward(x, Torch.zeros(DType.INT64, 5, 5)));
        assertMessage("TransformerEncoder: num_layers must be non-negative, got -1",
                () -> new TransformerEncoder(enc, -1));
        assertMessage("TransformerDecoder: the layer to stack must not be null", () -> new TransformerDecoder(null, 2));
        assertMessage("TransformerEncoderLayer: options must not be null",
                () -> new TransformerEncoderLayer((TransformerLayerOptions) null));
        assertMessage("Transformer: options must not be null", () -> new Transformer((TransformerOptions) null));
        assertMessage("dim_feedforward must be non-negative, got -3",
                () -> new TransformerDecoderLayer(TransformerDecoderLayer.options(4, 2).dimFeedforward(-3)));
        assertMessage("dtype must be a floating point dtype, got torch.int64",
                () -> new Transformer(Transformer.options().dModel(4).nhead(2).dtype(DType.INT64)));
        assertMessage("activation must not be null",
                () -> TransformerEncoderLayer.options(4, 2).activation((java.util.function.UnaryOperator<Tensor>) null));
        assertMessage("activation should be relu/gelu, not null",
                () -> TransformerEncoderLayer.options(4, 2).activation((String) null));
        assertMessage("embed_dim and num_heads must be greater than 0", () -> new TransformerEncoderLayer(4, 0));
        assertMessage("Transformer: src must not be null", () -> new Transformer(Transformer.options().dModel(4)
                .nhead(2).numEncoderLayers(1).numDecoderLayers(1).dimFeedforward(4)).forward(null, x,
                Transformer.args()));

        TransformerEncoder stack = new TransformerEncoder(enc, 2);
        stack.layers.set(1, new Linear(4, 4));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stack.forward(x));
        assertEquals("TransformerEncoder: layers[1] is a Linear, not a TransformerEncoderLayer", e.getMessage());
    }
}
