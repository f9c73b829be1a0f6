package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Op;

import java.util.Arrays;

/**
 * Scaled dot-product attention as one backend op ({@link Op#ATTENTION}) with its backward
 * ({@link Op#ATTENTION_BACKWARD}): PyTorch 2's {@code scaled_dot_product_attention} checks and semantics, the
 * dropout mask drawn as {@code F.dropout} would draw it on the attention weights, and the backward rule beside
 * the forward.
 */
final class AttentionOps {
    /** The graph node's name: PyTorch 2's flash-attention node, whose algorithm the backends run. */
    static final String NODE = "ScaledDotProductFlashAttentionBackward0";

    private AttentionOps() {
    }

    /** c10's name of a dtype, as PyTorch's messages print it ({@code float}, {@code long int}, ...). */
    private static String c10Name(DType d) {
        return switch (d) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long int";
            case BOOL -> "bool";
            case FLOAT16 -> "c10::Half";
            case BFLOAT16 -> "c10::BFloat16";
        };
    }

    private static int[] batchOf(Tensor t) {
        return Arrays.copyOf(t.shape, t.dim() - 2);
    }

    private static int[] cat(int[] batch, int... tail) {
        int[] out = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, out, batch.length, tail.length);
        return out;
    }

    /** See {@link NnOps#scaledDotProductAttention}. */
    static Tensor attention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                            boolean isCausal, Double scale) {
        if (query == null || key == null || value == null) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query, key and value are required, got "
                    + (query == null ? "no query" : key == null ? "no key" : "no value"));
        }
        if (query.dtype != key.dtype || query.dtype != value.dtype) {
            throw new IllegalArgumentException("Expected query, key, and value to have the same dtype, but got "
                    + "query.dtype: " + c10Name(query.dtype) + " key.dtype: " + c10Name(key.dtype)
                    + " and value.dtype: " + c10Name(value.dtype) + " instead.");
        }
        if (!query.device().equals(key.device()) || !query.device().equals(value.device())) {
            throw new IllegalArgumentException("Expected query, key, and value to have the same device type, but "
                    + "got query.device: " + query.device() + " key.device: " + key.device() + " and value.device: "
                    + value.device() + " instead.");
        }
        if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2) {
            throw new IllegalArgumentException("Expected query, key, and value to all be  at least 2 dimensional, "
                    + "but got query.dim: " + query.dim() + " key.dim: " + key.dim() + " and value.dim: "
                    + value.dim() + " instead.");
        }
        if (attnMask != null) {
            DType md = attnMask.dtype;
            if (md != DType.BOOL && md != DType.FLOAT32 && md != query.dtype) {
                throw new IllegalArgumentException("Expected attn_mask dtype to be bool or float or to match query "
                        + "dtype, but got attn_mask.dtype: " + c10Name(md) + " and  query.dtype: "
                        + c10Name(query.dtype) + " instead.");
            }
            ElementwiseOps.checkDevices(query, attnMask);
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                    + "when is_causal=True");
        }
        if (!query.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("scaled_dot_product_attention: expected query, key and value of a "
                    + "floating point dtype, got " + query.dtype);
        }
        if (!(dropoutP >= 0 && dropoutP <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropoutP);
        }
        if (NnSupport.half(query.dtype)) {
            // stored half types compute in float32 and round back, as the other ops do
            Tensor m = attnMask == null || attnMask.dtype == DType.BOOL ? attnMask : attnMask.to(DType.FLOAT32);
            return attention(query.to(DType.FLOAT32), key.to(DType.FLOAT32), value.to(DType.FLOAT32), m, dropoutP,
                    isCausal, scale).to(query.dtype);
        }
        int l = query.size(-2);
        int e = query.size(-1);
        int s = key.size(-2);
        int ev = value.size(-1);
        if (key.size(-1) != e) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query and key must have the same "
                    + "embedding dimension (their last), but got query " + Shapes.str(query.shape) + " and key "
                    + Shapes.str(key.shape));
        }
        if (value.size(-2) != s) {
            throw new IllegalArgumentException("scaled_dot_product_attention: key and value must have the same "
                    + "sequence length (their dim -2), but got key " + Shapes.str(key.shape) + " and value "
                    + Shapes.str(value.shape));
        }
        int[] weightsBatch;
        int[] batch;
        try {
            weightsBatch = Shapes.broadcast(batchOf(query), batchOf(key));
            batch = Shapes.broadcast(weightsBatch, batchOf(value));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("scaled_dot_product_attention: the batch dims of query "
                    + Shapes.str(query.shape) + ", key " + Shapes.str(key.shape) + " and value "
                    + Shapes.str(value.shape) + " do not broadcast", ex);
        }
        int[] weights = cat(batch, l, s);
        if (attnMask != null) {
            checkMask(attnMask, weights);
            if (attnMask.dim() > 2) {
                weightsBatch = Shapes.broadcast(weightsBatch, batchOf(attnMask));
            }
        }
        long items = Shapes.numelLong(batch);
        if (items > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("scaled_dot_product_attention: " + items + " batch items exceed "
                    + "jtorch's limit of " + Integer.MAX_VALUE);
        }
        double sc = e == 0 ? 0 : scale != null ? scale : 1 / Math.sqrt(e);
        AttentionShape shape = new AttentionShape((int) items, l, s, e, ev, sc, isCausal);
        DType dt = query.dtype;
        Tensor drop = null;
        if (dropoutP > 0) {
            // the keep mask F.dropout(softmax(...), p) draws for the attention weights, from the same generator
            try (var _ = Autograd.noGrad()) {
                drop = query.newEmptyShared(dt, cat(weightsBatch, l, s));
                if (dropoutP < 1) {
                    drop.bernoulli_(1 - dropoutP).div_(1 - dropoutP);
                }
            }
        }
        boolean maskGrad = attnMask != null && attnMask.dtype != DType.BOOL && attnMask.requiresGrad();
        Tensor[] inputs = {query, key, value, maskGrad ? attnMask : null};
        boolean record = Autograd.needsRecording(inputs);
        Tensor out = query.newEmptyShared(dt, cat(batch, l, ev));
        Tensor lse = record ? query.newEmptyShared(dt, cat(batch, l)) : null;
        Tensor[] in = views(batch, l, s, e, ev, query, key, value, attnMask, drop);
        Dispatch.attention(Op.ATTENTION, shape, new Tensor[] {in[0], in[1], in[2], in[3], in[4]},
                new Tensor[] {out, lse});
        if (!record) {
            return out;
        }
        Tensor dropSaved = drop;
        return FnNode.recordChecked(NODE, out, inputs, (g, sv) -> backward(shape, batch, sv, dropSaved, maskGrad, g),
                query, key, value, attnMask, out, lse);
    }

    /** q, k, v, mask and drop as views of the common batch shape (stride 0 where broadcast), outside autograd. */
    private static Tensor[] views(int[] batch, int l, int s, int e, int ev, Tensor q, Tensor k, Tensor v, Tensor mask,
                                  Tensor drop) {
        return new Tensor[] {
            ElementwiseOps.broadcastView(q, cat(batch, l, e)),
            ElementwiseOps.broadcastView(k, cat(batch, s, e)),
            ElementwiseOps.broadcastView(v, cat(batch, s, ev)),
            mask == null ? null : ElementwiseOps.broadcastView(mask, cat(batch, l, s)),
            drop == null ? null : ElementwiseOps.broadcastView(drop, cat(batch, l, s))};
    }

    /** The mask must broadcast to the attention weights' shape (N..., L, S) without enlarging it. */
    private static void checkMask(Tensor mask, int[] weights) {
        boolean ok = mask.dim() <= weights.length;
        for (int i = 0; ok && i < mask.dim(); i++) {
            int m = mask.shape[mask.dim() - 1 - i];
            ok = m == 1 || m == weights[weights.length - 1 - i];
        }
        if (!ok) {
            throw new IllegalArgumentException("scaled_dot_product_attention: attn_mask of shape "
                    + Shapes.str(mask.shape) + " is not broadcastable to the attention weights' shape "
                    + Shapes.str(weights) + " (N..., L, S)");
        }
    }

    /** Gradients of {q, k, v, mask} from saved {q, k, v, mask, out, lse} and the output's gradient. */
    private static Tensor[] backward(AttentionShape shape, int[] batch, Tensor[] sv, Tensor drop, boolean maskGrad,
                                     Tensor g) {
        Tensor q = sv[0];
        Tensor k = sv[1];
        Tensor v = sv[2];
        Tensor mask = sv[3];
        int l = shape.queries();
        int s = shape.keys();
        DType dt = q.dtype;
        Tensor dq = q.newEmptyShared(dt, cat(batch, l, shape.headDim()));
        Tensor dk = q.newEmptyShared(dt, cat(batch, s, shape.headDim()));
        Tensor dv = q.newEmptyShared(dt, cat(batch, s, shape.valueDim()));
        Tensor ds = maskGrad ? q.newEmptyShared(dt, cat(batch, l, s)) : null;
        Tensor gout = g.dtype == dt ? g : g.to(dt);
        Tensor[] in = views(batch, l, s, shape.headDim(), shape.valueDim(), q, k, v, mask, drop);
        Dispatch.attention(Op.ATTENTION_BACKWARD, shape, new Tensor[] {in[0], in[1], in[2], in[3], in[4], sv[4],
            sv[5], gout}, new Tensor[] {dq, dk, dv, ds});
        return new Tensor[] {
            ElementwiseOps.reduceGrad(dq, q.shape, q.dtype),
            ElementwiseOps.reduceGrad(dk, k.shape, k.dtype),
            ElementwiseOps.reduceGrad(dv, v.shape, v.dtype),
            ds == null ? null : ElementwiseOps.reduceGrad(ds, mask.shape, mask.dtype)};
    }
}
