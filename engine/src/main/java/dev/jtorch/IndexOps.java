package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;
import dev.jtorch.internal.Numel;

import java.util.function.LongFunction;

/**
 * index_select, index_add, gather, scatter, scatter_add and masked_fill with their checks and backward rules.
 * Indices must lie in [0, size): a negative one is refused with PyTorch's message, as PyTorch does.
 */
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
     * Checks every entry of the index against [0, size) before anything is computed or written: PyTorch's
     * index_select, index_add, gather and scatter refuse negative indices (unlike {@code x[-1]}, index_fill,
     * take and put). {@code message} words the first bad entry as PyTorch does.
     */
    private static void checkRange(Tensor index, int size, LongFunction<String> message) {
        if (index.numel() == 0 || inRangeOnDevice(index, size)) {
            return;
        }
        for (long x : index.toLongArray()) {
            if (x < 0 || x >= size) {
                throw new IndexOutOfBoundsException(message.apply(x));
            }
        }
    }

    /**
     * For indices off the CPU: true when their minimum and maximum, reduced on the device (two scalars read
     * back instead of every index), lie in [0, size); false sends the caller to the host scan, which finds the
     * first bad entry for the message (or, on the CPU, scans directly).
     */
    static boolean inRangeOnDevice(Tensor index, long size) {
        if (index.device().equals(Device.CPU)) {
            return false;
        }
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            return index.min().itemLong() >= 0 && index.max().itemLong() < size;
        }
    }

    /** gather, scatter and scatter_add's words for an entry outside [0, size). */
    private static LongFunction<String> outOfBounds(int dim, int size) {
        return x -> "index " + x + " is out of bounds for dimension " + dim + " with size " + size;
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
        // PyTorch 1.13's CPU kernel words a bad index by the path it takes: the dim-1 and empty-self paths of a
        // tensor of two or more dims name the id and the axis, the others only "out of range"
        if (t.dim() > 1 && t.numel() == 0 && size == 0 && index.numel() > 0) {
            throw new IndexOutOfBoundsException("index_select(): self indexing axis dim should be positive");
        }
        boolean bounds = t.dim() > 1 && (d == 1 || t.numel() == 0);
        checkRange(index, size, x -> bounds ? "INDICES element is out of DATA bounds, id=" + x + " axis_dim=" + size
                : "index out of range in self");
        int[] sh = t.dim() == 0 ? Shapes.SCALAR : t.shape.clone();
        if (t.dim() > 0) {
            sh[d] = Numel.of(index);
        }
        Tensor out = t.newEmptyShared(t.dtype, sh);
        Dispatch.index(Op.INDEX_SELECT, t, d, index, null, out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("IndexSelectBackward0", out, t,
                (g, s) -> new Tensor[] {g.newEmptyShared(dt, old).indexAdd(d, index, g)});
    }

    static Tensor indexAdd(Tensor t, int dim, Tensor index, Tensor src) {
        ElementwiseOps.checkDevices(t, index);
        ElementwiseOps.checkDevices(t, src);
        checkIndex("index_add", index);
        if (t.dim() == 0) {
            // PyTorch indexes a 0-d self as a 1-element vector
            Shapes.wrapDim(dim, 0);
            return indexAdd(t.reshape(1), 0, index.reshape(-1), src.reshape(-1)).reshape();
        }
        int d = Shapes.wrapDim(dim, t.dim());
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
        if (t.dim() > 1 && t.shape[d] == 0 && index.numel() > 0) {
            // PyTorch's slice-by-slice path selects slice 0 of self first
            throw new IndexOutOfBoundsException("select(): index 0 out of range for tensor of size "
                    + Shapes.str(t.shape) + " at dimension " + d);
        }
        checkRange(index, t.shape[d], x -> "index out of range in self");
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = t.clone();
        }
        Dispatch.index(Op.INDEX_ADD, t, d, index, src.dtype == t.dtype ? src : src.to(t.dtype), out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        boolean ns = src.requiresGrad();
        boolean nt = t.requiresGrad();
        return FnNode.record("IndexAddBackward0", out, new Tensor[] {t, src}, (g, s) -> new Tensor[] {
            nt ? g : null, ns ? g.indexSelect(d, index) : null});
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
        int size = t.dim() == 0 ? 1 : t.shape[d];
        checkRange(index, size, outOfBounds(d, size));
        Tensor out = t.newEmptyShared(t.dtype, index.shape);
        Dispatch.index(Op.GATHER, t, d, index, null, out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("GatherBackward0", out, t,
                (g, s) -> new Tensor[] {g.newEmptyShared(dt, old).scatterAdd(d, index, g)});
    }

    static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, boolean add) {
        ElementwiseOps.checkDevices(t, index);
        ElementwiseOps.checkDevices(t, src);
        String op = add ? "scatter_add" : "scatter";
        checkIndex(op, index);
        int d = Shapes.wrapDim(dim, t.dim());
        checkGatherShapes(op, t, d, index, src);
        int size = t.dim() == 0 ? 1 : t.shape[d];
        checkRange(index, size, outOfBounds(d, size));
        Tensor out;
        try (var _ = Autograd.noGrad()) {
            out = t.clone();
        }
        Dispatch.index(add ? Op.SCATTER_ADD : Op.SCATTER, t, d, index, src.dtype == t.dtype ? src : src.to(t.dtype),
                out);
        if (!t.dtype.isFloatingPoint()) {
            return out;
        }
        boolean ns = src.requiresGrad();
        boolean nt = t.requiresGrad();
        return FnNode.record(add ? "ScatterAddBackward0" : "ScatterBackward0", out, new Tensor[] {t, src},
                (g, s) -> new Tensor[] {
                    nt ? (add ? g : g.scatter(d, index, 0.0)) : null,
                    ns ? g.gather(d, index) : null});
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
        Dispatch.where(ElementwiseOps.broadcastView(mask, shape), ElementwiseOps.broadcastView(v, shape),
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
