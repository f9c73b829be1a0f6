package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.PoolWindows;

/**
 * What a device must implement: allocation, copies between host arrays and its storage, and every {@link Op}.
 *
 * <p>The tensor layer has already checked shapes, dtypes and devices, broadcast inputs to the output shape
 * (stride-0 views), and allocated the output; a backend only computes. Inputs may be non-contiguous views
 * of any storage of this backend; outputs of elementwise ops may be views too (in-place ops and copies).
 * Elementwise inputs of a different dtype than the output are converted to the output's compute type.
 */
public interface Backend {
    /** The device this backend computes on. */
    Device device();

    /** A zero-filled storage of {@code numel} elements. */
    Storage allocate(DType dtype, int numel);

    /**
     * A storage holding a copy of a host array: {@code float[]} for FLOAT32, {@code double[]} for FLOAT64,
     * {@code long[]} for INT64, {@code boolean[]} for BOOL, {@code short[]} (raw bits) for FLOAT16/BFLOAT16.
     */
    Storage fromHost(Object array, DType dtype);

    /** Copies a contiguous storage range to a new host array of the same layout as {@link #fromHost}. */
    Object toHost(Storage storage, int offset, int length);

    /** Elementwise op with one input. */
    void unary(Op op, View x, View out, double p0, double p1);

    /** Elementwise op with two inputs of the output's shape. */
    void binary(Op op, View a, View b, View out, double alpha);

    /** {@code out = cond ? a : b}. */
    void where(View cond, View a, View b, View out);

    /**
     * Reduces {@code x} over {@code dims} (sorted, distinct) into {@code out}, which has x's shape with those
     * dims of size 1. {@code p}: NORM's order, VAR's correction. ARGMAX/ARGMIN write int64 indices into the
     * flattened reduced dims.
     */
    void reduce(Op op, View x, int[] dims, View out, double p);

    /** Softmax family along {@code dim}; {@code dy} is null for the forward ops. */
    void softmax(Op op, View x, View dy, int dim, View out);

    /** {@code out = alpha * a @ b + beta * out} for 3-D a [B, m, k], b [B, k, n], contiguous out [B, m, n]. */
    void bmm(View a, View b, View out, double alpha, double beta);

    /**
     * {@link #bmm} where {@code b} is a constant operand, a layer's weight in inference: a backend may keep it in a
     * prepared form (the CPU keeps its packed GEMM panels) keyed on its storage and version counter, so a weight
     * used call after call is prepared once. The default is {@link #bmm}.
     */
    default void bmmConstantB(View a, View b, View out, double alpha, double beta) {
        bmm(a, b, out, alpha, beta);
    }

    /**
     * Indexing along {@code dim}: INDEX_SELECT (out = self.index_select(dim, index)), INDEX_ADD
     * (out[index[i]] += src[i] along dim, out in place), GATHER, SCATTER and SCATTER_ADD (out in place,
     * already a copy of self). Indices are int64 and already range-checked.
     */
    void index(Op op, View self, int dim, View index, View src, View out);

    /** Copies {@code src} into {@code dst} (same shape), converting the dtype. */
    void copy(View src, View dst);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(View dst, double value);

    /**
     * Convolution with zero padding ({@link Op#CONV}, {@link Op#CONV_BACKWARD_INPUT},
     * {@link Op#CONV_BACKWARD_WEIGHT}, {@link Op#IM2COL}, {@link Op#COL2IM}): float32 or float64 contiguous
     * operands of one dtype laid out as {@code g} describes; {@code b} and {@code bias} are null where the op
     * takes none. The output is overwritten.
     */
    void conv(Op op, View a, View b, View bias, View out, ConvGeometry g);

    /**
     * Windowed pooling over contiguous float32/float64 planes ({@link Op#MAX_POOL}, {@link Op#MAX_POOL_BACKWARD},
     * {@link Op#AVG_POOL}, {@link Op#AVG_POOL_BACKWARD}); {@code indices} are int64 with the output's (for the
     * backward, dy's) element count, or null for a max pool whose positions are not needed.
     */
    void pool(Op op, View x, View indices, View out, PoolWindows w);

