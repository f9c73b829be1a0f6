package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;

import java.util.Arrays;

/**
 * The forward of {@link MultiheadAttention}, step by step as PyTorch's {@code MultiheadAttention.forward} and
 * {@code F.multi_head_attention_forward}: shape checks, in-projection, masks, bias_k/bias_v and zero attention,
 * the attention itself ({@link #attention}), the output projection and the weights. The masks follow current
 * PyTorch ({@code _canonical_mask}: bool becomes 0/-inf in the query's dtype, masks are added), the rest PyTorch
 * 1.13, whose error messages these are.
 */
final class MultiheadAttentionForward {
    private MultiheadAttentionForward() {
    }

    static MultiheadAttention.Output forward(MultiheadAttention m, Tensor query, Tensor key, Tensor value,
                                             Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                                             boolean averageAttnWeights, boolean isCausal) {
        if (query == null || key == null || value == null) {
            throw new IllegalArgumentException("MultiheadAttention: query, key and value must not be null, got "
                    + (query == null ? "null" : "a tensor") + ", " + (key == null ? "null" : "a tensor") + " and "
                    + (value == null ? "null" : "a tensor"));
        }
        checkMaskDtype(keyPaddingMask, "key_padding_mask");
        checkMaskDtype(attnMask, "attn_mask");
        int h = m.numHeads;
        boolean batched = shapeCheck(query, key, value, keyPaddingMask, attnMask, h);
        // PyTorch's in-projection takes one GEMM for self-attention and two when key is value
        boolean keyIsValue = key == value;
        boolean queryIsKey = keyIsValue && query == key;
        Tensor q = query;
        Tensor k = key;
        Tensor v = value;
        Tensor kpm = keyPaddingMask;
        if (m.batchFirst && batched) {
            q = q.transpose(1, 0);
            k = k.transpose(1, 0);
            v = v.transpose(1, 0);
        }
        if (!batched) {
            q = q.unsqueeze(1);
            k = k.unsqueeze(1);
            v = v.unsqueeze(1);
            kpm = kpm == null ? null : kpm.unsqueeze(0);
        }
        int tgtLen = q.size(0);
        int bsz = q.size(1);
        int embedDim = q.size(2);
        int srcLen = k.size(0);
        kpm = canonicalMask(kpm, q);
        // isCausal: the hint that attnMask is the causal mask; without one, the causal mask itself
        Tensor mask = isCausal && attnMask == null ? causalMask(tgtLen, srcLen, q) : canonicalMask(attnMask, q);
        if (embedDim != m.embedDim) {
            throw new IllegalArgumentException("was expecting embedding dimension of " + m.embedDim + ", but got "
                    + embedDim);
        }
        if (!m.qkvSameEmbedDim) {
            if (k.size(0) != v.size(0) || k.size(1) != v.size(1)) {
                throw new IllegalArgumentException("key's sequence and batch dims " + size(k.size(0), k.size(1))
                        + " do not match value's " + size(v.size(0), v.size(1)));
            }
        } else if (!Arrays.equals(k.shape(), v.shape())) {
            throw new IllegalArgumentException("key shape " + size(k.shape()) + " does not match value shape "
                    + size(v.shape()));
        }

        // in-projection
        Tensor[] qkv = m.qkvSameEmbedDim ? inProjectionPacked(q, k, v, m.attr("in_proj_weight"), m.attr("in_proj_bias"), keyIsValue,
                queryIsKey) : inProjection(q, k, v, m);
        q = qkv[0];
        k = qkv[1];
        v = qkv[2];

        // attn_mask to 3-D
        if (mask != null) {
            if (mask.dim() == 2) {
                if (mask.size(0) != tgtLen || mask.size(1) != srcLen) {
                    throw new IllegalArgumentException("The shape of the 2D attn_mask is " + size(mask.shape())
                            + ", but should be " + Repr.tuple(tgtLen, srcLen) + ".");
                }
                mask = mask.unsqueeze(0);
            } else {
                int[] expected = {bsz * h, tgtLen, srcLen};
                if (!Arrays.equals(mask.shape(), expected)) {
                    throw new IllegalArgumentException("The shape of the 3D attn_mask is " + size(mask.shape())
                            + ", but should be " + Repr.tuple(expected) + ".");
                }
            }
        }

        // bias_k and bias_v along the sequence (dim 0)
        if (m.attr("bias_k") != null) {
            k = Torch.cat(new Tensor[] {k, m.attr("bias_k").repeat(1, bsz, 1)}, 0);
            v = Torch.cat(new Tensor[] {v, m.attr("bias_v").repeat(1, bsz, 1)}, 0);
            mask = mask == null ? null : F.pad(mask, 0, 1);
            kpm = kpm == null ? null : F.pad(kpm, 0, 1);
        }

        // heads: (L, N, E) -> (N * H, L, headDim)
        int hd = m.headDim;
        q = q.contiguous().view(tgtLen, bsz * h, hd).transpose(0, 1);
        k = k.contiguous().view(k.size(0), bsz * h, hd).transpose(0, 1);
        v = v.contiguous().view(v.size(0), bsz * h, hd).transpose(0, 1);

        if (m.addZeroAttn) {
            k = Torch.cat(new Tensor[] {k, k.newZeros(k.dtype(), bsz * h, 1, hd)}, 1);
            v = Torch.cat(new Tensor[] {v, v.newZeros(v.dtype(), bsz * h, 1, hd)}, 1);
            mask = mask == null ? null : F.pad(mask, 0, 1);
            kpm = kpm == null ? null : F.pad(kpm, 0, 1);
        }
        srcLen = k.size(1);

        // key padding merged into the attention mask, (N * H, 1, S)
        if (kpm != null) {
            if (kpm.size(0) != bsz || kpm.size(1) != srcLen) {
                throw new IllegalArgumentException("expecting key_padding_mask shape of " + Repr.tuple(bsz, srcLen)
                        + ", but got " + size(kpm.shape()));
            }
            kpm = kpm.view(bsz, 1, 1, srcLen).expand(-1, h, -1, -1).reshape(bsz * h, 1, srcLen);
            mask = mask == null ? kpm : mask.add(kpm);
        }
        double p = m.isTraining() ? m.dropout : 0.0;
        // the fused op may take isCausal instead of the mask only where the mask is exactly the causal one
        boolean causalOnly = isCausal && keyPaddingMask == null && m.attr("bias_k") == null && !m.addZeroAttn;
        Tensor[] ow = attention(q, k, v, mask, p, needWeights, causalOnly);

        Tensor out = ow[0].transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
        out = F.linear(out, m.outProj.attr("weight"), m.outProj.attr("bias")).view(tgtLen, bsz, embedDim);
        Tensor weights = null;
        if (needWeights) {
            weights = ow[1].reshape(bsz, h, tgtLen, srcLen);
            if (averageAttnWeights) {
                weights = weights.mean(1, false);
            }
            if (!batched) {
                weights = weights.squeeze(0);
            }
        }
        if (!batched) {
            out = out.squeeze(1);
        } else if (m.batchFirst) {
            out = out.transpose(1, 0);
        }
        return new MultiheadAttention.Output(out, weights);
    }

