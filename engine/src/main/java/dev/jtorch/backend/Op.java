package dev.jtorch.backend;

/**
 * Every primitive operation of the engine, in one place. A {@link Backend} implements exactly this set;
 * composite operations (linear, mean over several dims, cross entropy, ...) are built from these above the
 * backend, so a new backend only has to cover this list.
 *
 * <p>Parameters {@code p0, p1} of {@link Kind#UNARY} ops: {@link #POW_SCALAR} exponent in p0; {@link #CLAMP}
 * min and max in p0 and p1 (NaN for none); {@link #SOFTPLUS} beta and threshold; {@link #LEAKY_RELU} slope.
 * Binary ops: {@link #ADD} and {@link #SUB} take alpha (y = a + alpha b).
 */
public enum Op {
    // elementwise, one input
    NEG(Kind.UNARY), ABS(Kind.UNARY), SIGN(Kind.UNARY), EXP(Kind.UNARY), EXPM1(Kind.UNARY), LOG(Kind.UNARY),
    LOG1P(Kind.UNARY), SQRT(Kind.UNARY), RSQRT(Kind.UNARY), RECIPROCAL(Kind.UNARY), SIN(Kind.UNARY),
    COS(Kind.UNARY), TANH(Kind.UNARY), SIGMOID(Kind.UNARY), RELU(Kind.UNARY), LEAKY_RELU(Kind.UNARY),
    ERF(Kind.UNARY), GELU(Kind.UNARY), GELU_TANH(Kind.UNARY), SOFTPLUS(Kind.UNARY), FLOOR(Kind.UNARY),
    CEIL(Kind.UNARY), ROUND(Kind.UNARY), TRUNC(Kind.UNARY), POW_SCALAR(Kind.UNARY), CLAMP(Kind.UNARY),
    LOGICAL_NOT(Kind.UNARY), ISNAN(Kind.UNARY),
    // elementwise, two inputs (same shape; broadcasting is done with stride-0 views above the backend)
    ADD(Kind.BINARY), SUB(Kind.BINARY), MUL(Kind.BINARY), DIV(Kind.BINARY), POW(Kind.BINARY),
    MAXIMUM(Kind.BINARY), MINIMUM(Kind.BINARY), EQ(Kind.BINARY), NE(Kind.BINARY), LT(Kind.BINARY),
    LE(Kind.BINARY), GT(Kind.BINARY), GE(Kind.BINARY), LOGICAL_AND(Kind.BINARY), LOGICAL_OR(Kind.BINARY),
    LOGICAL_XOR(Kind.BINARY),
    /** dx = dy * y * (1 - y), inputs (y, dy). */
    SIGMOID_BACKWARD(Kind.BINARY),
    /** dx = dy * (1 - y^2), inputs (y, dy). */
    TANH_BACKWARD(Kind.BINARY),
    /** dx = dy * gelu'(x), inputs (x, dy). */
    GELU_BACKWARD(Kind.BINARY),
    /** dx = dy * gelu_tanh'(x), inputs (x, dy). */
    GELU_TANH_BACKWARD(Kind.BINARY),
    // three inputs
    /** out = cond ? a : b, inputs (cond, a, b). */
    WHERE(Kind.TERNARY),
    // reductions over a set of dims into a keepdim-shaped output
    SUM(Kind.REDUCE), PROD(Kind.REDUCE), AMAX(Kind.REDUCE), AMIN(Kind.REDUCE), ARGMAX(Kind.REDUCE),
    ARGMIN(Kind.REDUCE), LOGSUMEXP(Kind.REDUCE), NORM(Kind.REDUCE), VAR(Kind.REDUCE), ANY(Kind.REDUCE),
    ALL(Kind.REDUCE),
    // along one dim
    SOFTMAX(Kind.SOFTMAX), LOG_SOFTMAX(Kind.SOFTMAX),
    /** dx = y * (dy - sum(dy * y)), inputs (y, dy). */
    SOFTMAX_BACKWARD(Kind.SOFTMAX),
    /** dx = dy - exp(y) * sum(dy), inputs (y, dy). */
    LOG_SOFTMAX_BACKWARD(Kind.SOFTMAX),
    // batched matrix product, out = alpha * a @ b + beta * out
    BMM(Kind.MATMUL),
    // indexing along a dim
    INDEX_SELECT(Kind.INDEX), INDEX_ADD(Kind.INDEX), GATHER(Kind.INDEX), SCATTER(Kind.INDEX),
    SCATTER_ADD(Kind.INDEX),
    // data movement
    COPY(Kind.DATA), FILL(Kind.DATA),
    // convolution with zero padding over 1 to 3 spatial dims, contiguous operands laid out as ConvGeometry says
    /** out = conv(a, b) + bias: a the input, b the weight, bias per output channel or null. */
    CONV(Kind.CONV),
    /** out = the input gradient: a = dy, b = the weight (also the transposed convolution's forward). */
    CONV_BACKWARD_INPUT(Kind.CONV),
    /** out = the weight gradient summed over the batch: a = the input, b = dy. */
    CONV_BACKWARD_WEIGHT(Kind.CONV),
    /** out = the column matrices of the image a, [batch, inChannels * kernelVolume, outSpatial] (unfold). */
    IM2COL(Kind.CONV),
    /** out = the image summed from the column matrices a (fold, the adjoint of IM2COL). */
    COL2IM(Kind.CONV),
    // windowed pooling over contiguous planes, windows as PoolWindows says
    /** out = the max of each window; indices (int64, may be null) = its position in the input plane. */
    MAX_POOL(Kind.POOL),
    /** out = 0, then out[indices[o]] += x[o] per plane (the max gradient; x = dy). */
    MAX_POOL_BACKWARD(Kind.POOL),
    /** out = each window's sum over its divisor. */
    AVG_POOL(Kind.POOL),
    /** out = the average gradient (x = dy). */
    AVG_POOL_BACKWARD(Kind.POOL),
    // normalization on contiguous [outer, channels, inner] (argument positions in Backend.norm)
    NORM_MOMENTS(Kind.NORM), NORM_SCALE_SHIFT(Kind.NORM), NORM_SCALE_SHIFT2(Kind.NORM), NORM_CHANNEL_SUMS(Kind.NORM),
    NORM_APPLY(Kind.NORM), ROW_NORM(Kind.NORM), ROW_NORM_BACKWARD(Kind.NORM),
    /** Sums, means or maxima of bags of embedding rows (see Backend.embeddingBag). */
    EMBEDDING_BAG(Kind.EMBEDDING_BAG),
    // connectionist temporal classification (arguments in Backend.ctc)
    /** Per-sample negative log-likelihood and the alpha recursion. */
    CTC_LOSS(Kind.CTC),
    /** The gradient of the log-probabilities, by the beta recursion. */
    CTC_LOSS_BACKWARD(Kind.CTC),
    // one recurrent layer in one direction over packed rows, as RnnLayer describes (argument positions in Backend.rnn)
    /** The layer's outputs and final states, and with a reserve what its backward needs. */
    RNN_LAYER_FORWARD(Kind.RNN),
    /** The gradients of its inputs, weights and initial states from those of its outputs and the reserve. */
    RNN_LAYER_BACKWARD(Kind.RNN),
    // along one dim (arguments in Backend.sort and Backend.scan)
    /** The values and int64 indices of each line sorted stably, NaN above every number (PyTorch's order). */
    SORT(Kind.SORT),
    /** Running sums along a dim, forwards or from the end. */
    CUMSUM(Kind.SCAN),
    /** Running products along a dim, forwards or from the end. */
    CUMPROD(Kind.SCAN),
    // scaled dot-product attention, tiled over keys with an online softmax (arguments in Backend.attention)
    /** softmax(q k^T scale + mask) v, dropout applied to the probabilities, and each query row's log-sum-exp. */
    ATTENTION(Kind.ATTENTION),
    /** The gradients of q, k, v (and of a float mask) from the output's, recomputing the probabilities by tiles. */
    ATTENTION_BACKWARD(Kind.ATTENTION);

