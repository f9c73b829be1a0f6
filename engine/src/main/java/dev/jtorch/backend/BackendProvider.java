package dev.jtorch.backend;

import dev.jtorch.Device;

import java.util.List;

/**
 * A kind of device and its backend, found at run time: a module providing one declares
 * {@code provides dev.jtorch.backend.BackendProvider with ...} (or lists it in
 * {@code META-INF/services/dev.jtorch.backend.BackendProvider} on the class path), so that an application that
 * never uses the device needs nothing of it. {@link Backends} looks providers up; the CPU is built in.
 */
public interface BackendProvider {
    /** The kind of device this provider serves. */
    Device.Type type();

    /**
     * The devices of this kind present on this machine, GPUs first (may be empty: no driver or platform).
     * Called once per JVM by {@link Backends}; it must not throw for a machine without the device.
     */
    List<Device> devices();

    /** The backend computing on {@code device}, one of {@link #devices()}. */
    Backend backend(Device device);

    /** A line naming a device for messages and reports (platform, device name, driver). */
    default String describe(Device device) {
        return device.toString();
    }
}
