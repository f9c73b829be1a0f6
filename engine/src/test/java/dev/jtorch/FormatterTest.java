package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** toString() against PyTorch's repr() of the same tensors (tools/parity/gen_engine_goldens.py). */
class FormatterTest {
    @Test
    void matchesPyTorchRepr() {
        var r = SafeTensors.open(OpsGoldenTest.resource("repr.safetensors"));
        Map<String, String> expected = r.metadata();
        int n = 0;
        for (String k : r.keys()) {
            assertEquals(expected.get(k), r.get(k).toString(), k);
            n++;
        }
        assertEquals(14, n);
        assertEquals(expected.get("requires_grad"), Torch.tensor(new float[] {1, 2}).requiresGrad_(true).toString());
    }
}
