package dev.jtorch;

import dev.jtorch.backend.Op;

/**
 * The reductions, matrix products and softmax API of {@link Tensor}, kept apart from the tensor's state by topic: users call these methods on a
 * Tensor (the only subclass), and each body delegates to the ops class that implements it.
 */
abstract class TensorAlgebra extends TensorOrdering {
    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (int64 for integer and bool inputs). */
    public Tensor sum() {
        return ReduceOps.sum(self(), null, false);
    }

    /** Sum over dims. */
    public Tensor sum(int[] dims, boolean keepdim) {
        return ReduceOps.sum(self(), dims, keepdim);
    }

    /** Sum over one dim. */
    public Tensor sum(int dim, boolean keepdim) {
        return ReduceOps.sum(self(), new int[] {dim}, keepdim);
    }

    /** Sum over one dim, removing it. */
    public Tensor sum(int dim) {
        return sum(dim, false);
    }

    /** Mean of all elements (floating point only). */
    public Tensor mean() {
        return ReduceOps.mean(self(), null, false);
    }

    /** Mean over dims. */
    public Tensor mean(int[] dims, boolean keepdim) {
        return ReduceOps.mean(self(), dims, keepdim);
    }

    /** Mean over one dim. */
    public Tensor mean(int dim, boolean keepdim) {
        return ReduceOps.mean(self(), new int[] {dim}, keepdim);
    }

    /** Variance of all elements with Bessel's correction (correction 1). */
    public Tensor var() {
        return ReduceOps.var(self(), null, 1, false);
    }

    /** Variance over dims with {@code correction} (0 biased, 1 unbiased). */
    public Tensor var(int[] dims, double correction, boolean keepdim) {
        return ReduceOps.var(self(), dims, correction, keepdim);
    }

    /** Standard deviation of all elements (correction 1). */
    public Tensor std() {
        return var().sqrt();
    }

    /** Standard deviation over dims with {@code correction}. */
    public Tensor std(int[] dims, double correction, boolean keepdim) {
        return var(dims, correction, keepdim).sqrt();
    }

    /** Product of all elements. */
    public Tensor prod() {
        return ReduceOps.prod(self(), null, false);
    }

    /** Product over one dim. */
    public Tensor prod(int dim, boolean keepdim) {
        return ReduceOps.prod(self(), new int[] {dim}, keepdim);
    }

    /** Largest element (NaN if any). */
    public Tensor max() {
        return ReduceOps.amax(self(), null, false, true);
    }

    /** Smallest element (NaN if any). */
    public Tensor min() {
        return ReduceOps.amax(self(), null, false, false);
    }

    /** Largest values and their indices along dim ({@code torch.max(x, dim)}): {values, indices}. */
    public Tensor[] max(int dim, boolean keepdim) {
        return ReduceOps.maxWithIndices(self(), dim, keepdim, true);
    }

    /** Smallest values and their indices along dim: {values, indices}. */
    public Tensor[] min(int dim, boolean keepdim) {
        return ReduceOps.maxWithIndices(self(), dim, keepdim, false);
    }

    /** Maximum over dims ({@code amax}); the gradient is shared among ties. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return ReduceOps.amax(self(), dims, keepdim, true);
    }

    /** Minimum over dims ({@code amin}). */
    public Tensor amin(int[] dims, boolean keepdim) {
        return ReduceOps.amax(self(), dims, keepdim, false);
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return ReduceOps.argmax(self(), null, false, true);
    }

    /** Index of the largest element along dim. */
    public Tensor argmax(int dim, boolean keepdim) {
        return ReduceOps.argmax(self(), dim, keepdim, true);
    }

    /** Index of the smallest element of the flattened tensor. */
    public Tensor argmin() {
        return ReduceOps.argmax(self(), null, false, false);
    }

    /** Index of the smallest element along dim. */
    public Tensor argmin(int dim, boolean keepdim) {
        return ReduceOps.argmax(self(), dim, keepdim, false);
    }

    /** {@code log(sum(exp(x)))} over dims, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return ReduceOps.logsumexp(self(), dims, keepdim);
    }

    /** {@code logsumexp} over one dim. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return ReduceOps.norm(self(), 2, null, false);
    }

    /** The p-norm over dims (p may be infinite; null dims for all). */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        return ReduceOps.norm(self(), p, dims, keepdim);
    }

    /** True (bool tensor) if any element is nonzero. */
    public Tensor any() {
        return ReduceOps.logical(self(), Op.ANY, null, false);
    }

    /** True (bool tensor) if every element is nonzero. */
    public Tensor all() {
        return ReduceOps.logical(self(), Op.ALL, null, false);
    }

    /** {@code any} over one dim. */
    public Tensor any(int dim, boolean keepdim) {
        return ReduceOps.logical(self(), Op.ANY, new int[] {dim}, keepdim);
    }

    /** {@code all} over one dim. */
    public Tensor all(int dim, boolean keepdim) {
        return ReduceOps.logical(self(), Op.ALL, new int[] {dim}, keepdim);
    }

    // ---------------------------------------------------------------- linear algebra and softmax

    /** {@code torch.matmul}: dot, matrix-vector, matrix and batched products with broadcast batch dims. */
    public Tensor matmul(Tensor other) {
        return LinalgOps.matmul(self(), other);
    }

    /** Matrix product of two 2-D tensors. */
    public Tensor mm(Tensor other) {
        return LinalgOps.mm(self(), other);
    }

    /** Batched matrix product of two 3-D tensors with the same batch size. */
    public Tensor bmm(Tensor other) {
        return LinalgOps.bmm(self(), other);
    }

    /** Matrix-vector product. */
    public Tensor mv(Tensor vec) {
        return LinalgOps.mv(self(), vec);
    }

    /** Dot product of two 1-D tensors. */
    public Tensor dot(Tensor other) {
        return LinalgOps.dot(self(), other);
    }

    /** {@code beta * this + alpha * (m1 @ m2)}. */
    public Tensor addmm(Tensor m1, Tensor m2, double beta, double alpha) {
        return LinalgOps.addmm(self(), m1, m2, beta, alpha);
    }

    /** {@code this + m1 @ m2}. */
    public Tensor addmm(Tensor m1, Tensor m2) {
        return LinalgOps.addmm(self(), m1, m2, 1, 1);
    }

    /** Softmax along dim. */
    public Tensor softmax(int dim) {
        return LinalgOps.softmax(self(), dim, false);
    }

    /** Log of softmax along dim, computed stably. */
    public Tensor logSoftmax(int dim) {
        return LinalgOps.softmax(self(), dim, true);
    }

}
