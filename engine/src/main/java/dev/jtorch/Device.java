package dev.jtorch;

import java.util.Objects;

/**
 * Where a tensor's storage lives, like {@code torch.device}: {@link #CPU}, or an OpenCL device by index.
 *
 * <p>An operation whose tensors live on different devices fails with an exception naming both.
 */
public final class Device {
    /** The kinds of device. */
    public enum Type {
        /** Host memory, computed by the SIMD kernels. */
        CPU,
        /** An OpenCL device (the GPU backend). */
        OPENCL
    }

    /** The host CPU. */
    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The OpenCL device with this index ({@code "opencl:0"}). */
    public static Device opencl(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("OpenCL device index must be >= 0, got " + index);
        }
        return new Device(Type.OPENCL, index);
    }

    /** Parses {@code "cpu"} or {@code "opencl:N"}. */
    public static Device of(String spec) {
        if (spec.equals("cpu")) {
            return CPU;
        }
        if (spec.startsWith("opencl:")) {
            return opencl(Integer.parseInt(spec.substring(7)));
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': expected 'cpu' or 'opencl:N'");
    }

    /** The kind of device. */
    public Type type() {
        return type;
    }

    /** The device index, -1 for the CPU. */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, index);
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "opencl:" + index;
    }
}
