package dev.jtorch;

import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.testing.FakeDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bad arguments of the attention op fail before anything runs, with PyTorch 2's messages where PyTorch checks
 * the same thing ({@code validate_sdpa_input}, the math path's is_causal check, at::dropout's range), and
 * otherwise with what was expected and what came.
 */
class AttentionErrorsTest {
    static final Tensor Q = Torch.zeros(DType.FLOAT64, 2, 3, 4);
    static final Tensor K = Torch.zeros(DType.FLOAT64, 2, 5, 4);
    static final Tensor V = Torch.zeros(DType.FLOAT64, 2, 5, 6);

    private static void fails(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor mask, double p, boolean causal) {
        return NnOps.scaledDotProductAttention(q, k, v, mask, p, causal, null);
    }

    @Test
    void pyTorchsMessages() throws Exception {
        fails("Expected query, key, and value to have the same dtype, but got query.dtype: double key.dtype: float "
                + "and value.dtype: double instead.", () -> sdpa(Q, K.float32(), V, null, 0, false));
        fails("Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: 1 key.dim: 3 and "
                + "value.dim: 3 instead.", () -> sdpa(Torch.zeros(DType.FLOAT64, 4), K, V, null, 0, false));
        fails("Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: long "
                + "int and  query.dtype: double instead.",
                () -> sdpa(Q, K, V, Torch.zeros(DType.INT64, 3, 5), 0, false));
        fails("Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: double "
                + "and  query.dtype: float instead.",
                () -> sdpa(Q.float32(), K.float32(), V.float32(), Torch.zeros(DType.FLOAT64, 3, 5), 0, false));
        fails("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
                () -> sdpa(Q, K, V, Torch.ones(DType.BOOL, 3, 5), 0, true));
        fails("dropout probability has to be between 0 and 1, but got 1.5", () -> sdpa(Q, K, V, null, 1.5, false));
        fails("dropout probability has to be between 0 and 1, but got NaN",
                () -> sdpa(Q, K, V, null, Double.NaN, false));
        try (var _ = FakeDevice.install()) {
            fails("Expected query, key, and value to have the same device type, but got query.device: cpu key.device: "
                    + "opencl:0 and value.device: cpu instead.", () -> sdpa(Q, K.to(FakeDevice.DEVICE), V, null, 0,
                    false));
        }
    }

    @Test
    void shapes() {
        fails("scaled_dot_product_attention: query and key must have the same embedding dimension (their last), but "
                + "got query [2, 3, 4] and key [2, 5, 3]", () -> sdpa(Q, Torch.zeros(DType.FLOAT64, 2, 5, 3), V, null,
                0, false));
        fails("scaled_dot_product_attention: key and value must have the same sequence length (their dim -2), but got "
                + "key [2, 5, 4] and value [2, 4, 6]", () -> sdpa(Q, K, Torch.zeros(DType.FLOAT64, 2, 4, 6), null, 0,
                false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sdpa(Q, Torch.zeros(DType.FLOAT64, 3, 5, 4), V, null, 0, false));
        assertEquals("scaled_dot_product_attention: the batch dims of query [2, 3, 4], key [3, 5, 4] and value "
                + "[2, 5, 6] do not broadcast", e.getMessage());
        fails("scaled_dot_product_attention: attn_mask of shape [3, 4] is not broadcastable to the attention weights' "
                + "shape [2, 3, 5] (N..., L, S)", () -> sdpa(Q, K, V, Torch.zeros(DType.FLOAT64, 3, 4), 0, false));
        fails("scaled_dot_product_attention: attn_mask of shape [3, 2, 3, 5] is not broadcastable to the attention "
                + "weights' shape [2, 3, 5] (N..., L, S)", () -> sdpa(Q, K, V, Torch.zeros(DType.BOOL, 3, 2, 3, 5), 0,
                false));
        fails("scaled_dot_product_attention: expected query, key and value of a floating point dtype, got torch.int64",
                () -> sdpa(Q.int64(), K.int64(), V.int64(), null, 0, false));
        fails("scaled_dot_product_attention: query, key and value are required, got no key",
                () -> sdpa(Q, null, V, null, 0, false));
    }

    /** The backend checks its views itself (it is public API): wrong roles, shapes and dtypes. */
    @Test
    void backendChecksItsViews() {
        AttentionShape sh = new AttentionShape(2, 3, 5, 4, 6, 0.5, false);
        View q = Q.kernelView();
        View k = K.kernelView();
        View v = V.kernelView();
        View o = Torch.zeros(DType.FLOAT64, 2, 3, 6).kernelView();
        CpuBackend cpu = CpuBackend.INSTANCE;
        fails("attention: expected the key of shape [2, 5, 4], got " + v, () -> cpu.attention(Op.ATTENTION, sh,
                new View[] {q, v, v, null, null}, new View[] {o, null}));
        fails("attention: expected the output of dtype torch.float64, got torch.float32", () -> cpu.attention(
                Op.ATTENTION, sh, new View[] {q, k, v, null, null},
                new View[] {Torch.zeros(DType.FLOAT32, 2, 3, 6).kernelView(), null}));
        fails("ATTENTION_BACKWARD takes 8 inputs and 4 outputs", () -> cpu.attention(Op.ATTENTION_BACKWARD, sh,
                new View[] {q, k, v, null, null}, new View[] {o, null}));
        fails("CONV is not an attention op", () -> cpu.attention(Op.CONV, sh, new View[0], new View[0]));
        fails("invalid attention sizes: batch 1, queries -1, keys 2, head dim 3, value dim 4",
                () -> new AttentionShape(1, -1, 2, 3, 4, 1, false));
    }
}