    /**
     * Normalization kernels on contiguous float32/float64 tensors viewed as [outer, channels, inner] (rows of
     * {@code inner} for the ROW ops, with outer * channels rows). Arguments by op (null where optional):
     * <ul>
     *   <li>NORM_MOMENTS: in {x}; out {mean, var} per channel (mean 0 and the mean square unless center).</li>
     *   <li>NORM_SCALE_SHIFT: in {x, a, b or null}; out {y = a[c] x + b[c]}.</li>
     *   <li>NORM_SCALE_SHIFT2: in {dy, x, a, b, c}; out {y = a[c] dy + b[c] x + c[c]}.</li>
     *   <li>NORM_CHANNEL_SUMS: in {dy, x or null}; out {sum dy, sum dy x or null} per channel.</li>
     *   <li>NORM_APPLY: in {x, mean, var, w or null, b or null} per channel; out
     *       {y = (x - mean[c]) / sqrt(var[c] + eps) w[c] + b[c]}.</li>
     *   <li>ROW_NORM: in {x, mean, var, w or null, b or null} per row; out
     *       {y = (x - mean[r]) / sqrt(var[r] + eps) w[i] + b[i]}.</li>
     *   <li>ROW_NORM_BACKWARD: in {x, dy, mean, var, w or null}; out {dx, dw or null, db or null}, the
     *       gradients of ROW_NORM with the rows' own statistics (centred unless {@code shape.center()} is
     *       false); dw and db are overwritten.</li>
     * </ul>
     */
    void norm(Op op, View[] in, View[] out, NormShape shape);

    /**
     * {@link Op#EMBEDDING_BAG}: for bag b (indices {@code offsets[b]} to {@code offsets[b + 1]} of the int64
     * {@code indices}, contiguous), {@code out[b]} is the sum (mode 0), mean (1) or max (2) of
     * {@code weight[indices[i]] * perSampleWeights[i]} (weights may be null) over the entries whose index is not
     * {@code paddingIdx} (use -1 for none); an empty bag gives zeros. Writes {@code bagOf[i]} (the bag of
     * entry i), {@code bagSize[b]} (its entries other than padding) and, for max, {@code maxArg[b][d]} (the
     * weight row giving the max, -1 for an empty bag; null otherwise). Offsets have batch + 1 entries, the last
     * being the number of indices, and are non-decreasing; indices are in range.
     */
    void embeddingBag(View weight, View indices, View offsets, View perSampleWeights, int mode,
                      long paddingIdx, View out, View bagOf, View bagSize, View maxArg);

    /**
     * CTC loss ({@link Op#CTC_LOSS}, {@link Op#CTC_LOSS_BACKWARD}) over contiguous float32/float64
     * {@code logProbs} [T, N, C] and int64 {@code targets} (sample b's labels start at {@code targetOffsets[b]}),
     * with the (validated) per-sample lengths on the host. The forward writes the negative log-likelihood of each
     * sample into float64 {@code nll} [N] (infinite when impossible) and the alpha recursion into float64
     * {@code alpha} [N, T, 2 * max target length + 1]; the backward reads them with the float64 per-sample
     * scales {@code gradOut} [N] (0 skips a sample) and overwrites {@code grad} [T, N, C] (logProbs' dtype)
     * with PyTorch's gradient, the one for log-probabilities from log_softmax. Unused views are null.
     */
    void ctc(Op op, View logProbs, View targets, long[] inputLengths, long[] targetLengths, int[] targetOffsets,
             int blank, View nll, View alpha, View gradOut, View grad);

    /**
     * Elements (of the layer's dtype) of the reserve that a recording {@link Op#RNN_LAYER_FORWARD} of
     * {@code layer} fills for its backward: every step's activations and previous states, laid out as this
     * backend chooses (the CPU backend: N P + the LSTM's 6 N H (7 with a projection), the GRU's 4 N H).
     *
     * @throws IllegalArgumentException when the reserve would exceed {@link View#LIMIT}
     */
    int rnnReserveSize(RnnLayer layer);

