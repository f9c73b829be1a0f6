package dev.jtorch.nn.init;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.utils.Utils;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nn.init after the same seed and nn.utils against PyTorch (init_utils.safetensors). */
class InitUtilsTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = InitUtilsTest.class.getResourceAsStream("/goldens/init_utils.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void check(String name, UnaryOperator<Tensor> fn, double tol) {
        Torch.manualSeed(21);
        Tensor r = fn.apply(Torch.empty(5, 7));
        Tensor e = G.get("init." + name);
        assertArrayEquals(e.shape(), r.shape(), name);
        float[] x = e.toFloatArray();
        float[] y = r.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], tol * Math.max(1, Math.abs(x[i])), name + " element " + i);
        }
    }

    @Test
    void initialisersMatchPyTorchAfterTheSameSeed() {
        check("uniform", w -> Init.uniform_(w, -0.3, 0.7), 0);
        check("constant", w -> Init.constant_(w, 0.25), 0);
        check("ones", Init::ones_, 0);
        check("zeros", Init::zeros_, 0);
        check("eye", Init::eye_, 0);
        check("xavier_uniform", w -> Init.xavierUniform_(w, 1.5), 0);
        check("kaiming_uniform", w -> Init.kaimingUniform_(w, 0.1, Init.FanMode.FAN_OUT, "leaky_relu"), 0);
        // float32 normal draws of 16+ elements agree to rounding (PyTorch vectorises them in float)
        check("normal", w -> Init.normal_(w, 0.5, 2.0), 2e-6);
        check("xavier_normal", w -> Init.xavierNormal_(w, 0.8), 2e-6);
        check("kaiming_normal", w -> Init.kaimingNormal_(w, 0, Init.FanMode.FAN_IN, "relu"), 2e-6);
        check("trunc_normal", w -> Init.truncNormal_(w, 0.1, 0.5, -0.4, 0.9), 2e-6);
        check("orthogonal", w -> Init.orthogonal_(w, 2.0), 1e-5);
        check("orthogonal_tall", w -> Init.orthogonal_(w.t().contiguous(), 1.0), 1e-5);
        check("sparse", w -> Init.sparse_(w, 0.4, 0.1), 2e-6);
        Torch.manualSeed(21);
        Tensor d = Init.dirac_(Torch.empty(4, 2, 3, 3), 2);
        assertTrue(G.get("init.dirac").equal(d));
    }

    @Test
    void gainsMatchPyTorch() {
        assertEquals(Double.parseDouble(META.get("gain.tanh.None")), Init.calculateGain("tanh"));
        assertEquals(Double.parseDouble(META.get("gain.relu.None")), Init.calculateGain("relu"));
        assertEquals(Double.parseDouble(META.get("gain.leaky_relu.None")), Init.calculateGain("leaky_relu"));
        assertEquals(Double.parseDouble(META.get("gain.leaky_relu.0.2")), Init.calculateGain("leaky_relu", 0.2));
        assertEquals(Double.parseDouble(META.get("gain.selu.None")), Init.calculateGain("selu"));
        assertEquals(Double.parseDouble(META.get("gain.conv2d.None")), Init.calculateGain("conv2d"));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
        assertEquals("Unsupported nonlinearity swish", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform_(Torch.empty(3), 1));
    }

    static List<Parameter> params() {
        Parameter a = new Parameter(Torch.zerosLike(G.get("clip.g0")));
        Parameter b = new Parameter(Torch.zerosLike(G.get("clip.g1")));
        a.setGrad(G.get("clip.g0").clone());
        b.setGrad(G.get("clip.g1").clone());
        return List.of(a, b);
    }

    @Test
    void clippingMatchesPyTorch() {
        for (double nt : new double[] {2.0, 1.0, 3.0, Double.POSITIVE_INFINITY}) {
            List<Parameter> ps = params();
            Tensor total = Utils.clipGradNorm_(ps, 0.5, nt, false);
            String k = "clip.norm." + (Double.isInfinite(nt) ? "inf" : Double.toString(nt));
            assertEquals(G.get(k + ".total").item(), total.item(), 1e-12, k);
            assertTrue(G.get(k + ".g0").allclose(ps.get(0).grad(), 1e-12, 1e-14), k);
            assertTrue(G.get(k + ".g1").allclose(ps.get(1).grad(), 1e-12, 1e-14), k);
        }
        List<Parameter> ps = params();
        Utils.clipGradValue_(ps, 0.6);
        assertTrue(G.get("clip.value.g0").equal(ps.get(0).grad()));
        assertTrue(G.get("clip.value.g1").equal(ps.get(1).grad()));
        List<Parameter> bad = params();
        bad.get(0).grad().fill_(Double.NaN);
        var e = assertThrows(IllegalStateException.class, () -> Utils.clipGradNorm_(bad, 1, 2, true));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void vectorRoundTrip() {
        Parameter a = new Parameter(G.get("clip.g0").clone());
        Parameter b = new Parameter(G.get("clip.g1").clone());
        Tensor v = Utils.parametersToVector(List.of(a, b));
        assertTrue(G.get("vector").equal(v));
        Utils.vectorToParameters(v.mul(2.0), List.of(a, b));
        assertTrue(G.get("clip.g1").mul(2.0).equal(b));
        assertThrows(IllegalArgumentException.class, () -> Utils.vectorToParameters(Torch.ones(3), List.of(a, b)));
    }
}
