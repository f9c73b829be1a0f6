package dev.jtorch.backend;

import dev.jtorch.DType;

import java.util.Arrays;

/**
 * The sizes and constants of one scaled dot-product attention call ({@link Op#ATTENTION},
 * {@link Op#ATTENTION_BACKWARD}): {@code batch} independent items (the product of the batch dims), each with
 * {@code queries} rows of query (L, E), {@code keys} rows of key (S, E) and value (S, Ev).
 *
 * @param batch    the number of batch items B (1 when there are no batch dims)
 * @param queries  L, the query rows per item
 * @param keys     S, the key and value rows per item
 * @param headDim  E, the length of a query or key row
 * @param valueDim Ev, the length of a value (and output) row
 * @param scale    the factor of the scores {@code q . k} (PyTorch's default is 1 / sqrt(E))
 * @param causal   whether query row i attends only to keys j &lt;= i (the mask aligned top-left, as
 *                 {@code torch.ones(L, S).tril()})
 */
public record AttentionShape(int batch, int queries, int keys, int headDim, int valueDim, double scale,
                             boolean causal) {
    /** Validates the sizes: none negative, and no per-call operand past {@link View#LIMIT} elements. */
    public AttentionShape {
        if (batch < 0 || queries < 0 || keys < 0 || headDim < 0 || valueDim < 0) {
            throw new IllegalArgumentException("invalid attention sizes: batch " + batch + ", queries " + queries
                    + ", keys " + keys + ", head dim " + headDim + ", value dim " + valueDim);
        }
        long rows = (long) batch * Math.max(queries, keys);
        if (rows * Math.max(headDim, valueDim) > View.LIMIT) {
            throw new IllegalArgumentException("attention operands of " + rows + " rows of "
                    + Math.max(headDim, valueDim) + " exceed jtorch's limit of " + View.LIMIT
                    + " elements per storage or kernel call");
        }
    }

    /**
     * Checks the views of a {@code Backend.attention} call against these sizes (roles, ranks, batch dims,
     * shapes, dtypes), so that a backend fails with a message before anything is written.
     *
     * @throws IllegalArgumentException naming the first view that does not fit
     */
    public void check(Op op, View[] in, View[] out) {
        boolean fwd = op == Op.ATTENTION;
        if (!fwd && op != Op.ATTENTION_BACKWARD) {
            throw new IllegalArgumentException(op + " is not an attention op");
        }
        if (in == null || out == null || in.length != (fwd ? 5 : 8) || out.length != (fwd ? 2 : 4)) {
            throw new IllegalArgumentException(op + " takes " + (fwd ? "5 inputs and 2 outputs" : "8 inputs and 4 "
                    + "outputs"));
        }
        View q = in[0];
        if (q == null || q.dim() < 2) {
            throw new IllegalArgumentException("attention: query must have at least 2 dims, got " + q);
        }
        DType dt = q.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException("attention: expected float32 or float64 operands, got " + dt);
        }
        int[] batchDims = Arrays.copyOf(q.shape(), q.dim() - 2);
        long items = 1;
        for (int d : batchDims) {
            items *= d;
        }
        if (items != batch) {
            throw new IllegalArgumentException("attention: the batch dims " + Arrays.toString(batchDims)
                    + " of the query hold " + items + " items, expected " + batch);
        }
        int l = queries;
        int s = keys;
        view("query", q, batchDims, dt, l, headDim);
        view("key", in[1], batchDims, dt, s, headDim);
        view("value", in[2], batchDims, dt, s, valueDim);
        View mask = in[3];
        if (mask != null) {
            DType md = mask.dtype();
            view("mask", mask, batchDims, md == DType.BOOL || md == DType.FLOAT32 ? md : dt, l, s);
        }
        if (in[4] != null) {
            view("dropout mask", in[4], batchDims, dt, l, s);
        }
        if (fwd) {
            view("output", out[0], batchDims, dt, l, valueDim);
            if (out[1] != null) {
                view("lse", out[1], batchDims, dt, l);
            }
            return;
        }
        view("output", in[5], batchDims, dt, l, valueDim);
        view("lse", in[6], batchDims, dt, l);
        view("output gradient", in[7], batchDims, dt, l, valueDim);
        view("query gradient", out[0], batchDims, dt, l, headDim);
        view("key gradient", out[1], batchDims, dt, s, headDim);
        view("value gradient", out[2], batchDims, dt, s, valueDim);
        if (out[3] != null) {
            view("score gradient", out[3], batchDims, dt, l, s);
        }
    }

    private static void view(String role, View v, int[] batchDims, DType dt, int... tail) {
        int[] expected = Arrays.copyOf(batchDims, batchDims.length + tail.length);
        System.arraycopy(tail, 0, expected, batchDims.length, tail.length);
        if (v == null) {
            throw new IllegalArgumentException("attention: the " + role + " is required");
        }
        if (!Arrays.equals(v.shape(), expected) || v.stride().length != expected.length) {
            throw new IllegalArgumentException("attention: expected the " + role + " of shape "
                    + Arrays.toString(expected) + ", got " + v);
        }
        if (v.dtype() != dt) {
            throw new IllegalArgumentException("attention: expected the " + role + " of dtype " + dt + ", got "
                    + v.dtype());
        }
    }
}