    /**
     * One recurrent layer in one direction over packed rows ({@link Op#RNN_LAYER_FORWARD},
     * {@link Op#RNN_LAYER_BACKWARD}): the cell {@code layer.mode()} over the steps of {@code layer}, in PyTorch's
     * gate order and formulas ({@code torch.nn.RNN}, {@code LSTM}, {@code GRU}). Views are contiguous, float32
     * or float64, all of one dtype; sizes as {@link RnnLayer} names them. Arguments by op (null where optional):
     * <ul>
     *   <li>RNN_LAYER_FORWARD: in {x (N, In), h0 (B, P), c0 (B, H) for LSTM, w_ih (G H, In), w_hh (G H, P),
     *       b_ih (G H), b_hh (G H), w_hr (P, H) with a projection}; out {y (N, P), h_n (B, P), c_n (B, H) for
     *       LSTM, reserve ({@link #rnnReserveSize} elements)}. With a reserve (training) the forward keeps in
     *       it what the backward needs; without (inference) it keeps one step's worth. Outputs and states are
     *       the same, bit for bit, either way. Each sequence's final state is its row at its last step.</li>
     *   <li>RNN_LAYER_BACKWARD: in {x, w_ih, w_hh, w_hr, y, reserve (as the forward left it), dy (N, P),
     *       dh_n (B, P), dc_n (B, H)}, the gradients null where the output received none; out {dx, dh0, dc0,
     *       dw_ih, dw_hh, db_ih, db_hh, dw_hr}, each null when not wanted, else overwritten.</li>
     * </ul>
     * An empty batch (N = B = 0) gives empty outputs and zero weight gradients. Weights are only read; a backend
     * may keep derived forms of them across calls (the CPU backend's packed GEMM panels), valid while the
     * storage, offset and {@link Storage#version()} are those it derived them from: the tensor layer bumps the
     * version on every in-place write.
     */
    void rnn(Op op, RnnLayer layer, View[] in, View[] out);

    /**
     * {@link Op#SORT}: sorts each line of {@code x} along {@code dim} (a 0-dim x is one line of one element) into
     * {@code values} (x's dtype) and int64 {@code indices} (each value's position in its line), both of x's shape;
     * any strides. The order is PyTorch's with {@code stable=True}: equal elements keep their order (-0.0 equals
     * 0.0) and NaN is larger than every number, so it comes last ascending and first {@code descending}. Values
     * are x's elements, bit for bit. The outputs do not overlap x.
     */
    void sort(View x, int dim, boolean descending, View values, View indices);

    /**
     * Scans along {@code dim} ({@link Op#CUMSUM}, {@link Op#CUMPROD}): element i of a line of {@code out} is the
     * sum (product) of the line's elements 0 to i of {@code x}, or i to the end when {@code reverse}. x and out
     * have one shape and one dtype and any strides (out may be x itself); floating types accumulate in double
     * as PyTorch's CPU kernel does (in float on an OpenCL device without double precision), int64 exactly,
     * wrapping.
     */
    void scan(Op op, View x, int dim, boolean reverse, View out);

    /**
     * Scaled dot-product attention ({@link Op#ATTENTION}, {@link Op#ATTENTION_BACKWARD}) over float32/float64
     * views, q, k and v of one dtype. Every view has rank r &gt;= 2 whose leading r - 2 dims are the batch dims,
     * the same in every view (broadcast ones have stride 0); strides are arbitrary. Per batch item: q (L, E),
     * k (S, E), v (S, Ev), sizes and constants as {@code shape} gives them; the scores are
     * {@code s = q k^T * scale}, then a bool mask (L, S) puts -inf where it is false and a float mask (float32
     * or q's dtype) is added, and with {@code shape.causal()} key j &gt; i is -inf for query row i. A row whose
     * scores are all -inf (fully masked, or S = 0) gives zeros and passes no gradient (PyTorch's
     * {@code _safe_softmax}). Arguments by op (null where optional):
     * <ul>
     *   <li>ATTENTION: in {q, k, v, mask, drop}; out {o (L, Ev), lse (L)}. {@code drop} (L, S) of q's dtype
     *       multiplies the probabilities after the softmax (dropout's scaled keep mask: 0 or 1 / (1 - p)).
     *       {@code lse} receives each row's log-sum-exp of the scores (+inf for a fully masked row), what the
     *       backward reads. No L x S matrix is held: the work memory is O(L + a tile).</li>
     *   <li>ATTENTION_BACKWARD: in {q, k, v, mask, drop, o, lse, dO (L, Ev)}, as the forward had and left them;
     *       out {dq (L, E), dk (S, E), dv (S, Ev), ds (L, S) or null}, each overwritten: per batch item (a
     *       broadcast operand's gradient is summed by the caller), and {@code ds} the gradient of the scores,
     *       which is a float mask's.</li>
     * </ul>
     */
    void attention(Op op, AttentionShape shape, View[] in, View[] out);
}
