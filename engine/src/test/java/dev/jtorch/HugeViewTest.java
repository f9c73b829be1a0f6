package dev.jtorch;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Views of more than 2^31 - 1 elements (an expand of one element to 100000 x 100000), against PyTorch 1.13
 * (edges.safetensors): numel is PyTorch's int64 count, views of the view and printing work as in PyTorch, and
 * everything that would materialise the view or run a kernel over it fails with jtorch's limit named instead
 * of wrapping the count (numel() used to report 1410065408).
 */
class HugeViewTest {
    static final Map<String, String> PYTORCH = IndexEdgeTest.PYTORCH;
    static final String LIMIT = "exceeds jtorch's limit of 2147483647 elements per storage or kernel call";

    static Tensor big() {
        return Torch.zeros(1).expand(100000, 100000);
    }

    @Test
    void numelIsTheInt64Count() {
        assertEquals(Long.parseLong(PYTORCH.get("big_numel")), big().numel());
        assertEquals(Long.parseLong(PYTORCH.get("big_numel")), big().t().numel());
        assertEquals(6L * Integer.MAX_VALUE, Torch.zeros(1).expand(2, 3, Integer.MAX_VALUE).numel());
    }

    @Test
    void viewsOfTheViewWork() {
        assertEquals(PYTORCH.get("big_view_shape"), Arrays.toString(big().view(100000, 100000, 1).shape()));
        assertEquals(PYTORCH.get("big_unsqueeze_shape"), Arrays.toString(big().unsqueeze(0).shape()));
        Tensor picked = big().indexSelect(0, Torch.tensor(new long[] {0, 99999}));
        assertEquals(PYTORCH.get("big_index_select_shape"), Arrays.toString(picked.shape()));
        assertEquals(Double.parseDouble(PYTORCH.get("big_narrow_sum")), big().narrow(0, 0, 3).sum().item());
    }

    @Test
    void printsAsPyTorch() {
        assertEquals(PYTORCH.get("big_repr"), big().toString());
        assertEquals(PYTORCH.get("big_ones_repr"), Torch.ones(2, 1, 1).expand(2, 50000, 50000).toString());
        Tensor arange = Torch.arange(7).to(DType.FLOAT32).view(7, 1, 1).expand(7, 100000, 100000);
        assertEquals(PYTORCH.get("big_arange_repr"), arange.toString());
        assertEquals(PYTORCH.get("big_long_repr"), Torch.arange(9).view(1, 9).expand(300000000, 9).toString());
    }

    @Test
    void materialisingFailsWithTheLimitNamed() {
        Map<String, Supplier<Object>> cases = Map.ofEntries(
                Map.entry("contiguous", () -> big().contiguous()),
                Map.entry("clone", () -> big().clone()),
                Map.entry("sum", () -> big().sum()),
                Map.entry("sum(1)", () -> big().sum(1)),
                Map.entry("mean", () -> big().mean()),
                Map.entry("amax(1)", () -> big().amax(new int[] {1}, false)),
                Map.entry("softmax", () -> big().softmax(1)),
                Map.entry("add", () -> big().add(1)),
                Map.entry("fill_", () -> big().fill_(1)),
                Map.entry("to", () -> big().to(DType.FLOAT64)),
                Map.entry("toFloatArray", () -> big().toFloatArray()),
                Map.entry("matmul", () -> big().matmul(Torch.zeros(100000, 1))),
                Map.entry("eq", () -> big().eq(0.0)),
                Map.entry("zeros", () -> Torch.zeros(100000, 100000)));
        for (var c : cases.entrySet()) {
            var e = assertThrows(IllegalArgumentException.class, () -> c.getValue().get(), c.getKey());
            assertEquals("a tensor of 10000000000 elements (shape [" + (c.getKey().equals("matmul") ? "1, " : "")
                    + "100000, 100000]) " + LIMIT, e.getMessage(), c.getKey());
        }
    }

    @Test
    void shapesPastTheDimensionLimitAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> big().reshape(-1));
        assertEquals("the inferred dimension of shape [-1] would have size 10000000000, more than jtorch's limit of "
                + "2147483647 per dimension", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> big().flatten(0, -1));
        assertEquals("the flattened dimension of shape [100000, 100000] would have size 10000000000, more than "
                + "jtorch's limit of 2147483647 per dimension", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Torch.zeros(100000).repeat(100000));
        assertEquals("dimension 0 of repeat's result would have size 10000000000, more than jtorch's limit of "
                + "2147483647 per dimension", e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> Torch.zeros(1).expand(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(PYTORCH.get("overflow_expand").substring("error=".length()), e4.getMessage());
        var e5 = assertThrows(IllegalStateException.class, () -> big().item());
        assertEquals("a Tensor with 10000000000 elements cannot be converted to Scalar", e5.getMessage());
    }
}
