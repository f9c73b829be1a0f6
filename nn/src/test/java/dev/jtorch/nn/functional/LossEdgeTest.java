package dev.jtorch.nn.functional;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Losses that index with their target refuse a target out of range as PyTorch 1.13 does (edges.safetensors). */
class LossEdgeTest {
    static final Map<String, String> PYTORCH;

    static {
        try (InputStream in = LossEdgeTest.class.getResourceAsStream("/goldens/edges.safetensors")) {
            PYTORCH = SafeTensors.open(in.readAllBytes()).metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String error(String key) {
        return PYTORCH.get(key).substring("error=".length());
    }

    @Test
    void multiMarginTargetOutOfRange() {
        // -1 used to wrap to the last class through gather
        Tensor neg = Torch.tensor(new long[] {-1, 0});
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> F.multiMarginLoss(Torch.randn(2, 3), neg, 1, 1, null, Reduction.MEAN));
        assertEquals(error("multi_margin_neg"), e.getMessage());
        var e2 = assertThrows(IndexOutOfBoundsException.class,
                () -> F.multiMarginLoss(Torch.randn(3), Torch.tensor(new long[] {3}), 1, 1, null, Reduction.MEAN));
        assertEquals(error("multi_margin_big"), e2.getMessage());
    }
}
