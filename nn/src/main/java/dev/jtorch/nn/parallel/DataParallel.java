package dev.jtorch.nn.parallel;

import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Backends;
import dev.jtorch.nn.Module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Data parallelism at the module level, like {@code torch.nn.DataParallel}: each call splits the input along
 * {@code dim} into one chunk per device, runs a replica of the module on each chunk at the same time, and
 * concatenates the outputs on the output device. The backward runs the replicas' backward passes at the same time
 * too and sums their parameter gradients into the module's parameters, so after {@code loss.backward()} the
 * gradients are those of the plain module on the whole batch (to rounding: the sum is taken per replica).
 *
 * <p>Devices: on the CPU, the device ids 0..n-1 are n worker threads (replica 0 on the calling thread), a real
 * speed-up on a multi-core machine when the kernels themselves run single-threaded
 * ({@code Kernels.setThreads(1)}); with the OpenCL backend they are OpenCL device indices, and the module must be
 * on the first.
 *
 * <p>Buffers follow PyTorch's rules: replica 0 (on the module's device) uses the module's own buffers, so
 * in-place updates there (batch norm's running statistics, from the first chunk) are kept; the other replicas
 * work on copies made at each call, whose updates are lost. Modules in training mode draw their randomness
 * (dropout) from one generator per replica, seeded from the default generator at each call.
 *
 * <p>Args: {@code module} (registered as the child {@code "module"}, so state dict keys start with
 * {@code "module."} as in PyTorch); {@code deviceIds} (default: all of them: every available processor on the
 * CPU, the module's own device with OpenCL); {@code outputDevice} (default: deviceIds[0]); {@code dim} (default 0).
 *
 * <p>Shape: the inputs are split along {@code dim} as {@code Tensor.chunk} splits (uneven splits allowed; a batch
 * smaller than the number of devices uses fewer replicas); outputs are concatenated along {@code dim}, and 0-dim
 * outputs are stacked into a vector with one entry per replica.
 *
 * <p>Attributes: {@code module}, {@link #devices()}, {@link #outputDevice()}, {@link #dim()}.
 *
 * <p>Example:
 * <pre>{@code
 * Module net = new Sequential(new Linear(20, 64), new ReLU(), new Linear(64, 10));
 * DataParallel dp = new DataParallel(net, new int[] {0, 1});     // two worker threads
 * Tensor loss = F.crossEntropy(dp.call(x), y);
 * loss.backward();                                              // net's parameters get the whole-batch gradients
 * }</pre>
 *
 * <p>Limits: outputs are one tensor (as every jtorch {@code call}); a graph through {@code DataParallel} can be
 * differentiated once per {@code retainGraph} as usual but not twice over (no double backward).
 */
public class DataParallel extends Module {
    /** The wrapped module. */
    public final Module module;
    private final List<Device> devices;
    private final Device outputDevice;
    private final int dim;

    /** Over all devices: every available processor on the CPU; the module's own device with OpenCL. */
    public DataParallel(Module module) {
        this(module, defaultIds(module));
    }

    /** Over {@code deviceIds} (worker threads on the CPU, OpenCL device indices otherwise), output on the first, dim 0. */
    public DataParallel(Module module, int[] deviceIds) {
        this(module, deviceIds, null, 0);
    }

    /** With every argument; a null {@code outputDevice} means deviceIds[0]. */
    public DataParallel(Module module, int[] deviceIds, Integer outputDevice, int dim) {
        this(module, devicesFor(module, deviceIds), outputDevice == null ? null
                : deviceFor(Parallel.deviceOf(checked(module)), outputDevice), dim);
    }

    /** Over explicit devices (each CPU entry is one worker thread); a null {@code outputDevice} is devices[0]. */
    public DataParallel(Module module, List<Device> devices, Device outputDevice, int dim) {
        checked(module);
        Parallel.checkDevices(devices);
        Device home = Parallel.deviceOf(module);
        if (!home.equals(devices.get(0))) {
            throw new IllegalArgumentException("module must have its parameters and buffers on device "
                    + devices.get(0) + " (device_ids[0]) but found one of them on device: " + home);
        }
        this.module = registerModule("module", module);
        this.devices = List.copyOf(devices);
        this.outputDevice = outputDevice == null ? devices.get(0) : outputDevice;
        this.dim = dim;
    }

    private static Module checked(Module m) {
        if (m == null) {
            throw new IllegalArgumentException("DataParallel: module must not be null");
        }
        return m;
    }

    private static int[] defaultIds(Module module) {
        Device home = Parallel.deviceOf(checked(module));
        if (home.type() == Device.Type.CPU) {
            int n = Runtime.getRuntime().availableProcessors();
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = i;
            }
            return ids;
        }
        return new int[] {home.index()};
    }

    private static List<Device> devicesFor(Module module, int[] ids) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("DataParallel: device_ids must name at least one device, got "
                    + (ids == null ? "null" : "none"));
        }
        Device home = Parallel.deviceOf(checked(module));
        List<Device> out = new ArrayList<>();
        for (int id : ids) {
            out.add(deviceFor(home, id));
        }
        return out;
    }

    private static Device deviceFor(Device home, int id) {
        if (id < 0) {
            throw new IllegalArgumentException("DataParallel: device ids must be non-negative, got " + id);
        }
        if (home.type() == Device.Type.CPU) {
            return Device.CPU;
        }
        List<Device> all = Backends.devices(home.type());
        if (id >= all.size()) {
            throw new IllegalArgumentException("DataParallel: device id " + id + " but there are " + all.size()
                    + " " + home.type() + " devices");
        }
        return all.get(id);
    }

    /** The devices, one replica each (read-only). */
    public List<Device> devices() {
        return Collections.unmodifiableList(devices);
    }

    /** Where outputs are gathered. */
    public Device outputDevice() {
        return outputDevice;
    }

    /** The dimension inputs are split and outputs joined along. */
    public int dim() {
        return dim;
    }

    @Override
    protected Tensor forwardInputs(Tensor[] inputs) {
        List<Tensor[]> chunks = Parallel.scatter(inputs, devices, dim);
        if (devices.size() == 1) {
            return module.call(chunks.get(0));   // as PyTorch: one device, the module's own output, not gathered
        }
        List<Device> used = devices.subList(0, chunks.size());
        if (!Autograd.isGradEnabled()) {
            List<Module> replicas = Parallel.replicate(module, used, true);
            return Parallel.gather(Parallel.parallelApply(replicas, chunks, used), outputDevice, dim);
        }
        return ParallelRun.forward(module, inputs, chunks, used, outputDevice, dim, generators(used.size()));
    }

    private Generator[] generators(int n) {
        return Parallel.generators(n, module.isTraining());
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
