package dev.jtorch;

import dev.jtorch.backend.Op;

/**
 * The sorting, selection, cumulative and triangular API of {@link Tensor}, kept apart from the tensor's state by
 * topic: users call these methods on a Tensor (the only subclass), and each body delegates to the ops class that
 * implements it ({@code SortOps}, {@code ScanOps}).
 *
 * <p>Order: PyTorch's. NaN is larger than every number (last ascending, first descending, the largest in
 * {@code topk}, the largest k-th value), -0.0 equals 0.0, and equal elements keep their order (jtorch's sort is
 * always stable, so {@code stable=false} gives the stable order too, where PyTorch leaves ties unspecified; the
 * same holds for the indices of ties in {@code topk} and {@code kthvalue}).
 */
abstract class TensorOrdering extends TensorMath {
    // ---------------------------------------------------------------- sorting and selection

    /** {@code sort()}: sorted along the last dim, ascending; values and int64 indices. */
    public ValuesIndices sort() {
        return SortOps.sort(self(), null, -1, false);
    }

    /** {@code sort(dim)}: sorted along {@code dim}, ascending. */
    public ValuesIndices sort(int dim) {
        return SortOps.sort(self(), null, dim, false);
    }

    /**
     * {@code sort(dim, descending)}: the elements of each line along {@code dim} in ascending (descending) order,
     * and their int64 positions in the line ({@code torch.sort}).
     *
     * <p>Args: dim (default -1), descending (default false). Shape: both outputs have the input's shape.
     */
    public ValuesIndices sort(int dim, boolean descending) {
        return SortOps.sort(self(), null, dim, descending);
    }

    /** {@code sort(stable=stable, dim=dim, descending=descending)}: PyTorch's stable overload (SortBackward1). */
    public ValuesIndices sort(boolean stable, int dim, boolean descending) {
        return SortOps.sort(self(), stable, dim, descending);
    }

    /** {@code argsort()}: the int64 indices that sort the last dim ascending. */
    public Tensor argsort() {
        return SortOps.argsort(self(), -1, false);
    }

    /** {@code argsort(dim)}. */
    public Tensor argsort(int dim) {
        return SortOps.argsort(self(), dim, false);
    }

    /** {@code argsort(dim, descending)}: {@code sort(dim, descending).indices()}. */
    public Tensor argsort(int dim, boolean descending) {
        return SortOps.argsort(self(), dim, descending);
    }

    /** {@code argsort(dim, descending, stable)} ({@code torch.argsort}'s order of arguments). */
    public Tensor argsort(int dim, boolean descending, boolean stable) {
        return SortOps.argsort(self(), dim, descending);
    }

    /** {@code topk(k)}: the k largest elements along the last dim, largest first. */
    public ValuesIndices topk(int k) {
        return SortOps.topk(self(), k, -1, true, true);
    }

    /** {@code topk(k, dim)}. */
    public ValuesIndices topk(int k, int dim) {
        return SortOps.topk(self(), k, dim, true, true);
    }

    /**
     * {@code topk(k, dim, largest, sorted)}: the k largest (smallest) elements of each line along {@code dim} and
     * their int64 indices ({@code torch.topk}). With {@code sorted} false PyTorch may return them in any order;
     * jtorch returns them sorted.
     *
     * <p>Args: k (0 to the dim's size, else "selected index k out of range"), dim (default -1), largest (default
     * true), sorted (default true). Shape: the input's with {@code dim} of size k. Not for bool tensors.
     */
    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
        return SortOps.topk(self(), k, dim, largest, sorted);
    }

    /** {@code kthvalue(k)}: the k-th smallest element along the last dim (k from 1). */
    public ValuesIndices kthvalue(int k) {
        return SortOps.kthvalue(self(), k, -1, false);
    }

    /** {@code kthvalue(k, dim)}. */
    public ValuesIndices kthvalue(int k, int dim) {
        return SortOps.kthvalue(self(), k, dim, false);
    }

    /**
     * {@code kthvalue(k, dim, keepdim)}: the k-th smallest element of each line along {@code dim} (k from 1 to
     * the dim's size) and its int64 index ({@code torch.kthvalue}).
     *
     * <p>Shape: the input's without {@code dim}, or with it of size 1 when {@code keepdim}. Not for bool tensors.
     */
    public ValuesIndices kthvalue(int k, int dim, boolean keepdim) {
        return SortOps.kthvalue(self(), k, dim, keepdim);
    }

    // ---------------------------------------------------------------- cumulative sums and products

    /**
     * {@code cumsum(dim)}: running sums along {@code dim} ({@code torch.cumsum}); integer and bool inputs give
     * int64, floating ones keep their dtype (float32 accumulates in double on the CPU, as in PyTorch).
     */
    public Tensor cumsum(int dim) {
        return ScanOps.cumulative(Op.CUMSUM, self(), dim, null);
    }

    /** {@code cumsum(dim, dtype=dtype)}: the input converted to {@code dtype} first. */
    public Tensor cumsum(int dim, DType dtype) {
        return ScanOps.cumulative(Op.CUMSUM, self(), dim, dtype);
    }

    /** {@code cumprod(dim)}: running products along {@code dim}, with cumsum's dtypes ({@code torch.cumprod}). */
    public Tensor cumprod(int dim) {
        return ScanOps.cumulative(Op.CUMPROD, self(), dim, null);
    }

    /** {@code cumprod(dim, dtype=dtype)}: the input converted to {@code dtype} first. */
    public Tensor cumprod(int dim, DType dtype) {
        return ScanOps.cumulative(Op.CUMPROD, self(), dim, dtype);
    }

    // ---------------------------------------------------------------- triangles

    /** {@code tril()}: the lower triangle (main diagonal included) of the matrices in the last two dims. */
    public Tensor tril() {
        return ScanOps.triangle(self(), 0, true);
    }

    /**
     * {@code tril(diagonal)}: elements on and below the {@code diagonal}-th diagonal (0 the main one, positive
     * above it, negative below) of the matrices in the last two dims, zeros elsewhere ({@code torch.tril}).
     * Needs at least 2 dims; any dtype.
     */
    public Tensor tril(int diagonal) {
        return ScanOps.triangle(self(), diagonal, true);
    }

    /** {@code triu()}: the upper triangle (main diagonal included). */
    public Tensor triu() {
        return ScanOps.triangle(self(), 0, false);
    }

    /** {@code triu(diagonal)}: elements on and above the {@code diagonal}-th diagonal ({@code torch.triu}). */
    public Tensor triu(int diagonal) {
        return ScanOps.triangle(self(), diagonal, false);
    }
}