    /**
     * softmax(q k^T / sqrt(headDim) + mask), dropout in training, times v: q (B, L, d), k and v (B, S, d), mask
     * null or broadcasting to (B, L, S) (B = N * numHeads). Returns {output (B, L, d), weights (B, L, S)}.
     */
    private static Tensor[] attention(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP,
                                      boolean needWeights, boolean causalOnly) {
        if (!needWeights) {
            // the fused engine op: no (B, L, S) weights are materialised; the mask becomes isCausal where it is
            // exactly the causal one; dropout draws as F.dropout on the weights would, so the results equal the
            // formula below's (but a fully masked row gives zeros, as PyTorch's SDPA path, instead of NaN)
            Tensor o = F.scaledDotProductAttention(q, k, v, causalOnly ? null : mask, dropoutP, causalOnly);
            return new Tensor[] {o, null};
        }
        Tensor scores = q.div(Math.sqrt(q.size(2))).bmm(k.transpose(1, 2));
        if (mask != null) {
            scores = scores.add(mask);
        }
        Tensor w = scores.softmax(-1);
        if (dropoutP > 0) {
            w = F.dropout(w, dropoutP, true, false);
        }
        return new Tensor[] {w.bmm(v), w};
    }

    /** {@code _in_projection_packed}: in_proj_weight split into the q, k and v rows. */
    private static Tensor[] inProjectionPacked(Tensor q, Tensor k, Tensor v, Tensor w, Tensor b, boolean keyIsValue,
                                               boolean queryIsKey) {
        int e = q.size(-1);
        if (queryIsKey) {
            return F.linear(q, w, b).chunk(3, -1);
        }
        if (keyIsValue) {
            Tensor[] ws = w.splitWithSizes(new int[] {e, 2 * e}, 0);
            Tensor[] bs = b == null ? new Tensor[2] : b.splitWithSizes(new int[] {e, 2 * e}, 0);
            Tensor[] kv = F.linear(k, ws[1], bs[1]).chunk(2, -1);
            return new Tensor[] {F.linear(q, ws[0], bs[0]), kv[0], kv[1]};
        }
        Tensor[] ws = w.chunk(3, 0);
        Tensor[] bs = b == null ? new Tensor[3] : b.chunk(3, 0);
        return new Tensor[] {F.linear(q, ws[0], bs[0]), F.linear(k, ws[1], bs[1]), F.linear(v, ws[2], bs[2])};
    }

