package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jtorch.OpsGoldenTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused attention op ({@link NnOps#scaledDotProductAttention}) against PyTorch 1.13's goldens of its
 * definition (tools/parity/gen_sdpa_goldens.py): outputs and the gradients of q, k, v and a float mask, in
 * float64 and float32, on the CPU and on the second backend; the long sequence (L = S = 1000) and its memory;
 * dropout against F.dropout's draw.
 */
class AttentionTest {
    static final SafeTensors.Reader GOLDEN = SafeTensors.open(OpsGoldenTest.resource("attention.safetensors"));
    static final Map<String, Tensor> ALL = GOLDEN.all();

    /** A case's call, from its metadata (flat JSON written by the generator). */
    record Call(String mask, boolean causal, Double scale, double dropoutP, long seed, boolean f32) {
        static Call of(String json) {
            return new Call(field(json, "mask").replace("\"", ""), field(json, "is_causal").equals("true"),
                    field(json, "scale").equals("null") ? null : Double.valueOf(field(json, "scale")),
                    Double.parseDouble(field(json, "dropout_p")), Long.parseLong(field(json, "seed")),
                    field(json, "dtype").contains("float32"));
        }

        private static String field(String json, String key) {
            Matcher m = Pattern.compile("\"" + key + "\": (\"[^\"]*\"|[^,}]+)").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no " + key + " in " + json);
            }
            return m.group(1).trim();
        }
    }

    static List<String> caseNames() {
        List<String> names = new ArrayList<>();
        for (String k : GOLDEN.metadata().keySet()) {
            if (!k.equals("torch") && !k.equals("long")) {
                names.add(k);
            }
        }
        names.sort(null);
        return names;
    }

    /** Runs golden case {@code name} with its tensors on {@code device} and checks output and gradients. */
    static void check(String name, Device device) {
        Call c = Call.of(GOLDEN.metadata().get(name));
        double rtol = c.f32 ? 1e-5 : 1e-10;
        double atol = c.f32 ? 1e-6 : 1e-12;
        Tensor q = ALL.get(name + ".q").to(device).requiresGrad_(true);
        Tensor k = ALL.get(name + ".k").to(device).requiresGrad_(true);
        Tensor v = ALL.get(name + ".v").to(device).requiresGrad_(true);
        Tensor mask = ALL.get(name + ".mask");
        if (mask != null) {
            mask = mask.to(device);
            if (mask.isFloatingPoint()) {
                mask.requiresGrad_(true);
            }
        }
        Torch.manualSeed(c.seed);
        Tensor out = NnOps.scaledDotProductAttention(q, k, v, mask, c.dropoutP, c.causal, c.scale);
        assertEquals(device, out.device(), name + ": output device");
        assertEquals(AttentionOps.NODE, out.gradFn().name());
        assertClose(name + " out", ALL.get(name + ".out"), out.cpu(), rtol, atol);
        out.backward(ALL.get(name + ".gout").to(device));
        assertClose(name + " dq", ALL.get(name + ".dq"), q.grad().cpu(), rtol, atol);
        assertClose(name + " dk", ALL.get(name + ".dk"), k.grad().cpu(), rtol, atol);
        assertClose(name + " dv", ALL.get(name + ".dv"), v.grad().cpu(), rtol, atol);
        Tensor dmask = ALL.get(name + ".dmask");
        if (dmask != null) {
            // a float32 mask (allowed with float64 queries) has a float32 gradient, compared at float tolerance
            boolean f32 = dmask.dtype() == DType.FLOAT32;
            assertClose(name + " dmask", dmask, mask.grad().cpu(), f32 ? 1e-5 : rtol, f32 ? 1e-6 : atol);
        }
    }

    @TestFactory
    List<DynamicTest> matchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : caseNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> check(name, Device.CPU)));
        }
        assertTrue(tests.size() >= 30, "attention golden cases: " + tests.size());
        return tests;
    }

    /** Every golden again on the second backend ({@link TestDevice}). */
    @Tag("device")
    @TestFactory
    List<DynamicTest> matchesPyTorchOnASecondBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : caseNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try (var _ = TestDevice.install()) {
                    check(name, TestDevice.device());
                }
            }));
        }
        return tests;
    }

    /** L = S = 1000 at E = 64: the inputs are PyTorch's randn after the same seed; every 37th row compared. */
    @Test
    void longSequenceMatchesPyTorch() {
        Generator g = Torch.manualSeed(2024);
        Tensor q = Torch.randn(g, DType.FLOAT64, 1000, 64).requiresGrad_(true);
        Tensor k = Torch.randn(g, DType.FLOAT64, 1000, 64).requiresGrad_(true);
        Tensor v = Torch.randn(g, DType.FLOAT64, 1000, 64).requiresGrad_(true);
        Tensor gout = Torch.randn(g, DType.FLOAT64, 1000, 64);
        assertClose("the regenerated query", ALL.get("long.q_head"), q.detach().narrow(0, 0, 2), 0, 0);
        Tensor out = NnOps.scaledDotProductAttention(q, k, v, null, 0, false, null);
        out.backward(gout);
        Tensor rows = ALL.get("long.rows");
        assertClose("long out", ALL.get("long.out"), out.detach().indexSelect(0, rows), 1e-10, 1e-12);
        assertClose("long dq", ALL.get("long.dq"), q.grad().indexSelect(0, rows), 1e-10, 1e-12);
        assertClose("long dk", ALL.get("long.dk"), k.grad().indexSelect(0, rows), 1e-10, 1e-12);
        assertClose("long dv", ALL.get("long.dv"), v.grad().indexSelect(0, rows), 1e-10, 1e-12);
    }

    /** The fused op with dropout is the composition dropout(softmax(...)) @ v with the same seed. */
    @Test
    void dropoutMatchesTheComposition() {
        Generator g = Torch.manualSeed(11);
        Tensor q = Torch.randn(g, DType.FLOAT64, 2, 3, 5, 4);
        Tensor k = Torch.randn(g, DType.FLOAT64, 2, 3, 6, 4);
        Tensor v = Torch.randn(g, DType.FLOAT64, 2, 3, 6, 3);
        Tensor mask = Torch.randn(g, DType.FLOAT64, 3, 5, 6);
        Tensor gout = Torch.randn(g, DType.FLOAT64, 2, 3, 5, 3);
        Tensor[] fused = leaves(q, k, v, mask);
        Torch.manualSeed(99);
        Tensor a = NnOps.scaledDotProductAttention(fused[0], fused[1], fused[2], fused[3], 0.4, false, 0.7);
        a.backward(gout);
        Tensor[] comp = leaves(q, k, v, mask);
        Torch.manualSeed(99);
        Tensor w = comp[0].matmul(comp[1].transpose(-2, -1)).mul(0.7).add(comp[3]).softmax(-1);
        Tensor noise;
        try (var _ = Autograd.noGrad()) {
            noise = w.newEmpty(w.dtype(), w.shape()).bernoulli_(1 - 0.4).div_(1 - 0.4);
        }
        Tensor b = w.mul(noise).matmul(comp[2]);
        b.backward(gout);
        assertClose("dropout out", b.detach(), a.detach(), 1e-12, 1e-13);
        for (int i = 0; i < 4; i++) {
            assertClose("dropout grad " + i, comp[i].grad(), fused[i].grad(), 1e-12, 1e-13);
        }
        // p = 1 drops everything (F.dropout draws nothing then); p = 0 draws nothing either
        Tensor zero = NnOps.scaledDotProductAttention(q, k, v, null, 1, false, null);
        assertClose("p = 1", Torch.zeros(DType.FLOAT64, 2, 3, 5, 3), zero, 0, 0);
        Torch.manualSeed(3);
        NnOps.scaledDotProductAttention(q, k, v, null, 0, false, null);
        double next = Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 1).item();
        Torch.manualSeed(3);
        assertEquals(Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 1).item(), next);
    }

    private static Tensor[] leaves(Tensor... ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i].detach().clone().requiresGrad_(true);
        }
        return out;
    }

    /** gradcheck in float64 of the fused op, every differentiable input (q, k, v and a float mask). */
    @Test
    void gradcheck() {
        Generator g = Torch.manualSeed(21);
        Tensor q = Torch.randn(g, DType.FLOAT64, 2, 3, 4).requiresGrad_(true);
        Tensor k = Torch.randn(g, DType.FLOAT64, 2, 5, 4).requiresGrad_(true);
        Tensor v = Torch.randn(g, DType.FLOAT64, 2, 5, 3).requiresGrad_(true);
        Tensor fm = Torch.randn(g, DType.FLOAT64, 3, 5).requiresGrad_(true);
        Tensor bm = Torch.rand(g, DType.FLOAT64, 2, 3, 5).gt(0.3);
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0], in[1], in[2], null, 0, false,
                null), q, k, v));
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0], in[1], in[2], in[3], 0, false,
                0.6), q, k, v, fm));
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0], in[1], in[2], bm, 0, false,
                null), q, k, v));
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0], in[1], in[2], null, 0, true,
                null), q, k, v));
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0], in[1].select(0, 1), in[2], null,
                0, false, null), q, k, v));
        assertTrue(Autograd.gradcheck(in -> {
            Torch.manualSeed(8);   // the same keep mask at every evaluation
            return NnOps.scaledDotProductAttention(in[0], in[1], in[2], in[3], 0.25, false, null);
        }, q, k, v, fm));
        // non-contiguous operands: q transposed from (E, L), v a strided slice
        Tensor qt = Torch.randn(g, DType.FLOAT64, 2, 4, 3).requiresGrad_(true);
        Tensor vw = Torch.randn(g, DType.FLOAT64, 2, 5, 6).requiresGrad_(true);
        assertTrue(Autograd.gradcheck(in -> NnOps.scaledDotProductAttention(in[0].transpose(-2, -1), in[1],
                in[2].slice(2, 0, 6, 2), null, 0, false, null), qt, k, vw));
    }

    @Test
    void edgeSizes() {
        Generator g = Torch.manualSeed(4);
        // no queries: an empty output
        Tensor out = NnOps.scaledDotProductAttention(Torch.randn(g, DType.FLOAT64, 2, 0, 4),
                Torch.randn(g, DType.FLOAT64, 2, 3, 4), Torch.randn(g, DType.FLOAT64, 2, 3, 5), null, 0, false, null);
        assertEquals(List.of(2, 0, 5), List.of(out.size(0), out.size(1), out.size(2)));
        // no features (E = 0): every score is 0 (PyTorch scales q and k by sqrt(scale) first), so the mean of v
        Tensor v = Torch.randn(g, DType.FLOAT64, 2, 3, 5);
        Tensor mean = NnOps.scaledDotProductAttention(Torch.zeros(DType.FLOAT64, 2, 4, 0),
                Torch.zeros(DType.FLOAT64, 2, 3, 0), v, null, 0, false, null);
        assertClose("E = 0", v.mean(1, true).expand(2, 4, 5), mean, 1e-15, 1e-15);
        // half types compute in float32 and round back
        Tensor q = Torch.randn(g, DType.FLOAT32, 3, 4);
        Tensor k = Torch.randn(g, DType.FLOAT32, 5, 4);
        Tensor vv = Torch.randn(g, DType.FLOAT32, 5, 2);
        Tensor half = NnOps.scaledDotProductAttention(q.to(DType.FLOAT16), k.to(DType.FLOAT16),
                vv.to(DType.FLOAT16), null, 0, false, null);
        assertEquals(DType.FLOAT16, half.dtype());
        Tensor ref = NnOps.scaledDotProductAttention(q.to(DType.FLOAT16).float32(), k.to(DType.FLOAT16).float32(),
                vv.to(DType.FLOAT16).float32(), null, 0, false, null).to(DType.FLOAT16);
        assertClose("float16", ref, half, 0, 0);
        // inference records nothing
        try (var _ = Autograd.noGrad()) {
            Tensor r = NnOps.scaledDotProductAttention(q.requiresGrad_(true), k, vv, null, 0, false, null);
            assertNull(r.gradFn());
        }
    }
}
