package dev.jtorch;

import dev.jtorch.autograd.Autograd;

/**
 * sort, argsort, topk and kthvalue over the backend's {@link dev.jtorch.backend.Op#SORT} (a stable sort of every
 * line, NaN above every number), with PyTorch's checks and messages. topk and kthvalue sort the whole line and
 * keep the part asked for; each backward scatters the gradient to the positions the indices name.
 */
final class SortOps {
    private SortOps() {
    }

    /** The line length along {@code d} (a 0-dim tensor is one line of one element). */
    private static int length(Tensor x, int d) {
        return x.dim() == 0 ? 1 : x.shape[d];
    }

    /** Sorted values and indices along d (wrapped), without history. */
    private static ValuesIndices sorted(Tensor x, int d, boolean descending) {
        Tensor values = x.newEmptyShared(x.dtype, x.shape);
        Tensor indices = x.newEmptyShared(DType.INT64, x.shape);
        if (x.numel() > 0) {
            Dispatch.sort(x, d, descending, values, indices);
        }
        return new ValuesIndices(values, indices);
    }

    /** The gradient of the input: {@code g} (shaped as {@code idx}) scattered along d to the positions idx names. */
    private static Tensor scatterBack(Tensor g, Tensor idx, int d, int[] shape, DType dt) {
        if (shape.length == 0) {
            return g;
        }
        return g.newEmptyShared(dt, shape).scatter(d, idx, g);
    }

    private static ValuesIndices record(String name, Tensor x, ValuesIndices r, int d, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) {
            return r;
        }
        int[] shape = x.shape;
        DType dt = x.dtype;
        Tensor idx = r.indices();
        boolean squeezed = !keepdim && shape.length > 0;
        FnNode.record1(name, r.values(), x, (g, s) -> new Tensor[] {
            scatterBack(squeezed ? g.unsqueeze(d) : g, squeezed ? idx.unsqueeze(d) : idx, d, shape, dt)});
        return r;
    }

    /** {@code torch.sort(x, dim, descending)}, or with {@code stable} given, {@code torch.sort(x, stable=...)}. */
    static ValuesIndices sort(Tensor x, Boolean stable, int dim, boolean descending) {
        int d = Shapes.wrapDim(dim, x.dim());
        ValuesIndices r;
        try (var _ = Autograd.noGrad()) {
            r = sorted(x, d, descending);
        }
        // the one sort is stable, so stable=False gives the stable order too (PyTorch leaves ties unspecified)
        return record(stable == null ? "SortBackward0" : "SortBackward1", x, r, d, true);
    }

    static Tensor argsort(Tensor x, int dim, boolean descending) {
        try (var _ = Autograd.noGrad()) {
            return sorted(x, Shapes.wrapDim(dim, x.dim()), descending).indices();
        }
    }

    /** PyTorch's refusal of a dtype its CPU kernel of {@code op} lacks (bool for topk and kthvalue). */
    private static void checkNotBool(Tensor x, String op) {
        if (x.dtype == DType.BOOL) {
            throw new IllegalArgumentException("\"" + op + "_cpu\" not implemented for 'Bool'");
        }
    }

    static ValuesIndices topk(Tensor x, int k, int dim, boolean largest, boolean sorted) {
        checkNotBool(x, "topk");
        int d = Shapes.wrapDim(dim, x.dim());
        int n = length(x, d);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("selected index k out of range");
        }
        ValuesIndices r;
        try (var _ = Autograd.noGrad()) {
            ValuesIndices all = sorted(x, d, largest);
            // sorted=False may return the k elements in any order (PyTorch's is unspecified): they come sorted.
            // A 0-dim input keeps its one element for k 0 or 1, as PyTorch's topk does.
            r = x.dim() == 0 || k == n ? all
                    : new ValuesIndices(all.values().narrow(d, 0, k).contiguous(),
                            all.indices().narrow(d, 0, k).contiguous());
        }
        return record("TopkBackward0", x, r, d, true);
    }

    static ValuesIndices kthvalue(Tensor x, int k, int dim, boolean keepdim) {
        checkNotBool(x, "kthvalue");
        int d = Shapes.wrapDim(dim, x.dim());
        int n = length(x, d);
        if (n == 0) {
            throw new IndexOutOfBoundsException("kthvalue(): Expected reduction dim " + d + " to have non-zero size.");
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("kthvalue(): selected number k out of range for dimension " + d);
        }
        ValuesIndices r;
        try (var _ = Autograd.noGrad()) {
            ValuesIndices all = sorted(x, d, false);
            if (x.dim() == 0) {
                r = all;
            } else if (keepdim) {
                r = new ValuesIndices(all.values().narrow(d, k - 1, 1).contiguous(),
                        all.indices().narrow(d, k - 1, 1).contiguous());
            } else {
                r = new ValuesIndices(all.values().select(d, k - 1).contiguous(),
                        all.indices().select(d, k - 1).contiguous());
            }
        }
        return record("KthvalueBackward0", x, r, d, keepdim);
    }
}
