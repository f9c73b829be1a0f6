package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The generator reproduces PyTorch's CPU streams after the same manual_seed (goldens from PyTorch 1.13). */
class RngTest {
    static final Map<String, Tensor> G = SafeTensors.load(OpsGoldenTest.resource("rng.safetensors"));

    @Test
    void uniformStreamsAreExact() {
        Torch.manualSeed(0);
        assertArrayEquals(G.get("rand_f32").toFloatArray(), Torch.rand(5).toFloatArray());
        Torch.manualSeed(0);
        assertArrayEquals(G.get("rand_f64").toDoubleArray(),
                Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 5).toDoubleArray());
        Torch.manualSeed(4);
        assertArrayEquals(G.get("uniform_").toFloatArray(), Torch.empty(6).uniform_(-2, 2).toFloatArray());
        Torch.manualSeed(4);
        assertArrayEquals(G.get("uniform_f64").toDoubleArray(),
                Torch.empty(DType.FLOAT64, 50).uniform_(-2.3, 3.1).toDoubleArray());
        Torch.manualSeed(4);
        assertArrayEquals(G.get("uniform_f32_odd").toFloatArray(), Torch.empty(50).uniform_(-0.37, 0.81).toFloatArray());
        Torch.manualSeed(5);
        assertArrayEquals(G.get("bernoulli_").toFloatArray(), Torch.empty(40).bernoulli_(0.3).toFloatArray());
    }

    @Test
    void normalStreams() {
        Torch.manualSeed(1);
        assertArrayEquals(G.get("randn_f64_small").toDoubleArray(),
                Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 7).toDoubleArray(), 1e-15);
        Torch.manualSeed(1);
        assertArrayEquals(G.get("randn_f64_large").toDoubleArray(),
                Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 37).toDoubleArray(), 1e-15);
        Torch.manualSeed(4);
        assertArrayEquals(G.get("normal_").toDoubleArray(),
                Torch.empty(DType.FLOAT64, 20).normal_(1, 2).toDoubleArray(), 1e-14);
        // float32 randn of >= 16 elements: PyTorch uses vectorised float math, so agreement is to rounding
        Torch.manualSeed(2);
        assertArrayEquals(G.get("randn_f32_large").toFloatArray(), Torch.randn(37).toFloatArray(), 2e-6f);
        Torch.manualSeed(2);
        assertArrayEquals(G.get("randn_f32_small").toFloatArray(), Torch.randn(9).toFloatArray(), 1e-7f);
    }

    @Test
    void randintStreams() {
        Torch.manualSeed(3);
        assertArrayEquals(G.get("randint").toLongArray(), Torch.randint(0, 10, 50).toLongArray());
        Torch.manualSeed(3);
        assertArrayEquals(G.get("randint_wide").toLongArray(), Torch.randint(-(1L << 40), 1L << 40, 5).toLongArray());
    }

    @Test
    void separateGeneratorsAreIndependent() {
        Generator a = new Generator(9);
        Generator b = new Generator(9);
        Torch.rand(a, DType.FLOAT32, 3);
        Torch.manualSeed(123);
        assertArrayEquals(Torch.rand(b, DType.FLOAT32, 6).narrow(0, 3, 3).toFloatArray(),
                Torch.rand(a, DType.FLOAT32, 3).toFloatArray());
        assertEquals(9, a.initialSeed());
    }
}
