package dev.jtorch.nn;

import dev.jtorch.DType;

/**
 * The arguments of {@link MultiheadAttention} with PyTorch's names and defaults: {@code dropout} 0 (on the
 * attention weights, training only), {@code bias} true, {@code addBiasKv} false, {@code addZeroAttn} false,
 * {@code kdim} and {@code vdim} null (embedDim), {@code batchFirst} false, {@code dtype} float32.
 *
 * <p>Example: {@code new MultiheadAttention(MultiheadAttention.options(512, 8).dropout(0.1).batchFirst(true))}.
 */
public final class MultiheadAttentionOptions {
    final int embedDim;
    final int numHeads;
    double dropout;
    boolean bias = true;
    boolean addBiasKv;
    boolean addZeroAttn;
    Integer kdim;
    Integer vdim;
    boolean batchFirst;
    DType dtype = DType.FLOAT32;

    /** The required arguments: the model's width and the number of heads, which must divide it. */
    public MultiheadAttentionOptions(int embedDim, int numHeads) {
        this.embedDim = embedDim;
        this.numHeads = numHeads;
    }

    /** Dropout probability on the attention weights, in training (default 0). */
    public MultiheadAttentionOptions dropout(double v) {
        dropout = v;
        return this;
    }

    /** Biases on the input and output projections (default true). */
    public MultiheadAttentionOptions bias(boolean v) {
        bias = v;
        return this;
    }

    /** Learnable biases {@code bias_k}, {@code bias_v} appended to the key and value sequences (default false). */
    public MultiheadAttentionOptions addBiasKv(boolean v) {
        addBiasKv = v;
        return this;
    }

    /** A zero step appended to the projected key and value sequences (default false). */
    public MultiheadAttentionOptions addZeroAttn(boolean v) {
        addZeroAttn = v;
        return this;
    }

    /** Features of the key (default null: embedDim). */
    public MultiheadAttentionOptions kdim(Integer v) {
        kdim = v;
        return this;
    }

    /** Features of the value (default null: embedDim). */
    public MultiheadAttentionOptions vdim(Integer v) {
        vdim = v;
        return this;
    }

    /** Inputs and output as (batch, seq, feature) (default false: (seq, batch, feature)). */
    public MultiheadAttentionOptions batchFirst(boolean v) {
        batchFirst = v;
        return this;
    }

    /** The parameters' dtype (default float32). */
    public MultiheadAttentionOptions dtype(DType v) {
        dtype = v;
        return this;
    }

    /** {@code o}, refusing null ({@code MultiheadAttention.options(e, h)} gives the defaults). */
    static MultiheadAttentionOptions of(MultiheadAttentionOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("MultiheadAttention: options must not be null "
                    + "(MultiheadAttention.options(embedDim, numHeads) gives PyTorch's defaults)");
        }
        return o;
    }
}
