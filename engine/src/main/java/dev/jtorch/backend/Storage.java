package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;

/**
 * A flat buffer of elements of one dtype on one device; tensors are strided views of a storage.
 *
 * <p>The storage carries the version counter that autograd checks: every in-place write to any view of it
 * bumps the version, so a tensor saved for backward and modified afterwards is detected.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    private int version;

    /** A storage of {@code size} elements of {@code dtype}. */
    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    /** The element type. */
    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    /** The device holding the data. */
    public abstract Device device();

    /** The backend that computes on this storage. */
    public abstract Backend backend();

    /** The version counter (in-place writes so far). */
    public final int version() {
        return version;
    }

    /** Records one in-place write. */
    public final void bumpVersion() {
        version++;
    }
}