    /** The calling convention of an op. */
    public enum Kind {
        /** {@code unary(op, x, out, p0, p1)}. */
        UNARY,
        /** {@code binary(op, a, b, out, alpha)}. */
        BINARY,
        /** {@code where(cond, a, b, out)}. */
        TERNARY,
        /** {@code reduce(op, x, dims, out, p)}. */
        REDUCE,
        /** {@code softmax(op, x, dy, dim, out)}. */
        SOFTMAX,
        /** {@code bmm(a, b, out, alpha, beta)}. */
        MATMUL,
        /** {@code index(op, self, dim, index, src, out)}. */
        INDEX,
        /** {@code copy(src, dst)} and {@code fill(dst, value)}. */
        DATA,
        /** {@code conv(op, a, b, bias, out, geometry)}. */
        CONV,
        /** {@code pool(op, x, indices, out, windows)}. */
        POOL,
        /** {@code norm(op, in, out, shape)}. */
        NORM,
        /** {@code embeddingBag(...)}. */
        EMBEDDING_BAG,
        /** {@code ctc(op, logProbs, targets, lengths..., nll, alpha, gradOut, grad)}. */
        CTC,
        /** {@code rnn(op, layer, in, out)}, with {@code rnnReserveSize(layer)}. */
        RNN,
        /** {@code sort(x, dim, descending, values, indices)}. */
        SORT,
        /** {@code scan(op, x, dim, reverse, out)}. */
        SCAN,
        /** {@code attention(op, shape, in, out)}. */
        ATTENTION
    }

    private final Kind kind;

    Op(Kind kind) {
        this.kind = kind;
    }

    /** How the backend is called for this op. */
    public Kind kind() {
        return kind;
    }
}
