package dev.jtorch.backend;

import dev.jtorch.Device;
import dev.jtorch.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry of backends: the CPU's, built in, and those of {@link BackendProvider}s found by
 * {@link ServiceLoader} (the OpenCL module's) or registered by hand. {@link #of(Device)} is how the tensor
 * layer finds the backend of a device, and the one place that says clearly why a device is not available.
 */
public final class Backends {
    private static final List<BackendProvider> REGISTERED = new CopyOnWriteArrayList<>();
    /** Each provider's devices, asked once (discovery can be slow: it loads a driver). */
    private static final java.util.Map<BackendProvider, List<Device>> DEVICES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile List<BackendProvider> loaded;

    private Backends() {
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> l = loaded;
        if (l == null) {
            synchronized (Backends.class) {
                l = loaded;
                if (l == null) {
                    l = new ArrayList<>();
                    try {
                        for (BackendProvider p : ServiceLoader.load(BackendProvider.class,
                                Backends.class.getClassLoader())) {
                            l.add(p);
                        }
                    } catch (ServiceConfigurationError e) {
                        throw new IllegalStateException("a jtorch backend provider failed to load: " + e.getMessage(),
                                e);
                    }
                    loaded = l;
                }
            }
        }
        List<BackendProvider> all = new ArrayList<>(REGISTERED);
        all.addAll(l);
        return all;
    }

    /**
     * Registers a provider ahead of those found by ServiceLoader (tests, custom backends); closing the handle
     * removes it.
     */
    public static AutoCloseable register(BackendProvider provider) {
        REGISTERED.addFirst(provider);
        return () -> REGISTERED.remove(provider);
    }

    private static List<Device> devicesOf(BackendProvider p) {
        return DEVICES.computeIfAbsent(p, q -> List.copyOf(q.devices()));
    }

    /** The devices of a kind on this machine (the CPU for {@code CPU}), GPUs first. */
    public static List<Device> devices(Device.Type type) {
        if (type == Device.Type.CPU) {
            return List.of(Device.CPU);
        }
        List<Device> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.type() == type) {
                for (Device d : devicesOf(p)) {
                    if (!out.contains(d)) {
                        out.add(d);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The backend of {@code device}, or an IllegalStateException saying why there is none: no provider of that
     * kind (the module is not on the module or class path), no such device, or a device index past those
     * present.
     */
    public static Backend of(Device device) {
        if (device.type() == Device.Type.CPU) {
            return CpuBackend.INSTANCE;
        }
        List<BackendProvider> kind = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.type() == device.type()) {
                kind.add(p);
                if (devicesOf(p).contains(device)) {
                    return p.backend(device);
                }
            }
        }
        if (kind.isEmpty()) {
            throw new IllegalStateException("no " + device.type().name().toLowerCase() + " backend is available "
                    + "for device " + device + ": add the jtorch-opencl module (dev.jtorch.opencl) to the module or "
                    + "class path");
        }
        List<Device> present = devices(device.type());
        throw new IllegalStateException(present.isEmpty()
                ? "no " + device.type().name().toLowerCase() + " device on this machine (no platform or driver "
                        + "found), so " + device + " is not available"
                : "device " + device + " does not exist: this machine has " + present);
    }

    /**
     * The OpenCL device for PyTorch's {@code cuda()} ({@code index} -1: the first, GPUs first) or
     * {@code cuda(index)}, or an IllegalStateException saying why there is none.
     */
    public static Device accelerator(int index) {
        Device d = index < 0 ? null : Device.opencl(index);
        if (d == null) {
            List<Device> all = devices(Device.Type.OPENCL);
            if (all.isEmpty()) {
                of(Device.opencl(0));   // throws, saying why
            }
            d = all.getFirst();
        }
        of(d);   // checks that it exists
        return d;
    }

    /** A line describing a device (its provider's), for messages and reports. */
    public static String describe(Device device) {
        if (device.type() == Device.Type.CPU) {
            return "cpu";
        }
        for (BackendProvider p : providers()) {
            if (p.type() == device.type() && devicesOf(p).contains(device)) {
                return p.describe(device);
            }
        }
        return device.toString();
    }
}
