package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Empty tensors and empty views as PyTorch 1.13 prints the result (edges.safetensors): sums of nothing are 0,
 * an empty view that starts past the end of its storage (row 1 of a (2, 0, 3) tensor) is copied, filled and
 * computed on without touching the storage, and max/amax/argmax over a non-empty dim of an empty tensor give
 * an empty result.
 */
class EmptyTensorTest {
    static final Map<String, String> PYTORCH = IndexEdgeTest.PYTORCH;

    static Tensor row1(DType dt) {
        return Torch.zeros(dt, 2, 0, 3).select(0, 1);
    }

    /** Mirrors tools/parity/gen_edge_goldens.py's EMPTY_CASES. */
    static final Map<String, Supplier<Tensor>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("empty_sum", () -> Torch.zeros(0, 3).sum());
        CASES.put("empty_sum0", () -> Torch.zeros(0, 3).sum(0));
        CASES.put("empty_sum_long_view", () -> row1(DType.INT64).sum());
        CASES.put("empty_mean", () -> Torch.zeros(0, 3).mean());
        CASES.put("empty_stack", () -> Torch.stack(new Tensor[] {Torch.zeros(0, 3), Torch.zeros(0, 3)}, 0));
        CASES.put("empty_view_fill", () -> row1(DType.FLOAT32).fill_(1));
        CASES.put("empty_view_exp", () -> row1(DType.FLOAT32).exp());
        CASES.put("empty_view_clone", () -> row1(DType.FLOAT32).clone());
        CASES.put("empty_view_add", () -> row1(DType.FLOAT32).add(row1(DType.FLOAT32)));
        CASES.put("empty_max1", () -> Torch.zeros(0, 3).max(1, false)[1]);
        CASES.put("empty_amax1", () -> Torch.zeros(0, 3).amax(new int[] {1}, false));
        CASES.put("empty_argmax1", () -> Torch.zeros(0, 3).argmax(1, false));
        CASES.put("empty_amax0", () -> Torch.zeros(0, 3).amax(new int[] {0}, false));
    }

    @TestFactory
    List<DynamicTest> emptyTensorsAnswerAsPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : CASES.entrySet()) {
            String expected = PYTORCH.get(c.getKey());
            tests.add(DynamicTest.dynamicTest(c.getKey(), () -> {
                if (expected.startsWith("error=")) {
                    var e = assertThrows(IndexOutOfBoundsException.class, () -> c.getValue().get());
                    assertEquals(expected.substring("error=".length()), e.getMessage());
                } else {
                    assertEquals(expected, c.getValue().get().toString());
                }
            }));
        }
        assertEquals(PYTORCH.keySet().stream().filter(k -> k.startsWith("empty_")).count(), tests.size());
        assertEquals(0, row1(DType.FLOAT32).toFloatArray().length);
        return tests;
    }
}
