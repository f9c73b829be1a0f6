package dev.jtorch.opencl;

import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.BackendProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The OpenCL devices for the engine's backend registry (found by ServiceLoader: this module {@code provides} it,
 * and lists it in {@code META-INF/services} for the class path). Device {@code opencl:i} is the i-th device of
 * every platform on the machine, GPUs first; a machine without an OpenCL library or platform has none, and
 * {@link #unavailableReason()} says why. Each device's backend is made once, on first use (context, queue,
 * allocator), and shared by every tensor on it.
 *
 * <p>The JVM must grant this module native access: {@code --enable-native-access=dev.jtorch.opencl} on the module
 * path, {@code --enable-native-access=ALL-UNNAMED} on the class path (without it Java 25 warns once, and refuses
 * under {@code --illegal-native-access=deny}).
 */
public final class OpenClProvider implements BackendProvider {
    private static final ConcurrentMap<Integer, OpenClBackend> BACKENDS = new ConcurrentHashMap<>();

    /** The provider (ServiceLoader calls this; discovery happens once per JVM, on first use). */
    public OpenClProvider() {
    }

    @Override
    public Device.Type type() {
        return Device.Type.OPENCL;
    }

    @Override
    public List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (ClDevice d : Discovery.get().devices()) {
            out.add(Device.opencl(d.index));
        }
        return out;
    }

    @Override
    public Backend backend(Device device) {
        return backendOf(device);
    }

    /** The backend of an OpenCL device of this machine, or an IllegalStateException saying why there is none. */
    public static OpenClBackend backendOf(Device device) {
        List<ClDevice> all = Discovery.get().devices();
        if (device.type() != Device.Type.OPENCL || device.index() >= all.size()) {
            throw new IllegalStateException(all.isEmpty()
                    ? "no OpenCL device on this machine (" + Discovery.get().reason() + "), so " + device
                            + " is not available"
                    : "device " + device + " does not exist: this machine has " + all.size() + " OpenCL device"
                            + (all.size() == 1 ? "" : "s"));
        }
        return BACKENDS.computeIfAbsent(device.index(), i -> new OpenClBackend(all.get(i)));
    }

    @Override
    public String describe(Device device) {
        List<ClDevice> all = Discovery.get().devices();
        if (device.type() == Device.Type.OPENCL && device.index() < all.size()) {
            return all.get(device.index()).describe();
        }
        return device.toString();
    }

    /** Why this machine has no OpenCL device (no library, no platform, native access denied), or null. */
    public static String unavailableReason() {
        return Discovery.get().reason();
    }
}
