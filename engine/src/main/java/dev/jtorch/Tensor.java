package dev.jtorch;

import dev.jtorch.autograd.AccumulateGrad;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.RemovableHandle;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.internal.Numel;
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
public class Tensor extends TensorViews {
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
    /** The backend's view of this tensor, created on first use (reset by setData). */
    private View view;
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
        this.view = null;
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
        Shapes.numelLong(shape); // PyTorch refuses a count beyond int64
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

    /** What a backend sees of this tensor: its storage, sizes, strides and offset (created once per layout). */
    View kernelView() {
        View v = view;
        if (v == null) {
            v = new View(storage, shape, stride, offset);
            view = v;
        }
        return v;
    }

    /** Number of dims. */
    public int dim() {
        return shape.length;
    }

    /**
     * Number of elements, a long as PyTorch's int64 {@code numel()}: a view ({@link #expand}, {@code asStrided})
     * can have more than 2^31 - 1 elements; a storage, and so anything that materialises the view
     * ({@link #contiguous()}, {@link #sum()}, ...), cannot, and refuses it with an IllegalArgumentException.
     */
    public long numel() {
        long n = 1;
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
            Dispatch.fill(t, value);
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
            try (var _ = Autograd.noGrad()) {
                c = c.to(as).contiguous();
            }
        }
        return c.backend().toHost(c.storage, c.offset, Numel.of(c));
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
        Dispatch.copy(this, out);
        if (dt.isFloatingPoint()) {
            DType from = dtype;
            FnNode.record1("ToCopyBackward0", out, this, (g, s) -> new Tensor[] {g.to(from)});
        }
        return out;
    }

    /**
     * This tensor on {@code device}: itself when already there, else a contiguous copy made through the host
     * (differentiable: the gradient goes back to this tensor's device). The device's backend is found through
     * {@link dev.jtorch.backend.Backends}; a device without one fails with a message saying why.
     */
    public Tensor to(Device d) {
        Device from = device();
        if (d.equals(from)) {
            return this;
        }
        Backend target = Backends.of(d);
        Tensor c;
        try (var _ = Autograd.noGrad()) {
            c = contiguous();
        }
        Object host = c.backend().toHost(c.storage, c.offset, Numel.of(c));
        Tensor out = new Tensor(target.fromHost(host, dtype), shape.clone(), Shapes.contiguousStrides(shape), 0);
        if (dtype.isFloatingPoint()) {
            FnNode.record1("ToCopyBackward0", out, this, (g, s) -> new Tensor[] {g.to(from)});
        }
        return out;
    }

    /**
     * This tensor on the first OpenCL device (GPUs first), PyTorch's {@code tensor.cuda()}; fails clearly
     * when the machine has none or the OpenCL module is absent.
     */
    public Tensor cuda() {
        return to(Backends.accelerator(-1));
    }

    /** This tensor on OpenCL device {@code index}, PyTorch's {@code tensor.cuda(index)}. */
    public Tensor cuda(int index) {
        return to(Backends.accelerator(index));
    }

    /** This tensor on the CPU. */
    public Tensor cpu() {
        return to(Device.CPU);
    }

    /**
     * PyTorch's {@code x.float()} ({@code float} is a Java keyword): {@code to(FLOAT32)}, a copy unless the tensor
     * is float32 already.
     */
    public Tensor float32() {
        return to(DType.FLOAT32);
    }

    /** PyTorch's {@code x.double()}: {@code to(FLOAT64)}. */
    public Tensor float64() {
        return to(DType.FLOAT64);
    }

    /** PyTorch's {@code x.long()}: {@code to(INT64)}. */
    public Tensor int64() {
        return to(DType.INT64);
    }

    /** PyTorch's {@code x.bool()}: {@code to(BOOL)}. */
    public Tensor bool() {
        return to(DType.BOOL);
    }

    /** PyTorch's {@code x.half()}: {@code to(FLOAT16)}. */
    public Tensor half() {
        return to(DType.FLOAT16);
    }

    /** PyTorch's {@code x.bfloat16()}: {@code to(BFLOAT16)}. */
    public Tensor bfloat16() {
        return to(DType.BFLOAT16);
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
        Dispatch.copy(this, out);
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
        Dispatch.fill(this, value);
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

    @Override
    final Tensor self() {
        return this;
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
            Dispatch.fill(IndexOps.flatView(t, i), v);
            // an in-place write like any other (PyTorch's gradcheck perturbs with an in-place op too), so caches
            // keyed on the version counter (the recurrent layers' packed weights) see the perturbation
            t.storage.bumpVersion();
        }
    }
}
