package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;

/** index_select, index_add, gather, scatter, scatter_add and masked_fill with their checks and backward rules. */
final class IndexOps {
    private IndexOps() {
    }

    static Tensor flatView(Tensor t, int i) {
        int off = t.offset;
        for (int d = t.dim() - 1; d >= 0; d--) {
            off += (i % t.shape[d]) * t.stride[d];
            i /= t.shape[d];
        }
        return new Tensor(t.storage, Shapes.SCALAR, Shapes.SCALAR, off);
    }

    private static void checkIndex(String op, Tensor index) {
        if (index.dtype != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype);
        }
    }

    /**
     * The index with every entry checked against [-size, size) and negative entries wrapped (PyTorch accepts
     * them in index_select and gather); the index itself when none is negative. One pass over the values.
     */
    private static Tensor checkedIndex(String op, Tensor index, int size, int dim) {
        if (index.numel() == 0) {
            return index;
        }
        long[] v = index.toLongArray();
        boolean neg = false;
        for (long x : v) {
            if (x < -size || x >= size) {
                throw new IndexOutOfBoundsException(op + "(): index " + x + " is out of bounds for dimension " + dim
                        + " with size " + size);
            }
            neg |= x < 0;
        }
        if (!neg) {
            return index;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] < 0 ? v[i] + size : v[i];
        }
        return Torch.tensor(v, index.shape);
    }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        ElementwiseOps.checkDevices(t, index);
        checkIndex("index_select", index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got shape "
                    + Shapes.str(index.shape));
        }
        int d = Shapes.wrapDim(dim, t.dim());
        int size = t.dim() == 0 ? 1 : t.shape[d];
        Tensor idx = checkedIndex("index_select", index, size, d);
        int[] sh = t.dim() == 0 ? Shapes.SCALAR : t.shape.clone();
        if (t.dim() > 0) {
            sh[d] = idx.numel();
        }
        Tensor out = t.newEmptyShared(t.dtype, sh);
        t.backend().index(Op.INDEX_SELECT, t, d, idx, null, out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("IndexSelectBackward0", out, t,
                (g, s) -> new Tensor[] {g.newEmptyShared(dt, old).indexAdd(d, idx, g)});
    }

    static Tensor indexAdd(Tensor t, int dim, Tensor index, Tensor src) {
        ElementwiseOps.checkDevices(t, index);
        ElementwiseOps.checkDevices(t, src);
        checkIndex("index_add", index);
        int d = Shapes.wrapDim(dim, t.dim());
        Tensor idx = checkedIndex("index_add", index, t.shape[d], d);
        if (src.dim() != t.dim() || src.shape[d] != index.numel()) {
            throw new IllegalArgumentException("index_add_(): source of shape " + Shapes.str(src.shape)
                    + " does not match self of shape " + Shapes.str(t.shape) + " with " + index.numel()
                    + " indices along dim " + d);
        }
        for (int k = 0; k < t.dim(); k++) {
            if (k != d && src.shape[k] != t.shape[k]) {
                throw new IllegalArgumentException("index_add_(): self (" + Shapes.str(t.shape) + ") and source ("
                        + Shapes.str(src.shape) + ") must match except along dim " + d);
            }
        }
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = t.clone();
        }
        t.backend().index(Op.INDEX_ADD, t, d, idx, src.dtype == t.dtype ? src : src.to(t.dtype), out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        boolean ns = src.requiresGrad();
        boolean nt = t.requiresGrad();
        return FnNode.record("IndexAddBackward0", out, new Tensor[] {t, src}, (g, s) -> new Tensor[] {
            nt ? g : null, ns ? g.indexSelect(d, idx) : null});
    }

    private static void checkGatherShapes(String op, Tensor self, int d, Tensor index, Tensor src) {
        if (index.dim() != self.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as "
                    + (op.equals("gather") ? "input" : "self") + " tensor (index " + Shapes.str(index.shape)
                    + ", self " + Shapes.str(self.shape) + ")");
        }
        for (int k = 0; k < self.dim(); k++) {
            if (k != d && index.shape[k] > self.shape[k]) {
                throw new IllegalArgumentException("Size does not match at dimension " + k + " expected index "
                        + Shapes.str(index.shape) + " to be smaller than self " + Shapes.str(self.shape)
                        + " apart from dimension " + d);
            }
            if (src != null && index.shape[k] > src.shape[k]) {
                throw new IllegalArgumentException("Expected index " + Shapes.str(index.shape) + " to be smaller "
                        + "than self " + Shapes.str(self.shape) + " apart from dimension " + d + " and to be smaller "
                        + "size than src " + Shapes.str(src.shape));
            }
        }
    }

    static Tensor gather(Tensor t, int dim, Tensor index) {
        ElementwiseOps.checkDevices(t, index);
        checkIndex("gather", index);
        int d = Shapes.wrapDim(dim, t.dim());
        checkGatherShapes("gather", t, d, index, null);
        Tensor idx = checkedIndex("gather", index, t.shape[d], d);
        Tensor out = t.newEmptyShared(t.dtype, index.shape);
        t.backend().index(Op.GATHER, t, d, idx, null, out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("GatherBackward0", out, t,
                (g, s) -> new Tensor[] {g.newEmptyShared(dt, old).scatterAdd(d, idx, g)});
    }

    static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, boolean add) {
        ElementwiseOps.checkDevices(t, index);
        ElementwiseOps.checkDevices(t, src);
        String op = add ? "scatter_add" : "scatter";
        checkIndex(op, index);
        int d = Shapes.wrapDim(dim, t.dim());
        checkGatherShapes(op, t, d, index, src);
        Tensor idx = checkedIndex(op, index, t.shape[d], d);
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = t.clone();
        }
        t.backend().index(add ? Op.SCATTER_ADD : Op.SCATTER, t, d, idx, src.dtype == t.dtype ? src : src.to(t.dtype),
                out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        boolean ns = src.requiresGrad();
        boolean nt = t.requiresGrad();
        return FnNode.record(add ? "ScatterAddBackward0" : "ScatterBackward0", out, new Tensor[] {t, src},
                (g, s) -> new Tensor[] {
                    nt ? (add ? g : g.scatter(d, idx, 0.0)) : null,
                    ns ? g.gather(d, idx) : null});
    }

    static Tensor maskedFill(Tensor t, Tensor mask, double value) {
        ElementwiseOps.checkDevices(t, mask);
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + mask.dtype);
        }
        int[] shape = Shapes.broadcast(t.shape, mask.shape);
        Tensor v = t.newFull(Shapes.SCALAR, value, t.dtype);
        Tensor out = t.newEmptyShared(t.dtype, shape);
        t.backend().where(ElementwiseOps.broadcastView(mask, shape), ElementwiseOps.broadcastView(v, shape),
                ElementwiseOps.broadcastView(t, shape), out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("MaskedFillBackward0", out, t,
                (g, s) -> new Tensor[] {ElementwiseOps.reduceGrad(g.maskedFill(s[0], 0.0), old, dt)}, mask);
    }
}
