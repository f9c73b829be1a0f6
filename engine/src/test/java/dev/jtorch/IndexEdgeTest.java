package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out-of-range indices of index_select, gather, scatter, scatter_add, index_add and embedding, as PyTorch 1.13
 * answers them (edges.safetensors, written by tools/parity/gen_edge_goldens.py): PyTorch refuses -1 there
 * (it only wraps negative indices in x[-1], index_fill, take and put), and so does jtorch, with PyTorch's
 * message, as an IndexOutOfBoundsException, before anything is written.
 */
class IndexEdgeTest {
    static final Map<String, String> PYTORCH = SafeTensors.open(OpsGoldenTest.resource("edges.safetensors"))
            .metadata();

    static Tensor x() {
        return Torch.arange(6).to(DType.FLOAT32).view(3, 2);
    }

    static Tensor longs(long... v) {
        return Torch.tensor(v, v.length);
    }

    /** Mirrors tools/parity/gen_edge_goldens.py's INDEX_CASES, in its order. */
    static final Map<String, Supplier<Tensor>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("index_select_d0_neg", () -> x().indexSelect(0, longs(-1)));
        CASES.put("index_select_d0_big", () -> x().indexSelect(0, longs(0, 3)));
        CASES.put("index_select_d1_neg", () -> x().indexSelect(1, longs(-1)));
        CASES.put("index_select_d1_big", () -> x().indexSelect(1, longs(2)));
        CASES.put("index_select_3d_d2_neg", () -> Torch.zeros(2, 3, 4).indexSelect(2, longs(-1)));
        CASES.put("index_select_3d_d1_neg", () -> Torch.zeros(2, 3, 4).indexSelect(1, longs(-1)));
        CASES.put("index_select_1d_neg", () -> Torch.arange(3).to(DType.FLOAT32).indexSelect(0, longs(-1)));
        CASES.put("index_select_0d_neg", () -> Torch.scalarTensor(5).indexSelect(0, longs(-1)));
        CASES.put("index_select_long_neg", () -> Torch.arange(6).view(3, 2).indexSelect(0, longs(-1)));
        CASES.put("index_select_empty_self_d0", () -> Torch.zeros(0, 3).indexSelect(0, longs(-1)));
        CASES.put("index_select_empty_self_d1", () -> Torch.zeros(3, 0).indexSelect(0, longs(-1)));
        CASES.put("index_select_empty_1d", () -> Torch.zeros(0).indexSelect(0, longs(-1)));
        CASES.put("gather_neg", () -> x().gather(0, longs(-1, 0).view(1, 2)));
        CASES.put("gather_big", () -> x().gather(1, longs(2).view(1, 1)));
        CASES.put("gather_0d_neg", () -> Torch.scalarTensor(1).gather(0, longs(-1).view()));
        CASES.put("scatter_neg", () -> x().scatter(0, longs(-1, 0).view(1, 2), Torch.ones(1, 2)));
        CASES.put("scatter_value_neg", () -> x().scatter(1, longs(-1).view(1, 1), 1.0));
        CASES.put("scatter__neg", () -> x().scatter_(0, longs(-1, 0).view(1, 2), Torch.ones(1, 2)));
        CASES.put("scatter_add_neg", () -> x().scatterAdd(0, longs(-1, 0).view(1, 2), Torch.ones(1, 2)));
        CASES.put("scatter_add__neg", () -> x().scatterAdd_(0, longs(0, -1).view(1, 2), Torch.ones(1, 2)));
        CASES.put("index_add_neg", () -> x().indexAdd(0, longs(-1), Torch.ones(1, 2)));
        CASES.put("index_add_d1_big", () -> x().indexAdd(1, longs(2), Torch.ones(3, 1)));
        CASES.put("index_add_0d_neg", () -> Torch.scalarTensor(1).indexAdd(0, longs(-1), Torch.ones(1)));
        CASES.put("index_add_empty_self", () -> Torch.zeros(0, 2).indexAdd(0, longs(-1), Torch.ones(1, 2)));
        CASES.put("embedding_neg", () -> NnOps.embedding(x(), longs(-1), -1, false));
    }

    @TestFactory
    List<DynamicTest> outOfRangeIndicesFailAsPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : CASES.entrySet()) {
            String expected = PYTORCH.get(c.getKey());
            tests.add(DynamicTest.dynamicTest(c.getKey(), () -> {
                assertTrue(expected.startsWith("error="), expected);
                var e = assertThrows(IndexOutOfBoundsException.class, () -> c.getValue().get());
                assertEquals(expected.substring("error=".length()), e.getMessage());
            }));
        }
        long goldens = PYTORCH.keySet().stream().filter(k -> !k.startsWith("big_") && !k.startsWith("overflow_")
                && !k.startsWith("empty_")).count();
        assertEquals(goldens, tests.size(), "every index case of the generator is mirrored here");
        return tests;
    }

    @Test
    void inPlaceVariantsWriteNothingBeforeFailing() {
        Tensor t = x();
        float[] before = t.toFloatArray();
        // the bad index comes after a good one: a partial write would change row 0
        assertThrows(IndexOutOfBoundsException.class, () -> t.scatter_(0, longs(0, -1).view(1, 2), Torch.ones(1, 2)));
        assertThrows(IndexOutOfBoundsException.class,
                () -> t.scatterAdd_(0, longs(0, 3).view(1, 2), Torch.ones(1, 2)));
        assertArrayEquals(before, t.toFloatArray());
        assertEquals(0, t.storage().version());
    }

    @Test
    void validIndicesStillWork() {
        assertArrayEquals(new float[] {4, 5, 0, 1}, x().indexSelect(0, longs(2, 0)).toFloatArray());
        assertArrayEquals(new float[] {1, 3, 5}, x().indexSelect(1, longs(1)).toFloatArray());
        assertArrayEquals(new float[] {4, 1}, x().gather(0, longs(2, 0).view(1, 2)).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 5, 6}, x().indexAdd(0, longs(2), Torch.ones(1, 2)).toFloatArray());
        // a 0-d self is indexed as a vector of one element
        assertEquals(3, Torch.scalarTensor(1).indexAdd(0, longs(0), Torch.tensor(new float[] {2}, 1)).item());
        assertEquals(0, Torch.scalarTensor(1).indexAdd(0, longs(0), Torch.ones(1)).dim());
        assertEquals(1, Torch.scalarTensor(1).gather(0, longs(0).view()).item());
        assertEquals(3, Torch.scalarTensor(1).scatter(0, longs(0).view(), Torch.scalarTensor(3)).item());
        assertEquals(Arrays.toString(new int[] {0, 3}), Arrays.toString(Torch.zeros(0, 3).indexSelect(0,
                Torch.tensor(new long[0], 0)).shape()));
    }
}
