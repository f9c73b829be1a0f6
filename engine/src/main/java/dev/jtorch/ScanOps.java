package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;

/**
 * cumsum and cumprod over the backend's scans ({@link Op#CUMSUM}, {@link Op#CUMPROD}, forwards or from the end),
 * with PyTorch's dtypes and backward rules, and tril/triu, composed of a mask of index comparisons and where.
 */
final class ScanOps {
    private ScanOps() {
    }

    /**
     * {@code torch.cumsum(x, dim, dtype)} / {@code cumprod}: x is first converted to {@code dtype} when given;
     * without one, integer and bool inputs give int64 (PyTorch's promotion), floating ones keep their dtype.
     */
    static Tensor cumulative(Op op, Tensor x, int dim, DType dtype) {
        int d = Shapes.wrapDim(dim, x.dim());
        DType outT = dtype != null ? dtype : x.dtype.isFloatingPoint() ? x.dtype : DType.INT64;
        if (outT == DType.BOOL) {
            throw new IllegalArgumentException("\"" + (op == Op.CUMSUM ? "cumsum" : "cumprod")
                    + "_out_cpu\" not implemented for 'Bool'");
        }
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = run(op, x.dtype == outT ? x : x.to(outT), d, false);
        }
        return record(op, x, out, d, false);
    }

    /** The scan of x along d (from the end when {@code reverse}), of x's dtype, with its backward rule. */
    static Tensor scan(Op op, Tensor x, int d, boolean reverse) {
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = run(op, x, d, reverse);
        }
        return record(op, x, out, d, reverse);
    }

    private static Tensor run(Op op, Tensor x, int d, boolean reverse) {
        Tensor out = x.newEmptyShared(x.dtype, x.shape);
        if (x.numel() > 0) {
            Dispatch.scan(op, x, d, reverse, out);
        }
        return out;
    }

    /**
     * The node of {@code out = scan(x)} (out may have another floating dtype than x: {@code cumsum(dtype=...)}).
     * As in PyTorch, the gradient is converted to x's dtype before the backward formula runs.
     */
    private static Tensor record(Op op, Tensor x, Tensor out, int d, boolean reverse) {
        if (!x.dtype.isFloatingPoint() || !out.dtype.isFloatingPoint()) {
            return out;
        }
        DType dt = x.dtype;
        if (op == Op.CUMSUM) {
            // the gradient of a running sum is the running sum of the gradient from the other end
            return FnNode.record1("CumsumBackward0", out, x,
                    (g, s) -> new Tensor[] {scan(Op.CUMSUM, g.to(dt), d, !reverse)});
        }
        if (reverse) {
            throw new UnsupportedOperationException("a cumulative product from the end has no backward rule");
        }
        return FnNode.record1("CumprodBackward0", out, x,
                (g, s) -> new Tensor[] {cumprodBackward(g.to(dt), s[0], d, s[1])}, x, out);
    }

    /**
     * PyTorch's gradient of y = cumprod(x) along d, zeros included, composed of differentiable ops:
     * {@code dx_k = sum over j >= k of g_j * prod(x_i, i <= j, i != k)}. Along a line with its first zero at z1
     * and its second at z2 (or past the end): before z1 it is {@code revcumsum(y g) / x} (PyTorch's formula when
     * nothing is zero, computed the same way); at z1 it is {@code prod(x_i, i < z1) * sum over j in [z1, z2) of
     * g_j * prod(x_i, z1 < i <= j)}; after z1 every product holds x_z1 = 0, so it is 0.
     */
    static Tensor cumprodBackward(Tensor g, Tensor x, int d, Tensor y) {
        if (x.numel() <= 1 || x.shape[d] == 1) {
            return g;
        }
        Tensor isZero;
        Tensor zeros;
        try (var _ = Autograd.noGrad()) {
            isZero = x.eq(0.0);
            zeros = scan(Op.CUMSUM, isZero.to(DType.INT64), d, false);
        }
        Tensor before = zeros.eq(0.0);
        Tensor firstRun = zeros.eq(1.0);
        Tensor first = firstRun.logicalAnd(isZero);
        Tensor between = firstRun.logicalAnd(isZero.logicalNot());
        Tensor w = Torch.where(before, y.mul(g), 0.0);
        Tensor head = scan(Op.CUMSUM, w, d, true).div(Torch.where(before, x, 1.0));
        Tensor prefix = scan(Op.CUMPROD, Torch.where(before, x, 1.0), d, false);
        Tensor tail = scan(Op.CUMPROD, Torch.where(between, x, 1.0), d, false)
                .mul(Torch.where(firstRun, g, 0.0)).sum(d, true);
        return Torch.where(before, head, Torch.where(first, prefix.mul(tail), 0.0));
    }

    /**
     * {@code torch.tril(x, diagonal)} (lower) / {@code torch.triu}: x's elements on and below (above) the
     * {@code diagonal}-th diagonal of the matrices in its last two dims, zeros elsewhere.
     */
    static Tensor triangle(Tensor x, int diagonal, boolean lower) {
        if (x.dim() == 0) {
            throw new IndexOutOfBoundsException("Dimension specified as -2 but tensor has no dimensions");
        }
        Shapes.wrapDim(-2, x.dim()); // a vector: PyTorch's "Dimension out of range ... but got -2"
        int m = x.shape[x.dim() - 2];
        int n = x.shape[x.dim() - 1];
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            Tensor rows = Torch.arange(m).to(x.device()).unsqueeze(1);
            Tensor cols = Torch.arange(n).to(x.device());
            Tensor offset = cols.sub(rows); // j - i: 0 on the main diagonal, k on the k-th above it
            Tensor keep = lower ? offset.le((double) diagonal) : offset.ge((double) diagonal);
            out = Torch.where(keep, x, x.newEmptyShared(x.dtype, Shapes.SCALAR));
        }
        return FnNode.record1(lower ? "TrilBackward0" : "TriuBackward0", out, x,
                (g, s) -> new Tensor[] {triangle(g, diagonal, lower)});
    }
}
