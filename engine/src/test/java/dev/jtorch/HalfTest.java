package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** float16 and bfloat16: stored as bits, computed in float32, rounded back; bits equal to PyTorch's. */
class HalfTest {
    @Test
    void arithmeticMatchesPyTorchBitForBit() {
        Map<String, Tensor> h = SafeTensors.load(OpsGoldenTest.resource("half.safetensors"));
        for (String p : new String[] {"f16", "bf16"}) {
            Tensor a = h.get(p + ".a");
            Tensor b = h.get(p + ".b");
            Tensor m = h.get(p + ".m");
            DType dt = a.dtype();
            assertEquals(p.equals("f16") ? DType.FLOAT16 : DType.BFLOAT16, dt);
            assertBits(p + ".add", h.get(p + ".add"), a.add(b));
            assertBits(p + ".mul", h.get(p + ".mul"), a.mul(b));
            assertBits(p + ".div", h.get(p + ".div"), a.div(b));
            assertBits(p + ".exp", h.get(p + ".exp"), a.exp());
            assertBits(p + ".tanh", h.get(p + ".tanh"), a.tanh());
            assertBits(p + ".mm", h.get(p + ".mm"), a.mm(m));
            assertBits(p + ".sum", h.get(p + ".sum"), a.float32().sum(1).to(dt));
            assertArrayEquals(h.get(p + ".to_f32").toFloatArray(), a.float32().toFloatArray());
            assertBits(p + ".from_f32", h.get(p + ".from_f32"), h.get(p + ".from_f32_src").to(dt));
        }
    }

    static void assertBits(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        short[] e = expected.toHalfBits();
        short[] a = actual.toHalfBits();
        for (int i = 0; i < e.length; i++) {
            boolean nanE = expected.dtype() == DType.FLOAT16 ? Float.isNaN(Float.float16ToFloat(e[i]))
                    : Float.isNaN(Float.intBitsToFloat(e[i] << 16));
            if (!nanE) {
                assertEquals(e[i], a[i], what + " element " + i);
            }
        }
    }
}