    /** {@code _in_projection}: the separate q, k and v weights, with PyTorch's shape checks. */
    private static Tensor[] inProjection(Tensor q, Tensor k, Tensor v, MultiheadAttention m) {
        int eq = q.size(-1);
        int ek = k.size(-1);
        int ev = v.size(-1);
        checkWeight("query", m.attr("q_proj_weight"), eq, eq);
        checkWeight("key", m.attr("k_proj_weight"), eq, ek);
        checkWeight("value", m.attr("v_proj_weight"), eq, ev);
        Tensor[] bs = m.attr("in_proj_bias") == null ? new Tensor[3] : m.attr("in_proj_bias").chunk(3, 0);
        return new Tensor[] {F.linear(q, m.attr("q_proj_weight"), bs[0]), F.linear(k, m.attr("k_proj_weight"), bs[1]),
            F.linear(v, m.attr("v_proj_weight"), bs[2])};
    }

    private static void checkWeight(String what, Tensor w, int rows, int cols) {
        if (w.dim() != 2 || w.size(0) != rows || w.size(1) != cols) {
            throw new IllegalArgumentException("expecting " + what + " weights shape of " + Repr.tuple(rows, cols)
                    + ", but got " + size(w.shape()));
        }
    }

    /** {@code _mha_shape_check}: whether the input is batched, with PyTorch's messages. */
    private static boolean shapeCheck(Tensor query, Tensor key, Tensor value, Tensor kpm, Tensor attnMask,
                                      int numHeads) {
        if (query.dim() == 3) {
            if (key.dim() != 3 || value.dim() != 3) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                        + " but found " + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            }
            if (kpm != null && kpm.dim() != 2) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `key_padding_mask` to be "
                        + "`None` or 2-D but found " + kpm.dim() + "-D tensor instead");
            }
            if (attnMask != null && attnMask.dim() != 2 && attnMask.dim() != 3) {
                throw new IllegalArgumentException("For batched (3-D) `query`, expected `attn_mask` to be `None`, "
                        + "2-D or 3-D but found " + attnMask.dim() + "-D tensor instead");
            }
            return true;
        }
        if (query.dim() == 2) {
            if (key.dim() != 2 || value.dim() != 2) {
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key` and `value` to be "
                        + "2-D but found " + key.dim() + "-D and " + value.dim() + "-D tensors respectively");
            }
            if (kpm != null && kpm.dim() != 1) {
                throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `key_padding_mask` to be "
                        + "`None` or 1-D but found " + kpm.dim() + "-D tensor instead");
            }
            if (attnMask != null) {
                if (attnMask.dim() != 2 && attnMask.dim() != 3) {
                    throw new IllegalArgumentException("For unbatched (2-D) `query`, expected `attn_mask` to be "
                            + "`None`, 2-D or 3-D but found " + attnMask.dim() + "-D tensor instead");
                }
                int[] expected = {numHeads, query.size(0), key.size(0)};
                if (attnMask.dim() == 3 && !Arrays.equals(attnMask.shape(), expected)) {
                    throw new IllegalArgumentException("Expected `attn_mask` shape to be " + Repr.tuple(expected)
                            + " but got " + size(attnMask.shape()));
                }
            }
            return false;
        }
        throw new IllegalArgumentException("query should be unbatched 2D or batched 3D tensor but received "
                + query.dim() + "-D query tensor");
    }

    private static void checkMaskDtype(Tensor mask, String name) {
        if (mask != null && mask.dtype() != DType.BOOL && !mask.isFloatingPoint()) {
            throw new IllegalArgumentException("only bool and floating types of " + name + " are supported, got "
                    + mask.dtype());
        }
    }

    /** {@code _canonical_mask}: a bool mask as 0 / -inf, a float mask as given, both in the query's dtype. */
    private static Tensor canonicalMask(Tensor mask, Tensor query) {
        if (mask == null) {
            return null;
        }
        if (mask.dtype() == DType.BOOL) {
            return mask.newZeros(query.dtype(), mask.shape()).maskedFill(mask, Double.NEGATIVE_INFINITY);
        }
        return mask.dtype() == query.dtype() ? mask : mask.to(query.dtype());
    }

    /** The causal mask of scaled_dot_product_attention's is_causal: -inf where key j comes after query i. */
    private static Tensor causalMask(int tgtLen, int srcLen, Tensor query) {
        boolean[] later = new boolean[tgtLen * srcLen];
        for (int i = 0; i < tgtLen; i++) {
            for (int j = i + 1; j < srcLen; j++) {
                later[i * srcLen + j] = true;
            }
        }
        Tensor m = Torch.tensor(later, tgtLen, srcLen).to(query.device());
        return query.newZeros(query.dtype(), tgtLen, srcLen).maskedFill(m, Double.NEGATIVE_INFINITY);
    }

    /** Python's {@code torch.Size([...])}, as PyTorch's messages print shapes. */
    static String size(int... shape) {
        return "torch.Size(" + Arrays.toString(shape) + ")";
    }
}
