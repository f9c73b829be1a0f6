package dev.jtorch;

import dev.jtorch.autograd.AccumulateGrad;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.RemovableHandle;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.Storage;
import dev.jtorch.internal.TensorAccess;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A multi-dimensional array with autograd, like {@code torch.Tensor}: a strided view (shape, stride, offset)
 * of a {@link Storage} of one {@link DType} on one {@link Device}.
 *
 * <p>Views ({@link #view}, {@link #transpose}, {@link #narrow}, {@link #expand}, ...) share storage; in-place
 * ops end in an underscore ({@link #add_}, {@link #zero_}) and bump the storage's version counter. Binary ops
 * broadcast as NumPy does and promote dtypes as {@code torch.result_type}. Create tensors with {@link Torch}.
 *
 * <p>Thread safety: reading a tensor (any out-of-place op, including forward passes under
 * {@link Autograd#noGrad()}) from many threads at once is safe; in-place ops and backward on a shared tensor
 * need external synchronisation, as in PyTorch.
 *
 * <p>Example:
 * <pre>{@code
 * Tensor w = Torch.randn(3, 2).requiresGrad_(true);
 * Tensor y = Torch.ones(4, 3).matmul(w).tanh().sum();
 * y.backward();
 * System.out.println(w.grad());
 * }</pre>
 */
public class Tensor {
    static {
        TensorAccess.install(new Access());
    }

    Storage storage;
    int[] shape;
    int[] stride;
    int offset;
    DType dtype;
    /** The tensor this one is a view of (for in-place checks), or null. */
    Tensor base;
    boolean wrappedNumber;
    /** The value of a wrapped Java number (a scalar operand such as the 2 in {@code x.mul(2)}). */
    double wrappedValue;
    private boolean leafRequiresGrad;
    private Node gradFn;
    private int outputNr;
    private Tensor grad;
    private boolean retainsGrad;
    private volatile AccumulateGrad accumulator;
    /** Cached isContiguous(): 0 unknown, 1 yes, 2 no (shape and stride never change). */
    private byte contiguity;

    Tensor(Storage storage, int[] shape, int[] stride, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
        this.dtype = storage.dtype();
    }

    /**
     * A leaf sharing {@code data}'s storage and layout, without its history: the constructor for subclasses
     * such as {@code dev.jtorch.nn.Parameter}.
     */
    protected Tensor(Tensor data) {
        this(data.storage, data.shape, data.stride, data.offset);
    }

    /**
     * Replaces the data this tensor views ({@code tensor.data = other} in PyTorch): storage, shape, strides
     * and dtype become other's; the autograd state stays. Modules use it to convert parameters in place, so
     * that optimizers holding them keep working. Not thread-safe against concurrent readers.
     */
    public void setData(Tensor other) {
        if (!other.device().equals(device()) && gradFn != null) {
            throw new IllegalArgumentException("setData: cannot move a non-leaf between devices");
        }
        this.storage = other.storage;
        this.shape = other.shape;
        this.stride = other.stride;
        this.offset = other.offset;
        this.dtype = other.dtype;
        this.contiguity = 0;
    }

    /** The data without history ({@code tensor.data}): a detached alias sharing storage. */
    public Tensor data() {
        return detach();
    }

    /**
     * A tensor over an existing storage (no copy), for backends and io; {@code stride} null means contiguous.
     * Bounds are checked against the storage.
     */
    public static Tensor fromStorage(Storage storage, int[] shape, int[] stride, int offset) {
        int[] sh = shape.clone();
        int[] st = stride == null ? Shapes.contiguousStrides(sh) : stride.clone();
        checkBounds(storage, sh, st, offset);
        return new Tensor(storage, sh, st, offset);
    }

    static void checkBounds(Storage storage, int[] shape, int[] stride, int offset) {
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " and stride " + Shapes.str(stride)
                    + " differ in length");
        }
        long max = offset;
        long min = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("negative dimension " + shape[i] + " in " + Shapes.str(shape));
            }
            if (shape[i] == 0) {
                return;
            }
            long ext = (long) (shape[i] - 1) * stride[i];
            if (ext >= 0) {
                max += ext;
            } else {
                min += ext;
            }
        }
        if (min < 0 || max >= storage.size()) {
            throw new IllegalArgumentException("setStorage: view of shape " + Shapes.str(shape) + " with stride "
                    + Shapes.str(stride) + " and offset " + offset + " is out of bounds for storage of size "
                    + storage.size());
        }
    }

    // ---------------------------------------------------------------- metadata

    /** The shape (a copy), like {@code tensor.shape}. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dim (negative dims count from the end). */
    public int size(int dim) {
        return shape[Shapes.wrapDim(dim, shape.length)];
    }

    /** The strides in elements (a copy). */
    public int[] stride() {
        return stride.clone();
    }

    /** The offset of element 0 in the storage. */
    public int storageOffset() {
        return offset;
    }

    /** The underlying storage (shared by all views). */
    public Storage storage() {
        return storage;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The device of the storage. */
    public Device device() {
        return storage.device();
    }

    Backend backend() {
        return storage.backend();
    }

    /** Number of dims. */
    public int dim() {
        return shape.length;
    }

    /** Number of elements. */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** True when the elements lie in row-major order without gaps. */
    public boolean isContiguous() {
        byte c = contiguity;
        if (c == 0) {
            c = Shapes.isContiguous(shape, stride) ? (byte) 1 : (byte) 2;
            contiguity = c;
        }
        return c == 1;
    }

    /** True for floating point dtypes. */
    public boolean isFloatingPoint() {
        return dtype.isFloatingPoint();
    }

    /** PyTorch's legacy type name, e.g. {@code torch.FloatTensor}. */
    public String typeName() {
        return switch (dtype) {
            case FLOAT32 -> "torch.FloatTensor";
            case FLOAT64 -> "torch.DoubleTensor";
            case INT64 -> "torch.LongTensor";
            case BOOL -> "torch.BoolTensor";
            case FLOAT16 -> "torch.HalfTensor";
            case BFLOAT16 -> "torch.BFloat16Tensor";
        };
    }

    /** A zero-filled tensor on this tensor's device ({@code new_empty}; PyTorch leaves it uninitialised). */
    public Tensor newEmpty(DType dt, int... size) {
        return newEmptyShared(dt, size.clone());
    }

    /** {@code new_zeros}: zeros on this tensor's device. */
    public Tensor newZeros(DType dt, int... size) {
        return newEmpty(dt, size);
    }

    /** {@code new_full}: {@code value} everywhere, on this tensor's device. */
    public Tensor newFull(int[] size, double value, DType dt) {
        Tensor t = newEmpty(dt, size);
        if (value != 0) {
            t.backend().fill(t, value);
        }
        return t;
    }

    /** {@code new_ones}: ones on this tensor's device. */
    public Tensor newOnes(DType dt, int... size) {
        return newFull(size, 1, dt);
    }

    /** Allocation on this device keeping the shape array (never mutated by the engine). */
    Tensor newEmptyShared(DType dt, int[] size) {
        return new Tensor(backend().allocate(dt, Shapes.numel(size)), size, Shapes.contiguousStrides(size), 0);
    }

    // ---------------------------------------------------------------- autograd

    /** True if gradients flow into or through this tensor. */
    public boolean requiresGrad() {
        return leafRequiresGrad || gradFn != null;
    }

    /**
     * Sets requiresGrad on a leaf ({@code tensor.requires_grad_()}); returns this. Only floating point
     * tensors can require gradients, and a non-leaf cannot be switched off.
     */
    public Tensor requiresGrad_(boolean requires) {
        if (gradFn != null) {
            if (!requires) {
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you "
                        + "want to use a computed variable in a subgraph that doesn't require differentiation use "
                        + "var_no_grad = var.detach().");
            }
            return this;
        }
        if (requires && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got "
                    + dtype);
        }
        leafRequiresGrad = requires;
        return this;
    }

    /** The accumulated gradient ({@code .grad}), or null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient ({@code tensor.grad = g}); null clears it. */
    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.shape, shape) || g.dtype != dtype || !g.device().equals(device()))) {
            throw new IllegalArgumentException("assigned grad has data of a different size, type or device: "
                    + "expected " + Shapes.str(shape) + " " + dtype + " on " + device() + ", got "
                    + Shapes.str(g.shape) + " " + g.dtype + " on " + g.device());
        }
        grad = g;
    }

    /** The node that produced this tensor ({@code grad_fn}), or null for leaves. */
    public Node gradFn() {
        return gradFn;
    }

    /** Which output of {@link #gradFn()} this tensor is. */
    public int outputNr() {
        return outputNr;
    }

    /** True for tensors created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keeps the gradient of this non-leaf in {@link #grad()} during backward ({@code retain_grad()}). */
    public void retainGrad() {
        if (!requiresGrad()) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        if (isLeaf() || retainsGrad) {
            return;
        }
        retainsGrad = true;
        gradFn.registerPreHook(outputNr, g -> {
            synchronized (this) {
                grad = grad == null ? g.detach().clone() : grad.add(g);
            }
            return null;
        });
    }

    /** Whether {@link #retainGrad()} was called on this non-leaf. */
    public boolean retainsGrad() {
        return retainsGrad;
    }

    /**
     * Registers a hook called with this tensor's gradient during backward; it may return a replacement or null
     * ({@code tensor.register_hook}). Returns a handle whose remove() unregisters it.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad()) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        Node target = gradFn != null ? gradFn : accumulator();
        return target.registerPreHook(gradFn != null ? outputNr : 0, hook);
    }

    private AccumulateGrad accumulator() {
        AccumulateGrad a = accumulator;
        if (a != null) {
            return a;
        }
        synchronized (this) {
            if (accumulator == null) {
                accumulator = new AccumulateGrad(this);
            }
            return accumulator;
        }
    }

    /** Backward from a one-element tensor with gradient 1, freeing the graph. */
    public void backward() {
        backward(null, false);
    }

    /** Backward with an output gradient of this tensor's shape (null for 1), optionally keeping the graph. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph);
    }

    /** Backward with an output gradient, freeing the graph. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** A tensor sharing storage but cut from the graph ({@code detach()}). */
    public Tensor detach() {
        Tensor t = new Tensor(storage, shape, stride, offset);
        t.base = base != null ? base : this;
        return t;
    }

    /** Cuts this tensor from the graph in place; returns this. */
    public Tensor detach_() {
        gradFn = null;
        leafRequiresGrad = false;
        return this;
    }

    void setHistory(Node node, int nr) {
        gradFn = node;
        outputNr = nr;
    }

    void checkInplace() {
        if (!Autograd.isGradEnabled()) {
            return;
        }
        if (isLeaf() && leafRequiresGrad) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place "
                    + "operation.");
        }
    }

    // ---------------------------------------------------------------- data

    /** The value of a one-element tensor as a double ({@code item()}). */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return toDoubleArray()[0];
    }

    /** The value of a one-element integer tensor. */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return toLongArray()[0];
    }

    private Object hostArray(DType as) {
        Tensor c = this;
        if (c.dtype != as || !c.isContiguous()) {
            try (var g = Autograd.noGrad()) {
                c = c.to(as).contiguous();
            }
        }
        return c.backend().toHost(c.storage, c.offset, c.numel());
    }

    /** The elements in row-major order as floats (a copy). */
    public float[] toFloatArray() {
        return (float[]) hostArray(DType.FLOAT32);
    }

    /** The elements in row-major order as doubles (a copy). */
    public double[] toDoubleArray() {
        return (double[]) hostArray(DType.FLOAT64);
    }

    /** The elements in row-major order as longs (a copy; floats truncate toward zero). */
    public long[] toLongArray() {
        return (long[]) hostArray(DType.INT64);
    }

    /** The elements in row-major order as booleans (a copy; nonzero is true). */
    public boolean[] toBooleanArray() {
        return (boolean[]) hostArray(DType.BOOL);
    }

    /** The raw bits of a float16 or bfloat16 tensor in row-major order. */
    public short[] toHalfBits() {
        if (dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalStateException("toHalfBits needs a float16 or bfloat16 tensor, got " + dtype);
        }
        return (short[]) hostArray(dtype);
    }

    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    /** A copy converted to {@code dtype} (this tensor when it already has it), differentiable. */
    public Tensor to(DType dt) {
        if (dt == dtype) {
            return this;
        }
        Tensor out = newEmptyShared(dt, shape);
        backend().copy(this, out);
        if (dt.isFloatingPoint()) {
            DType from = dtype;
            FnNode.record1("ToCopyBackward0", out, this, (g, s) -> new Tensor[] {g.to(from)});
        }
        return out;
    }

    /** This tensor on {@code device} (a copy unless already there). */
    public Tensor to(Device d) {
        if (d.equals(device())) {
            return this;
        }
        throw new UnsupportedOperationException("no backend is available for device " + d
                + " in this build; tensors can live on cpu");
    }

    /** This tensor on the CPU. */
    public Tensor cpu() {
        return to(Device.CPU);
    }

    /** {@code to(FLOAT32)}. */
    public Tensor float_() {
        return to(DType.FLOAT32);
    }

    /** {@code to(FLOAT64)}. */
    public Tensor double_() {
        return to(DType.FLOAT64);
    }

    /** {@code to(INT64)}. */
    public Tensor long_() {
        return to(DType.INT64);
    }

    /** {@code to(BOOL)}. */
    public Tensor bool_() {
        return to(DType.BOOL);
    }

    /** {@code to(FLOAT16)}. */
    public Tensor half() {
        return to(DType.FLOAT16);
    }

    /** A contiguous tensor with the same values (this one when already contiguous). */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A copy with its own storage, differentiable ({@code clone()}). */
    @Override
    @SuppressWarnings("MethodDoesntCallSuperMethod")
    public Tensor clone() {
        Tensor out = newEmptyShared(dtype, shape);
        backend().copy(this, out);
        return FnNode.record1("CloneBackward0", out, this, (g, s) -> new Tensor[] {g});
    }

    /** Copies {@code src} (broadcast to this shape, any dtype) into this tensor; returns this. */
    public Tensor copy_(Tensor src) {
        return ElementwiseOps.copyInto(this, src);
    }

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill_(double value) {
        checkInplace();
        ElementwiseOps.checkNoGradView(this, "fill_");
        backend().fill(this, value);
        storage.bumpVersion();
        if (requiresGrad() && Autograd.isGradEnabled()) {
            Tensor z = ElementwiseOps.detachedZeros(this);
            Tensor out = FnNode.record1("FillBackward0", z, this, (g, s) -> new Tensor[] {g.mul(0)});
            setHistory(out.gradFn(), 0);
        }
        return this;
    }

    /** Sets every element to zero; returns this. */
    public Tensor zero_() {
        return fill_(0);
    }

    // ---------------------------------------------------------------- views and joins

    /** A view with a new shape (one dim may be -1); fails if the strides do not allow it. */
    public Tensor view(int... newShape) {
        return ShapeOps.view(this, newShape);
    }

    /** A view when the strides allow it, else a copy. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** {@code view(other.shape())}. */
    public Tensor viewAs(Tensor other) {
        return view(other.shape);
    }

    /** {@code reshape(other.shape())}. */
    public Tensor reshapeAs(Tensor other) {
        return reshape(other.shape);
    }

    /** Flattens all dims into one. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Flattens dims {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        return ShapeOps.flatten(this, startDim, endDim);
    }

    /** Splits dim into {@code sizes} (one may be -1). */
    public Tensor unflatten(int dim, int... sizes) {
        return ShapeOps.unflatten(this, dim, sizes);
    }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) {
        return ShapeOps.transpose(this, dim0, dim1);
    }

    /** Transpose of a tensor of at most 2 dims. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? ShapeOps.alias(this) : transpose(0, 1);
    }

    /** Reorders dims (a view). */
    public Tensor permute(int... dims) {
        return ShapeOps.permute(this, dims);
    }

    /** Elements {@code start .. start+length-1} of a dim (a view). */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    /** Index {@code index} of a dim, removing it (a view). */
    public Tensor select(int dim, int index) {
        return ShapeOps.select(this, dim, index);
    }

    /** Python's {@code t[..., start:end:step, ...]} on one dim (a view); end is clamped. */
    public Tensor slice(int dim, int start, int end, int step) {
        return ShapeOps.slice(this, dim, start, end, step);
    }

    /** {@code slice(dim, start, end, 1)}. */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** Broadcasts to a larger shape without copying (-1 keeps a size). */
    public Tensor expand(int... sizes) {
        return ShapeOps.expand(this, sizes);
    }

    /** {@code expand(other.shape())}. */
    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /** Removes all dims of size 1. */
    public Tensor squeeze() {
        return ShapeOps.squeeze(this, null);
    }

    /** Removes a dim if its size is 1. */
    public Tensor squeeze(int dim) {
        return ShapeOps.squeeze(this, dim);
    }

    /** Inserts a dim of size 1. */
    public Tensor unsqueeze(int dim) {
        return ShapeOps.unsqueeze(this, dim);
    }

    /** A view with explicit sizes, strides and storage offset ({@code as_strided}). */
    public Tensor asStrided(int[] size, int[] strides, int storageOffset) {
        return ShapeOps.asStrided(this, size, strides, storageOffset);
    }

    /** Splits into chunks of {@code splitSize} along dim (the last may be smaller). */
    public Tensor[] split(int splitSize, int dim) {
        return ShapeOps.split(this, splitSize, dim);
    }

    /** Splits into pieces of the given sizes along dim. */
    public Tensor[] splitWithSizes(int[] sizes, int dim) {
        return ShapeOps.splitWithSizes(this, sizes, dim);
    }

    /** Splits into {@code chunks} nearly equal pieces along dim. */
    public Tensor[] chunk(int chunks, int dim) {
        return ShapeOps.chunk(this, chunks, dim);
    }

    /** All slices along dim ({@code unbind}). */
    public Tensor[] unbind(int dim) {
        return ShapeOps.unbind(this, dim);
    }

    /** Repeats the tensor along each dim ({@code repeat}). */
    public Tensor repeat(int... repeats) {
        return ShapeOps.repeat(this, repeats);
    }

    /** Entries of dim at the int64 {@code index} positions. */
    public Tensor indexSelect(int dim, Tensor index) {
        return IndexOps.indexSelect(this, dim, index);
    }

    /** {@code out[i][j] = self[index[i][j]][j]} for dim 0, and so on. */
    public Tensor gather(int dim, Tensor index) {
        return IndexOps.gather(this, dim, index);
    }

    /** A copy with {@code src} values written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return IndexOps.scatter(this, dim, index, src, false);
    }

    /** A copy with {@code value} written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, double value) {
        return IndexOps.scatter(this, dim, index, newFull(index.shape, value, dtype), false);
    }

    /** A copy with {@code src} values added at {@code index} along dim. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return IndexOps.scatter(this, dim, index, src, true);
    }

    /** In-place {@link #scatter(int, Tensor, Tensor)}. */
    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return ElementwiseOps.inplace(this, "scatter_", t -> t.scatter(dim, index, src));
    }

    /** In-place {@link #scatterAdd}. */
    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return ElementwiseOps.inplace(this, "scatter_add_", t -> t.scatterAdd(dim, index, src));
    }

    /** A copy with {@code source} slices added at {@code index} along dim ({@code index_add}). */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) {
        return IndexOps.indexAdd(this, dim, index, source);
    }

    /** A copy with {@code value} where the bool {@code mask} (broadcast) is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        return IndexOps.maskedFill(this, mask, value);
    }

    /** In-place {@link #maskedFill}. */
    public Tensor maskedFill_(Tensor mask, double value) {
        return ElementwiseOps.inplace(this, "masked_fill_", t -> t.maskedFill(mask, value));
    }

    /** {@code where(condition, this, other)}. */
    public Tensor where(Tensor condition, Tensor other) {
        return Torch.where(condition, this, other);
    }

    // ---------------------------------------------------------------- elementwise math

    /** {@code this + other}. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.binary(Op.ADD, this, other, 1);
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return ElementwiseOps.binary(Op.ADD, this, other, alpha);
    }

    /** {@code this + s}. */
    public Tensor add(double s) {
        return ElementwiseOps.binary(Op.ADD, this, Torch.scalar(s), 1);
    }

    /** {@code this + s} with an integer scalar (keeps int64). */
    public Tensor add(long s) {
        return ElementwiseOps.binary(Op.ADD, this, Torch.scalar(s), 1);
    }

    /** {@code this - other}. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.binary(Op.SUB, this, other, 1);
    }

    /** {@code this - alpha * other}. */
    public Tensor sub(Tensor other, double alpha) {
        return ElementwiseOps.binary(Op.SUB, this, other, alpha);
    }

    /** {@code this - s}. */
    public Tensor sub(double s) {
        return ElementwiseOps.binary(Op.SUB, this, Torch.scalar(s), 1);
    }

    /** {@code this - s} with an integer scalar. */
    public Tensor sub(long s) {
        return ElementwiseOps.binary(Op.SUB, this, Torch.scalar(s), 1);
    }

    /** {@code s - this} ({@code torch.rsub}). */
    public Tensor rsub(double s) {
        return ElementwiseOps.binary(Op.SUB, Torch.scalar(s), this, 1);
    }

    /** {@code this * other}. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.binary(Op.MUL, this, other, 1);
    }

    /** {@code this * s}. */
    public Tensor mul(double s) {
        return ElementwiseOps.binary(Op.MUL, this, Torch.scalar(s), 1);
    }

    /** {@code this * s} with an integer scalar. */
    public Tensor mul(long s) {
        return ElementwiseOps.binary(Op.MUL, this, Torch.scalar(s), 1);
    }

    /** {@code this / other} (true division: integers give float32). */
    public Tensor div(Tensor other) {
        return ElementwiseOps.binary(Op.DIV, this, other, 1);
    }

    /** {@code this / s}. */
    public Tensor div(double s) {
        return ElementwiseOps.binary(Op.DIV, this, Torch.scalar(s), 1);
    }

    /** {@code this ** other}. */
    public Tensor pow(Tensor other) {
        return ElementwiseOps.binary(Op.POW, this, other, 1);
    }

    /** {@code this ** exponent}. */
    public Tensor pow(double exponent) {
        return ElementwiseOps.powScalar(this, exponent);
    }

    /** Elementwise maximum, propagating NaN. */
    public Tensor maximum(Tensor other) {
        return ElementwiseOps.binary(Op.MAXIMUM, this, other, 1);
    }

    /** Elementwise minimum, propagating NaN. */
    public Tensor minimum(Tensor other) {
        return ElementwiseOps.binary(Op.MINIMUM, this, other, 1);
    }

    /** In-place {@code this += other}. */
    public Tensor add_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.ADD, this, other, 1);
    }

    /** In-place {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) {
        return ElementwiseOps.binaryInplace(Op.ADD, this, other, alpha);
    }

    /** In-place {@code this += s}. */
    public Tensor add_(double s) {
        return ElementwiseOps.binaryInplace(Op.ADD, this, Torch.scalar(s), 1);
    }

    /** In-place {@code this -= other}. */
    public Tensor sub_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.SUB, this, other, 1);
    }

    /** In-place {@code this -= s}. */
    public Tensor sub_(double s) {
        return ElementwiseOps.binaryInplace(Op.SUB, this, Torch.scalar(s), 1);
    }

    /** In-place {@code this *= other}. */
    public Tensor mul_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.MUL, this, other, 1);
    }

    /** In-place {@code this *= s}. */
    public Tensor mul_(double s) {
        return ElementwiseOps.binaryInplace(Op.MUL, this, Torch.scalar(s), 1);
    }

    /** In-place {@code this /= other}. */
    public Tensor div_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.DIV, this, other, 1);
    }

    /** In-place {@code this /= s}. */
    public Tensor div_(double s) {
        return ElementwiseOps.binaryInplace(Op.DIV, this, Torch.scalar(s), 1);
    }

    /** In-place {@code this **= s}. */
    public Tensor pow_(double s) {
        return ElementwiseOps.inplace(this, "pow_", t -> t.pow(s));
    }

    /** In-place clamp. */
    public Tensor clamp_(double min, double max) {
        return ElementwiseOps.inplace(this, "clamp_", t -> t.clamp(min, max));
    }

    /** In-place {@link #clampMin}. */
    public Tensor clampMin_(double min) {
        return clamp_(min, Double.NaN);
    }

    /** In-place {@link #clampMax}. */
    public Tensor clampMax_(double max) {
        return clamp_(Double.NaN, max);
    }

    /** In-place {@link #neg}. */
    public Tensor neg_() {
        return ElementwiseOps.inplace(this, "neg_", Tensor::neg);
    }

    /** In-place {@link #abs}. */
    public Tensor abs_() {
        return ElementwiseOps.inplace(this, "abs_", Tensor::abs);
    }

    /** In-place {@link #exp}. */
    public Tensor exp_() {
        return ElementwiseOps.inplace(this, "exp_", Tensor::exp);
    }

    /** In-place {@link #log}. */
    public Tensor log_() {
        return ElementwiseOps.inplace(this, "log_", Tensor::log);
    }

    /** In-place {@link #sqrt}. */
    public Tensor sqrt_() {
        return ElementwiseOps.inplace(this, "sqrt_", Tensor::sqrt);
    }

    /** In-place {@link #reciprocal}. */
    public Tensor reciprocal_() {
        return ElementwiseOps.inplace(this, "reciprocal_", Tensor::reciprocal);
    }

    /** In-place {@link #sin}. */
    public Tensor sin_() {
        return ElementwiseOps.inplace(this, "sin_", Tensor::sin);
    }

    /** In-place {@link #cos}. */
    public Tensor cos_() {
        return ElementwiseOps.inplace(this, "cos_", Tensor::cos);
    }

    /** In-place {@link #tanh}. */
    public Tensor tanh_() {
        return ElementwiseOps.inplace(this, "tanh_", Tensor::tanh);
    }

    /** In-place {@link #sigmoid}. */
    public Tensor sigmoid_() {
        return ElementwiseOps.inplace(this, "sigmoid_", Tensor::sigmoid);
    }

    /** In-place {@link #relu}. */
    public Tensor relu_() {
        return ElementwiseOps.inplace(this, "relu_", Tensor::relu);
    }

    /** In-place {@link #floor}. */
    public Tensor floor_() {
        return ElementwiseOps.inplace(this, "floor_", Tensor::floor);
    }

    /** In-place {@link #round}. */
    public Tensor round_() {
        return ElementwiseOps.inplace(this, "round_", Tensor::round);
    }

    /** Fills with uniform values in [from, to) from {@code generator} (null: the global one). */
    public Tensor uniform_(double from, double to, Generator generator) {
        checkInplace();
        return Torch.uniform_(this, from, to, generator);
    }

    /** {@code uniform_(from, to)} from the global generator. */
    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, null);
    }

    /** Fills with normal values from {@code generator} (null: the global one). */
    public Tensor normal_(double mean, double std, Generator generator) {
        checkInplace();
        return Torch.normal_(this, mean, std, generator);
    }

    /** {@code normal_(mean, std)} from the global generator. */
    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, null);
    }

    /** Fills with 1 (probability p) or 0, as PyTorch's bernoulli_(p): uniform double draw &lt; p. */
    public Tensor bernoulli_(double p, Generator generator) {
        checkInplace();
        return Torch.bernoulli_(this, p, generator);
    }

    /** {@code bernoulli_(p)} from the global generator. */
    public Tensor bernoulli_(double p) {
        return bernoulli_(p, null);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return ElementwiseOps.unary(Op.NEG, this, 0, 0);
    }

    /** {@code |this|}. */
    public Tensor abs() {
        return ElementwiseOps.unary(Op.ABS, this, 0, 0);
    }

    /** -1, 0 or 1 by sign. */
    public Tensor sign() {
        return ElementwiseOps.unary(Op.SIGN, this, 0, 0);
    }

    /** e^x. */
    public Tensor exp() {
        return ElementwiseOps.unary(Op.EXP, this, 0, 0);
    }

    /** e^x - 1. */
    public Tensor expm1() {
        return ElementwiseOps.unary(Op.EXPM1, this, 0, 0);
    }

    /** Natural log. */
    public Tensor log() {
        return ElementwiseOps.unary(Op.LOG, this, 0, 0);
    }

    /** ln(1 + x). */
    public Tensor log1p() {
        return ElementwiseOps.unary(Op.LOG1P, this, 0, 0);
    }

    /** Square root. */
    public Tensor sqrt() {
        return ElementwiseOps.unary(Op.SQRT, this, 0, 0);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return ElementwiseOps.unary(Op.RSQRT, this, 0, 0);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return ElementwiseOps.unary(Op.RECIPROCAL, this, 0, 0);
    }

    /** x * x. */
    public Tensor square() {
        return mul(this);
    }

    /** Sine. */
    public Tensor sin() {
        return ElementwiseOps.unary(Op.SIN, this, 0, 0);
    }

    /** Cosine. */
    public Tensor cos() {
        return ElementwiseOps.unary(Op.COS, this, 0, 0);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return ElementwiseOps.unary(Op.TANH, this, 0, 0);
    }

    /** Logistic sigmoid. */
    public Tensor sigmoid() {
        return ElementwiseOps.unary(Op.SIGMOID, this, 0, 0);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return ElementwiseOps.unary(Op.RELU, this, 0, 0);
    }

    /** x for x &gt; 0, slope * x otherwise. */
    public Tensor leakyRelu(double negativeSlope) {
        return ElementwiseOps.unary(Op.LEAKY_RELU, this, negativeSlope, 0);
    }

    /** Gauss error function. */
    public Tensor erf() {
        return ElementwiseOps.unary(Op.ERF, this, 0, 0);
    }

    /** GELU, exact ({@code approximate="none"}) or tanh approximation. */
    public Tensor gelu(boolean tanhApproximation) {
        return ElementwiseOps.unary(tanhApproximation ? Op.GELU_TANH : Op.GELU, this, 0, 0);
    }

    /** {@code log(1 + exp(beta x)) / beta}, linear above {@code threshold}. */
    public Tensor softplus(double beta, double threshold) {
        return ElementwiseOps.unary(Op.SOFTPLUS, this, beta, threshold);
    }

    /** Rounds down. */
    public Tensor floor() {
        return ElementwiseOps.unary(Op.FLOOR, this, 0, 0);
    }

    /** Rounds up. */
    public Tensor ceil() {
        return ElementwiseOps.unary(Op.CEIL, this, 0, 0);
    }

    /** Rounds half to even. */
    public Tensor round() {
        return ElementwiseOps.unary(Op.ROUND, this, 0, 0);
    }

    /** Rounds toward zero. */
    public Tensor trunc() {
        return ElementwiseOps.unary(Op.TRUNC, this, 0, 0);
    }

    /** Clamps into [min, max]; NaN for no bound. */
    public Tensor clamp(double min, double max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    /** {@code clamp(min, NaN)}. */
    public Tensor clampMin(double min) {
        return clamp(min, Double.NaN);
    }

    /** {@code clamp(NaN, max)}. */
    public Tensor clampMax(double max) {
        return clamp(Double.NaN, max);
    }

    /** Logical not (bool result). */
    public Tensor logicalNot() {
        return ElementwiseOps.unary(Op.LOGICAL_NOT, this, 0, 0);
    }

    /** True where NaN. */
    public Tensor isnan() {
        return ElementwiseOps.unary(Op.ISNAN, this, 0, 0);
    }

    /** Logical and (bool result). */
    public Tensor logicalAnd(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_AND, this, other, 1);
    }

    /** Logical or (bool result). */
    public Tensor logicalOr(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_OR, this, other, 1);
    }

    /** Logical xor (bool result). */
    public Tensor logicalXor(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_XOR, this, other, 1);
    }

    /** {@code this == other} (bool). */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.binary(Op.EQ, this, other, 1);
    }

    /** {@code this == s} (bool). */
    public Tensor eq(double s) {
        return ElementwiseOps.binary(Op.EQ, this, Torch.scalar(s), 1);
    }

    /** {@code this != other} (bool). */
    public Tensor ne(Tensor other) {
        return ElementwiseOps.binary(Op.NE, this, other, 1);
    }

    /** {@code this != s} (bool). */
    public Tensor ne(double s) {
        return ElementwiseOps.binary(Op.NE, this, Torch.scalar(s), 1);
    }

    /** {@code this < other} (bool). */
    public Tensor lt(Tensor other) {
        return ElementwiseOps.binary(Op.LT, this, other, 1);
    }

    /** {@code this < s} (bool). */
    public Tensor lt(double s) {
        return ElementwiseOps.binary(Op.LT, this, Torch.scalar(s), 1);
    }

    /** {@code this <= other} (bool). */
    public Tensor le(Tensor other) {
        return ElementwiseOps.binary(Op.LE, this, other, 1);
    }

    /** {@code this <= s} (bool). */
    public Tensor le(double s) {
        return ElementwiseOps.binary(Op.LE, this, Torch.scalar(s), 1);
    }

    /** {@code this > other} (bool). */
    public Tensor gt(Tensor other) {
        return ElementwiseOps.binary(Op.GT, this, other, 1);
    }

    /** {@code this > s} (bool). */
    public Tensor gt(double s) {
        return ElementwiseOps.binary(Op.GT, this, Torch.scalar(s), 1);
    }

    /** {@code this >= other} (bool). */
    public Tensor ge(Tensor other) {
        return ElementwiseOps.binary(Op.GE, this, other, 1);
    }

    /** {@code this >= s} (bool). */
    public Tensor ge(double s) {
        return ElementwiseOps.binary(Op.GE, this, Torch.scalar(s), 1);
    }

    /** True when shapes match and every element is equal ({@code torch.equal}). */
    public boolean equal(Tensor other) {
        return Arrays.equals(shape, other.shape) && (numel() == 0 || eq(other).all().item() != 0);
    }

    /** {@code |this - other| <= atol + rtol |other|} everywhere (NaN unequal), as torch.allclose. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        try (var g = Autograd.noGrad()) {
            Tensor a = to(DType.FLOAT64);
            Tensor b = other.to(DType.FLOAT64);
            return a.sub(b).abs().le(b.abs().mul(rtol).add(atol)).all().item() != 0;
        }
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (int64 for integer and bool inputs). */
    public Tensor sum() {
        return ReduceOps.sum(this, null, false);
    }

    /** Sum over dims. */
    public Tensor sum(int[] dims, boolean keepdim) {
        return ReduceOps.sum(this, dims, keepdim);
    }

    /** Sum over one dim. */
    public Tensor sum(int dim, boolean keepdim) {
        return ReduceOps.sum(this, new int[] {dim}, keepdim);
    }

    /** Sum over one dim, removing it. */
    public Tensor sum(int dim) {
        return sum(dim, false);
    }

    /** Mean of all elements (floating point only). */
    public Tensor mean() {
        return ReduceOps.mean(this, null, false);
    }

    /** Mean over dims. */
    public Tensor mean(int[] dims, boolean keepdim) {
        return ReduceOps.mean(this, dims, keepdim);
    }

    /** Mean over one dim. */
    public Tensor mean(int dim, boolean keepdim) {
        return ReduceOps.mean(this, new int[] {dim}, keepdim);
    }

    /** Variance of all elements with Bessel's correction (correction 1). */
    public Tensor var() {
        return ReduceOps.var(this, null, 1, false);
    }

    /** Variance over dims with {@code correction} (0 biased, 1 unbiased). */
    public Tensor var(int[] dims, double correction, boolean keepdim) {
        return ReduceOps.var(this, dims, correction, keepdim);
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
        return ReduceOps.prod(this, null, false);
    }

    /** Product over one dim. */
    public Tensor prod(int dim, boolean keepdim) {
        return ReduceOps.prod(this, new int[] {dim}, keepdim);
    }

    /** Largest element (NaN if any). */
    public Tensor max() {
        return ReduceOps.amax(this, null, false, true);
    }

    /** Smallest element (NaN if any). */
    public Tensor min() {
        return ReduceOps.amax(this, null, false, false);
    }

    /** Largest values and their indices along dim ({@code torch.max(x, dim)}): {values, indices}. */
    public Tensor[] max(int dim, boolean keepdim) {
        return ReduceOps.maxWithIndices(this, dim, keepdim, true);
    }

    /** Smallest values and their indices along dim: {values, indices}. */
    public Tensor[] min(int dim, boolean keepdim) {
        return ReduceOps.maxWithIndices(this, dim, keepdim, false);
    }

    /** Maximum over dims ({@code amax}); the gradient is shared among ties. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return ReduceOps.amax(this, dims, keepdim, true);
    }

    /** Minimum over dims ({@code amin}). */
    public Tensor amin(int[] dims, boolean keepdim) {
        return ReduceOps.amax(this, dims, keepdim, false);
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return ReduceOps.argmax(this, null, false, true);
    }

    /** Index of the largest element along dim. */
    public Tensor argmax(int dim, boolean keepdim) {
        return ReduceOps.argmax(this, dim, keepdim, true);
    }

    /** Index of the smallest element of the flattened tensor. */
    public Tensor argmin() {
        return ReduceOps.argmax(this, null, false, false);
    }

    /** Index of the smallest element along dim. */
    public Tensor argmin(int dim, boolean keepdim) {
        return ReduceOps.argmax(this, dim, keepdim, false);
    }

    /** {@code log(sum(exp(x)))} over dims, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return ReduceOps.logsumexp(this, dims, keepdim);
    }

    /** {@code logsumexp} over one dim. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return ReduceOps.norm(this, 2, null, false);
    }

    /** The p-norm over dims (p may be infinite; null dims for all). */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        return ReduceOps.norm(this, p, dims, keepdim);
    }

    /** True (bool tensor) if any element is nonzero. */
    public Tensor any() {
        return ReduceOps.logical(this, Op.ANY, null, false);
    }

    /** True (bool tensor) if every element is nonzero. */
    public Tensor all() {
        return ReduceOps.logical(this, Op.ALL, null, false);
    }

    /** {@code any} over one dim. */
    public Tensor any(int dim, boolean keepdim) {
        return ReduceOps.logical(this, Op.ANY, new int[] {dim}, keepdim);
    }

    /** {@code all} over one dim. */
    public Tensor all(int dim, boolean keepdim) {
        return ReduceOps.logical(this, Op.ALL, new int[] {dim}, keepdim);
    }

    // ---------------------------------------------------------------- linear algebra and softmax

    /** {@code torch.matmul}: dot, matrix-vector, matrix and batched products with broadcast batch dims. */
    public Tensor matmul(Tensor other) {
        return LinalgOps.matmul(this, other);
    }

    /** Matrix product of two 2-D tensors. */
    public Tensor mm(Tensor other) {
        return LinalgOps.mm(this, other);
    }

    /** Batched matrix product of two 3-D tensors with the same batch size. */
    public Tensor bmm(Tensor other) {
        return LinalgOps.bmm(this, other);
    }

    /** Matrix-vector product. */
    public Tensor mv(Tensor vec) {
        return LinalgOps.mv(this, vec);
    }

    /** Dot product of two 1-D tensors. */
    public Tensor dot(Tensor other) {
        return LinalgOps.dot(this, other);
    }

    /** {@code beta * this + alpha * (m1 @ m2)}. */
    public Tensor addmm(Tensor m1, Tensor m2, double beta, double alpha) {
        return LinalgOps.addmm(this, m1, m2, beta, alpha);
    }

    /** {@code this + m1 @ m2}. */
    public Tensor addmm(Tensor m1, Tensor m2) {
        return LinalgOps.addmm(this, m1, m2, 1, 1);
    }

    /** Softmax along dim. */
    public Tensor softmax(int dim) {
        return LinalgOps.softmax(this, dim, false);
    }

    /** Log of softmax along dim, computed stably. */
    public Tensor logSoftmax(int dim) {
        return LinalgOps.softmax(this, dim, true);
    }

    // ---------------------------------------------------------------- internal access

    private static final class Access implements TensorAccess {
        @Override
        public void setGradFn(Tensor t, Node node, int outputNr) {
            t.setHistory(node, outputNr);
        }

        @Override
        public Node gradAccumulator(Tensor leaf) {
            return leaf.accumulator();
        }

        @Override
        public double getFlat(Tensor t, int i) {
            return IndexOps.flatView(t, i).toDoubleArray()[0];
        }

        @Override
        public void setFlat(Tensor t, int i, double v) {
            t.backend().fill(IndexOps.flatView(t, i), v);
        }
    }
}
