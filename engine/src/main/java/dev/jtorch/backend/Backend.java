package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;

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
    void unary(Op op, Tensor x, Tensor out, double p0, double p1);

    /** Elementwise op with two inputs of the output's shape. */
    void binary(Op op, Tensor a, Tensor b, Tensor out, double alpha);

    /** {@code out = cond ? a : b}. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces {@code x} over {@code dims} (sorted, distinct) into {@code out}, which has x's shape with those
     * dims of size 1. {@code p}: NORM's order, VAR's correction. ARGMAX/ARGMIN write int64 indices into the
     * flattened reduced dims.
     */
    void reduce(Op op, Tensor x, int[] dims, Tensor out, double p);

    /** Softmax family along {@code dim}; {@code dy} is null for the forward ops. */
    void softmax(Op op, Tensor x, Tensor dy, int dim, Tensor out);

    /** {@code out = alpha * a @ b + beta * out} for 3-D a [B, m, k], b [B, k, n], contiguous out [B, m, n]. */
    void bmm(Tensor a, Tensor b, Tensor out, double alpha, double beta);

    /**
     * Indexing along {@code dim}: INDEX_SELECT (out = self.index_select(dim, index)), INDEX_ADD
     * (out[index[i]] += src[i] along dim, out in place), GATHER, SCATTER and SCATTER_ADD (out in place,
     * already a copy of self). Indices are int64 and already range-checked.
     */
    void index(Op op, Tensor self, int dim, Tensor index, Tensor src, Tensor out);

    /** Copies {@code src} into {@code dst} (same shape), converting the dtype. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(Tensor dst, double value);
}
