package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.jtorch.nn.MultiheadAttentionTest.G;
import static dev.jtorch.nn.MultiheadAttentionTest.close;
import static dev.jtorch.nn.MultiheadAttentionTest.prepare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MultiheadAttention} beyond the PyTorch goldens of {@link MultiheadAttentionTest}: the options form equals
 * the positional one, arguments PyTorch checks elsewhere or not at all fail clearly, gradcheck in float64 (with
 * masks, bias_k/bias_v, zero attention, separate projections and dropout reseeded), dropout with p = 0 in
 * training is the eval output and otherwise drops about p of the weights, float32 runs close to the float64
 * golden, isCausal without a mask equals the explicit causal mask, and strided inputs give the same output.
 */
class MultiheadAttentionApiTest {
    static Tensor rn(int... shape) {
        return Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, shape);
    }

    static MultiheadAttention f64(MultiheadAttentionOptions o) {
        return (MultiheadAttention) new MultiheadAttention(o.dtype(DType.FLOAT64)).eval();
    }

    @Test
    void optionsEqualThePositionalConstructor() {
        Torch.manualSeed(3);
        MultiheadAttention a = new MultiheadAttention(MultiheadAttention.options(8, 2).dropout(0.1).bias(false)
                .addBiasKv(true).addZeroAttn(true).kdim(5).vdim(3).batchFirst(true));
        Torch.manualSeed(3);
        MultiheadAttention b = new MultiheadAttention(8, 2, 0.1, false, true, true, 5, 3, true, DType.FLOAT32);
        assertEquals(a.stateDict().keySet(), b.stateDict().keySet());
        for (var e : a.stateDict().entrySet()) {
            close(e.getKey(), e.getValue(), b.stateDict().get(e.getKey()), 0, 0);
        }
        assertEquals(List.of(8, 2, 5, 3, 4), List.of(a.embedDim, a.numHeads, a.kdim, a.vdim, a.headDim));
        assertTrue(a.batchFirst && a.addZeroAttn && !a.qkvSameEmbedDim && a.dropout == 0.1);
        assertNull(a.inProjWeight);
        assertNull(a.inProjBias);
        assertNull(a.outProj.bias);
        assertEquals(List.of(1, 1, 8), Arrays.stream(a.biasK.shape()).boxed().toList());

        Torch.manualSeed(4);
        MultiheadAttention c = new MultiheadAttention(6, 3);
        Torch.manualSeed(4);
        MultiheadAttention d = new MultiheadAttention(MultiheadAttention.options(6, 3));
        for (var e : c.stateDict().entrySet()) {
            close(e.getKey(), e.getValue(), d.stateDict().get(e.getKey()), 0, 0);
        }
        assertTrue(c.qkvSameEmbedDim && c.biasK == null && c.qProjWeight == null && !c.batchFirst);
        assertEquals(DType.FLOAT64, new MultiheadAttention(MultiheadAttention.options(4, 1).dtype(DType.FLOAT64))
                .inProjWeight.dtype());
    }

    @Test
    void badArgumentsFailClearly() {
        assertMessage("embed_dim and num_heads must be greater than 0, got embed_dim=8 and num_heads=0",
                () -> new MultiheadAttention(8, 0));
        assertMessage("embed_dim and num_heads must be greater than 0, got embed_dim=-4 and num_heads=2",
                () -> new MultiheadAttention(-4, 2));
        assertMessage("kdim and vdim must be non-negative", () -> new MultiheadAttention(MultiheadAttention
                .options(4, 2).kdim(-1)));
        assertMessage("dropout probability has to be between 0 and 1, but got NaN",
                () -> new MultiheadAttention(MultiheadAttention.options(4, 2).dropout(Double.NaN)));
        assertMessage("dtype must be a floating point dtype, got torch.int64",
                () -> new MultiheadAttention(MultiheadAttention.options(4, 2).dtype(DType.INT64)));
        assertMessage("options must not be null", () -> new MultiheadAttention(null));
        MultiheadAttention m = new MultiheadAttention(4, 2);
        Tensor x = Torch.randn(3, 2, 4);
        assertMessage("args must not be null", () -> m.run(x, x, x, null));
        assertMessage("query, key and value must not be null, got a tensor, null and a tensor",
                () -> m.run(x, null, x));
        // current PyTorch's _canonical_mask message (1.13 also names byte masks, which jtorch has not)
        assertMessage("only bool and floating types of attn_mask are supported",
                () -> m.run(x, x, x, MultiheadAttention.args().attnMask(Torch.zeros(DType.INT64, 3, 3))));
    }

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in \"" + e.getMessage() + "\"");
    }

    @Test
    void gradcheckWithMasksBiasKvZeroAttnAndSeparateWeights() {
        Torch.manualSeed(5);
        MultiheadAttention m = f64(MultiheadAttention.options(4, 2).addBiasKv(true).addZeroAttn(true).kdim(3)
                .vdim(2));
        Tensor q = rn(3, 2, 4).requiresGrad_(true);
        Tensor k = rn(4, 2, 3).requiresGrad_(true);
        Tensor v = rn(4, 2, 2).requiresGrad_(true);
        Tensor kpm = Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 2, 4).mul(-2);
        Tensor mask = Torch.tensor(new boolean[] {false, true, false, false, false, false, true, false, false, false,
            false, true}, 3, 4);
        List<Tensor> all = new ArrayList<>(List.of(q, k, v));
        all.addAll(m.parameters());
        assertTrue(Autograd.gradcheck(in -> {
            MultiheadAttention.Output o = m.run(in[0], in[1], in[2], MultiheadAttention.args().keyPaddingMask(kpm)
                    .attnMask(mask).averageAttnWeights(false));
            return o.attnOutput().sum().add(o.attnOutputWeights().mul(o.attnOutputWeights()).sum());
        }, all.toArray(new Tensor[0])));
    }

    @Test
    void gradcheckSelfAttentionWithDropoutReseeded() {
        Torch.manualSeed(6);
        MultiheadAttention m = new MultiheadAttention(MultiheadAttention.options(4, 2).dropout(0.4).batchFirst(true)
                .dtype(DType.FLOAT64));
        Tensor x = rn(2, 3, 4).requiresGrad_(true);
        List<Tensor> all = new ArrayList<>(List.of(x));
        all.addAll(m.parameters());
        assertTrue(Autograd.gradcheck(in -> {
            Torch.manualSeed(11);
            return m.run(in[0], in[0], in[0], MultiheadAttention.args().isCausal(true)).attnOutput();
        }, all.toArray(new Tensor[0])));
    }

    @Test
    void dropoutZeroInTrainingIsEvalAndDropoutDropsAboutP() {
        Torch.manualSeed(7);
        MultiheadAttention m = f64(MultiheadAttention.options(8, 2));
        Tensor q = rn(5, 3, 8);
        Tensor k = rn(6, 3, 8);
        MultiheadAttention.Output eval = m.run(q, k, k);
        m.train();
        MultiheadAttention.Output train = m.run(q, k, k);
        close("p = 0 in training", eval.attnOutput(), train.attnOutput(), 0, 0);
        close("p = 0 weights in training", eval.attnOutputWeights(), train.attnOutputWeights(), 0, 0);

        Torch.manualSeed(8);
        MultiheadAttention d = new MultiheadAttention(MultiheadAttention.options(8, 2).dropout(0.25)
                .dtype(DType.FLOAT64));
        Tensor big = rn(40, 10, 8);
        MultiheadAttention.Output o = d.run(big, big, big, MultiheadAttention.args().averageAttnWeights(false));
        double[] w = o.attnOutputWeights().toDoubleArray();
        long zeros = Arrays.stream(w).filter(x -> x == 0).count();
        double frac = (double) zeros / w.length;   // 32000 draws: the standard deviation of frac is 0.0024
        assertTrue(Math.abs(frac - 0.25) < 0.015, "fraction dropped " + frac);
        // the kept weights are scaled by 1 / (1 - p): each row sums to about 1 on average
        double mean = o.attnOutputWeights().sum(-1, false).mean().item();
        assertTrue(Math.abs(mean - 1) < 0.02, "mean row sum " + mean);
        d.eval();
        MultiheadAttention.Output e = d.run(big, big, big);
        assertEquals(0, Arrays.stream(e.attnOutputWeights().toDoubleArray()).filter(x -> x == 0).count(),
                "no dropout in eval");
    }

    @Test
    void float32CloseToTheFloat64Golden() {
        for (String name : List.of("bias_kv_zero_attn", "mask_bool_kpm_float", "batch_first_kdim_vdim")) {
            MultiheadAttentionTest.Prepared p = prepare(name, false);
            p.m().float32();
            MultiheadAttention.Args a = p.args();
            Tensor kpm = a.keyPaddingMask;
            Tensor mask = a.attnMask;
            a.keyPaddingMask(kpm == null || kpm.dtype() == DType.BOOL ? kpm : kpm.float32());
            a.attnMask(mask == null || mask.dtype() == DType.BOOL ? mask : mask.float32());
            Tensor q = p.q().float32();
            Tensor k = p.k() == p.q() ? q : p.k().float32();
            Tensor v = p.v() == p.k() ? k : p.v().float32();
            MultiheadAttention.Output o = p.m().run(q, k, v, a);
            assertEquals(DType.FLOAT32, o.attnOutput().dtype());
            close(name + " float32 output", G.get(name + ".out").float32(), o.attnOutput(), 1e-4, 1e-5);
            close(name + " float32 weights", G.get(name + ".weights").float32(), o.attnOutputWeights(), 1e-4, 1e-5);
        }
    }

    @Test
    void isCausalWithoutMaskIsTheExplicitCausalMask() {
        Torch.manualSeed(9);
        MultiheadAttention m = f64(MultiheadAttention.options(6, 3).addZeroAttn(true));
        Tensor q = rn(4, 2, 6);
        Tensor kv = rn(6, 2, 6);
        boolean[] later = new boolean[4 * 6];
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 6; j++) {
                later[i * 6 + j] = true;
            }
        }
        Tensor explicit = Torch.tensor(later, 4, 6);
        MultiheadAttention.Output a = m.run(q, kv, kv, MultiheadAttention.args().isCausal(true));
        MultiheadAttention.Output b = m.run(q, kv, kv, MultiheadAttention.args().attnMask(explicit));
        close("isCausal output", b.attnOutput(), a.attnOutput(), 0, 0);
        close("isCausal weights", b.attnOutputWeights(), a.attnOutputWeights(), 0, 0);
        // query 0 attends to key 0 and the zero-attention column only
        double[] row0 = a.attnOutputWeights().select(0, 0).select(0, 0).toDoubleArray();
        for (int j = 1; j < 6; j++) {
            assertEquals(0.0, row0[j], "weight of key " + j + " for query 0");
        }
        MultiheadAttention.Output noWeights = m.run(q, kv, kv, MultiheadAttention.args().isCausal(true)
                .needWeights(false));
        // without weights the fused scaled_dot_product_attention runs: the same values up to rounding
        close("isCausal without weights", a.attnOutput(), noWeights.attnOutput(), 1e-13, 1e-15);
        assertNull(noWeights.attnOutputWeights());
    }

    @Test
    void stridedInputsAndUnbatchedAgreeWithContiguousAndBatched() {
        Torch.manualSeed(10);
        MultiheadAttention m = f64(MultiheadAttention.options(6, 2).kdim(4).vdim(5).batchFirst(true));
        Tensor q = rn(3, 2, 6);
        Tensor k = rn(5, 2, 4);
        Tensor v = rn(5, 2, 5);
        MultiheadAttention.Output strided = m.run(q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1));
        MultiheadAttention.Output dense = m.run(q.transpose(0, 1).contiguous(), k.transpose(0, 1).contiguous(),
                v.transpose(0, 1).contiguous());
        close("strided output", dense.attnOutput(), strided.attnOutput(), 1e-12, 1e-14);
        close("strided weights", dense.attnOutputWeights(), strided.attnOutputWeights(), 1e-12, 1e-14);
        // batch 1 of the batched call equals the unbatched call on that sample
        MultiheadAttention.Output one = m.run(q.select(1, 1), k.select(1, 1), v.select(1, 1));
        close("unbatched output", dense.attnOutput().select(0, 1), one.attnOutput(), 1e-12, 1e-14);
        close("unbatched weights", dense.attnOutputWeights().select(0, 1), one.attnOutputWeights(), 1e-12, 1e-14);
    }

    @Test
    void float64ConversionKeepsTheParameterFields() {
        MultiheadAttention m = new MultiheadAttention(MultiheadAttention.options(4, 2).addBiasKv(true));
        Map<String, Parameter> before = m.namedParameters();
        m.float64();
        assertSame(before.get("in_proj_weight"), m.inProjWeight);
        assertSame(before.get("bias_k"), m.biasK);
        assertEquals(DType.FLOAT64, m.inProjWeight.dtype());
        assertEquals(DType.FLOAT64, m.outProj.weight.dtype());
        assertEquals(DType.FLOAT64, m.biasV.dtype());
    }

    /** An empty key sequence: nothing to attend to, so the output is the output projection's bias, as in PyTorch. */
    @Test
    void anEmptyKeySequenceGivesTheOutputBias() {
        Torch.manualSeed(4);
        MultiheadAttention m = new MultiheadAttention(8, 2);
        m.float64();
        Tensor q = Torch.randn(3, 2, 8).float64();
        Tensor kv = Torch.randn(0, 2, 8).float64();
        MultiheadAttention.Output o = m.run(q, kv, kv);
        assertEquals(List.of(3, 2, 8), Arrays.stream(o.attnOutput().shape()).boxed().toList());
        assertEquals(List.of(2, 3, 0), Arrays.stream(o.attnOutputWeights().shape()).boxed().toList());
        Tensor bias = m.outProj.bias.detach().expand(3, 2, 8);
        assertTrue(o.attnOutput().allclose(bias, 0, 0), o.attnOutput().toString());
    }
}
