package dev.jtorch.backend;

import dev.jtorch.DType;

import java.util.Arrays;

/**
 * What a backend sees of a tensor: a strided view of one of its storages (storage, sizes, strides in
 * elements, storage offset), with no autograd state. The tensor layer hands views and scalars to a
 * {@link Backend}; a backend never sees a {@code Tensor}.
 *
 * <p>Views are immutable; the arrays they return must not be modified.
 */
public final class View {
    /** The most elements a storage or one kernel call handles. */
    public static final int LIMIT = Integer.MAX_VALUE;

    private final Storage storage;
    private final int[] shape;
    private final int[] stride;
    private final int offset;
    private byte contiguity;

    /** A view of {@code storage}; the arrays are kept, not copied. */
    public View(Storage storage, int[] shape, int[] stride, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
    }

    /** A contiguous view of the first elements of {@code storage} with this shape. */
    public static View contiguous(Storage storage, int[] shape) {
        return new View(storage, shape, contiguousStrides(shape), 0);
    }

    /** Row-major strides of a shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** The storage viewed. */
    public Storage storage() {
        return storage;
    }

    /** The element type (the storage's). */
    public DType dtype() {
        return storage.dtype();
    }

    /** The sizes (not a copy: do not modify). */
    public int[] shape() {
        return shape;
    }

    /** The strides in elements (not a copy: do not modify). */
    public int[] stride() {
        return stride;
    }

    /** The offset of element 0 in the storage. */
    public int storageOffset() {
        return offset;
    }

    /** The number of dims. */
    public int dim() {
        return shape.length;
    }

    /** The size along {@code d}. */
    public int size(int d) {
        return shape[d];
    }

    /** The number of elements (a view can have more than a storage holds). */
    public long numel() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** {@link #numel()} as an int, or an IllegalArgumentException naming jtorch's limit. */
    public int intNumel() {
        return intCount(numel(), shape);
    }

    /** A count of a tensor of {@code shape} as an int, or an IllegalArgumentException naming the limit. */
    public static int intCount(long count, int[] shape) {
        if (count > LIMIT) {
            throw new IllegalArgumentException("a tensor of " + count + " elements (shape " + Arrays.toString(shape)
                    + ") exceeds jtorch's limit of " + LIMIT + " elements per storage or kernel call");
        }
        return (int) count;
    }

    /** True when the elements lie in row-major order without gaps. */
    public boolean isContiguous() {
        byte c = contiguity;
        if (c == 0) {
            c = contiguous(shape, stride) ? (byte) 1 : (byte) 2;
            contiguity = c;
        }
        return c == 1;
    }

    /** True when {@code stride} is row-major for {@code shape} (dims of size 1 may have any stride). */
    public static boolean contiguous(int[] shape, int[] stride) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return dtype() + " view " + Arrays.toString(shape) + " stride " + Arrays.toString(stride) + " offset "
                + offset;
    }
}
