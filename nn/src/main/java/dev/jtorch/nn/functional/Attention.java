package dev.jtorch.nn.functional;

import dev.jtorch.NnOps;
import dev.jtorch.Tensor;

/**
 * {@code torch.nn.functional.scaled_dot_product_attention} (PyTorch 2.0+; {@link F#scaledDotProductAttention}
 * is its public face): one fused engine op ({@link NnOps#scaledDotProductAttention}, FlashAttention-2's tiles
 * with an online softmax), so no (L, S) matrix of weights exists in inference, and the backward recomputes the
 * probabilities from each row's saved log-sum-exp. The layers built on it (MultiheadAttention, the Transformer)
 * call it with their projected, head-split tensors.
 *
 * <p>Semantics are PyTorch 2.5+'s: {@code softmax(q k^T * scale + mask) v}, a bool mask's true entries taking
 * part (false is -inf), a float mask added (and differentiable), {@code is_causal} the lower-triangular mask
 * aligned top-left ({@code torch.ones(L, S).tril()}), a fully masked row giving zeros ({@code _safe_softmax};
 * PyTorch 2.0 to 2.4 gave NaN), dropout applied to the weights with the keep mask {@link F#dropout} would draw.
 */
final class Attention {
    private Attention() {
    }

    static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                                            boolean isCausal, Double scale) {
        return NnOps.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, scale);
    }
}
