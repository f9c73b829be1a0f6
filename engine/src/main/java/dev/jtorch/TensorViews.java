package dev.jtorch;

/**
 * The views, joins and indexing API of {@link Tensor}, kept apart from the tensor's state by topic: users call these methods on a
 * Tensor (the only subclass), and each body delegates to the ops class that implements it.
 */
abstract class TensorViews extends TensorAlgebra {
    // ---------------------------------------------------------------- views and joins

    /** A view with a new shape (one dim may be -1); fails if the strides do not allow it. */
    public Tensor view(int... newShape) {
        return ShapeOps.view(self(), newShape);
    }

    /** A view when the strides allow it, else a copy. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(self(), newShape);
    }

    /** {@code view(other.shape())}. */
    public Tensor viewAs(Tensor other) {
        return view(other.shape());
    }

    /** {@code reshape(other.shape())}. */
    public Tensor reshapeAs(Tensor other) {
        return reshape(other.shape());
    }

    /** Flattens all dims into one. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Flattens dims {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        return ShapeOps.flatten(self(), startDim, endDim);
    }

    /** Splits dim into {@code sizes} (one may be -1). */
    public Tensor unflatten(int dim, int... sizes) {
        return ShapeOps.unflatten(self(), dim, sizes);
    }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) {
        return ShapeOps.transpose(self(), dim0, dim1);
    }

    /** Transpose of a tensor of at most 2 dims. */
    public Tensor t() {
        if (self().dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + self().dim() + "D");
        }
        return self().dim() < 2 ? ShapeOps.alias(self()) : transpose(0, 1);
    }

    /** Reorders dims (a view). */
    public Tensor permute(int... dims) {
        return ShapeOps.permute(self(), dims);
    }

    /** Elements {@code start .. start+length-1} of a dim (a view). */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(self(), dim, start, length);
    }

    /** Index {@code index} of a dim, removing it (a view). */
    public Tensor select(int dim, int index) {
        return ShapeOps.select(self(), dim, index);
    }

    /** Python's {@code t[..., start:end:step, ...]} on one dim (a view); end is clamped. */
    public Tensor slice(int dim, int start, int end, int step) {
        return ShapeOps.slice(self(), dim, start, end, step);
    }

    /** {@code slice(dim, start, end, 1)}. */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** Broadcasts to a larger shape without copying (-1 keeps a size). */
    public Tensor expand(int... sizes) {
        return ShapeOps.expand(self(), sizes);
    }

    /** {@code expand(other.shape())}. */
    public Tensor expandAs(Tensor other) {
        return expand(other.shape());
    }

    /** Removes all dims of size 1. */
    public Tensor squeeze() {
        return ShapeOps.squeeze(self(), null);
    }

    /** Removes a dim if its size is 1. */
    public Tensor squeeze(int dim) {
        return ShapeOps.squeeze(self(), dim);
    }

    /** Inserts a dim of size 1. */
    public Tensor unsqueeze(int dim) {
        return ShapeOps.unsqueeze(self(), dim);
    }

    /** A view with explicit sizes, strides and storage offset ({@code as_strided}). */
    public Tensor asStrided(int[] size, int[] strides, int storageOffset) {
        return ShapeOps.asStrided(self(), size, strides, storageOffset);
    }

    /** Splits into chunks of {@code splitSize} along dim (the last may be smaller). */
    public Tensor[] split(int splitSize, int dim) {
        return ShapeOps.split(self(), splitSize, dim);
    }

    /** Splits into pieces of the given sizes along dim. */
    public Tensor[] splitWithSizes(int[] sizes, int dim) {
        return ShapeOps.splitWithSizes(self(), sizes, dim);
    }

    /** Splits into {@code chunks} nearly equal pieces along dim. */
    public Tensor[] chunk(int chunks, int dim) {
        return ShapeOps.chunk(self(), chunks, dim);
    }

    /** All slices along dim ({@code unbind}). */
    public Tensor[] unbind(int dim) {
        return ShapeOps.unbind(self(), dim);
    }

    /** Repeats the tensor along each dim ({@code repeat}). */
    public Tensor repeat(int... repeats) {
        return ShapeOps.repeat(self(), repeats);
    }

    /** Entries of dim at the int64 {@code index} positions. */
    public Tensor indexSelect(int dim, Tensor index) {
        return IndexOps.indexSelect(self(), dim, index);
    }

    /** {@code out[i][j] = self[index[i][j]][j]} for dim 0, and so on. */
    public Tensor gather(int dim, Tensor index) {
        return IndexOps.gather(self(), dim, index);
    }

    /** A copy with {@code src} values written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return IndexOps.scatter(self(), dim, index, src, false);
    }

    /** A copy with {@code value} written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, double value) {
        return IndexOps.scatter(self(), dim, index, self().newFull(index.shape, value, self().dtype), false);
    }

    /** A copy with {@code src} values added at {@code index} along dim. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return IndexOps.scatter(self(), dim, index, src, true);
    }

    /** In-place {@link #scatter(int, Tensor, Tensor)}. */
    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return ElementwiseOps.inplace(self(), "scatter_", t -> t.scatter(dim, index, src));
    }

    /** In-place {@link #scatterAdd}. */
    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return ElementwiseOps.inplace(self(), "scatter_add_", t -> t.scatterAdd(dim, index, src));
    }

    /** A copy with {@code source} slices added at {@code index} along dim ({@code index_add}). */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) {
        return IndexOps.indexAdd(self(), dim, index, source);
    }

    /** A copy with {@code value} where the bool {@code mask} (broadcast) is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        return IndexOps.maskedFill(self(), mask, value);
    }

    /** In-place {@link #maskedFill}. */
    public Tensor maskedFill_(Tensor mask, double value) {
        return ElementwiseOps.inplace(self(), "masked_fill_", t -> t.maskedFill(mask, value));
    }

    /** {@code where(condition, this, other)}. */
    public Tensor where(Tensor condition, Tensor other) {
        return Torch.where(condition, self(), other);
    }

    // ---------------------------------------------------------------- elements

    /**
     * The element at {@code index} as a double, one index per dim (negative ones count from the end): PyTorch's
     * {@code x[i, j].item()}. A 0-dim tensor takes no index. On a device the element alone is read back.
     */
    public double get(int... index) {
        return element(index, "get").item();
    }

    /** {@link #get} of an integer (or bool) tensor, exactly: {@code x[i, j].item()} as a long. */
    public long getLong(int... index) {
        return element(index, "getLong").itemLong();
    }

    /**
     * Sets the element at {@code index} to {@code value} in place ({@code x[i, j] = value}), converted to the
     * tensor's dtype; fails as other in-place ops do on a leaf that requires grad.
     */
    public Tensor set_(double value, int... index) {
        Tensor t = self();
        if (dev.jtorch.autograd.Autograd.isGradEnabled() && t.isLeaf() && t.requiresGrad()) {
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an "
                    + "in-place operation.");
        }
        element(index, "set_").fill_(value);
        return self();
    }

    private Tensor element(int[] index, String what) {
        Tensor t = self();
        if (index.length != t.dim()) {
            throw new IllegalArgumentException(what + ": a tensor of shape " + Shapes.str(t.shape())
                    + " takes " + t.dim() + " indices, got " + index.length);
        }
        for (int d = 0; d < index.length; d++) {
            int size = t.size(0);
            int i = index[d];
            if (i < -size || i >= size) {
                throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + d
                        + " with size " + size);
            }
            t = t.select(0, i);
        }
        return t;
    }
}
