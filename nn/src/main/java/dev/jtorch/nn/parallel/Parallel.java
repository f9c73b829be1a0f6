package dev.jtorch.nn.parallel;

import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * {@code torch.nn.parallel}'s functions: {@link #replicate}, {@link #scatter}, {@link #parallelApply},
 * {@link #gather} and {@link #dataParallel}, the pieces {@link DataParallel} is made of.
 *
 * <p>Devices: on the CPU, a "device" is a worker thread, so {@code devices} is a list of {@link Device#CPU}
 * entries, one per replica (what {@link DataParallel}'s device ids 0..n-1 mean there); with the OpenCL backend,
 * OpenCL devices. Replica {@code i} runs on its own thread (replica 0 on the caller's), with grad mode as on the
 * caller's thread and, when a module is in training mode, its own {@link Generator} seeded from the caller's
 * default generator (so dropout in replicas is reproducible after {@code Torch.manualSeed} and never contends).
 *
 * <p>Example:
 * <pre>{@code
 * List<Device> devs = List.of(Device.CPU, Device.CPU);
 * List<Tensor[]> chunks = Parallel.scatter(new Tensor[] {x}, devs, 0);
 * List<Module> replicas = Parallel.replicate(net, devs.subList(0, chunks.size()));
 * Tensor y = Parallel.gather(Parallel.parallelApply(replicas, chunks, devs), Device.CPU, 0);
 * }</pre>
 */
public final class Parallel {
    private static final AtomicInteger THREAD_ID = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jtorch-data-parallel-" + THREAD_ID.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    /**
     * {@code replicate(network, devices, detach=false)}: one {@link Replica} per device. Replica {@code i}'s
     * parameters are differentiable functions of the original's (a view on the same device, a copy on another), so
     * a backward through replica outputs accumulates into the original parameters' gradients; its buffers are the
     * original's own on the original's device for replica 0 (PyTorch's rule: in-place buffer updates there, as batch
     * norm's running statistics, are recorded) and copies elsewhere.
     */
    public static List<Module> replicate(Module network, List<Device> devices) {
        return replicate(network, devices, false);
    }

    /** {@link #replicate(Module, List)}; with {@code detach}, the replicas' parameters do not require gradients. */
    public static List<Module> replicate(Module network, List<Device> devices, boolean detach) {
        checkDevices(devices);
        Device home = deviceOf(network);
        List<Module> out = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            boolean shareBuffers = i == 0 && d.equals(home);
            out.add(Replica.of(network, d,
                    p -> detach ? p.detach().to(d) : (d.equals(p.device()) ? p.view(p.shape()) : p.to(d)),
                    b -> shareBuffers ? b : copyTo(b, d)));
        }
        return out;
    }

    static Tensor copyTo(Tensor b, Device d) {
        try (var _ = Autograd.noGrad()) {
            Tensor c = b.device().equals(d) ? b.clone() : b.to(d);
            return c == b ? b.clone() : c;
        }
    }

    /**
     * {@code scatter(inputs, devices, dim)}: each input split along {@code dim} into {@code devices.size()} chunks
     * as {@code Tensor.chunk} does (equal sizes but the last; fewer chunks when the batch is smaller than the
     * number of devices), chunk {@code i} moved to device {@code i}; returns one array of inputs per chunk (as many
     * as the input with the fewest chunks has). Differentiable.
     */
    public static List<Tensor[]> scatter(Tensor[] inputs, List<Device> devices, int dim) {
        checkDevices(devices);
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("scatter: expected at least one input tensor, got none");
        }
        int n = Integer.MAX_VALUE;
        Tensor[][] chunks = new Tensor[inputs.length][];
        for (int j = 0; j < inputs.length; j++) {
            Tensor x = inputs[j];
            if (x == null) {
                throw new IllegalArgumentException("scatter: input " + j + " is null");
            }
            if (x.dim() == 0) {
                throw new IllegalArgumentException("scatter: input " + j + " is a 0-dim tensor; it cannot be split"
                        + " along dim " + dim);
            }
            int d = dim < 0 ? dim + x.dim() : dim;
            if (d < 0 || d >= x.dim()) {
                throw new IllegalArgumentException("scatter: Dimension out of range (expected to be in range of ["
                        + (-x.dim()) + ", " + (x.dim() - 1) + "], but got " + dim + ") for input " + j);
            }
            if (x.size(d) == 0) {
                throw new IllegalArgumentException("scatter: input " + j + " has size 0 along dim " + dim
                        + "; there is nothing to split");
            }
            chunks[j] = x.chunk(devices.size(), d);
            n = Math.min(n, chunks[j].length);
        }
        List<Tensor[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor[] row = new Tensor[inputs.length];
            for (int j = 0; j < inputs.length; j++) {
                row[j] = chunks[j][i].to(devices.get(i));
            }
            out.add(row);
        }
        return out;
    }

    /**
     * {@code parallel_apply(modules, inputs, devices)}: {@code modules.get(i).call(inputs.get(i))} for every
     * {@code i} at once, replica {@code i} on its own thread; returns the outputs in order. An exception in a
     * replica is rethrown on the caller's thread naming the replica and device (the first one, by replica order).
     */
    public static List<Tensor> parallelApply(List<Module> modules, List<Tensor[]> inputs, List<Device> devices) {
        if (modules == null || inputs == null || modules.size() != inputs.size()) {
            throw new IllegalArgumentException("parallel_apply: expected as many inputs as modules, got "
                    + (modules == null ? "null" : modules.size()) + " modules and "
                    + (inputs == null ? "null" : inputs.size()) + " inputs");
        }
        if (devices != null && devices.size() != modules.size()) {
            throw new IllegalArgumentException("parallel_apply: expected as many devices as modules, got "
                    + devices.size() + " devices and " + modules.size() + " modules");
        }
        boolean training = false;
        for (Module m : modules) {
            training |= m.isTraining();
        }
        Generator[] gens = generators(modules.size(), training);
        return run(modules.size(), i -> withGenerator(gens[i], () -> modules.get(i).call(inputs.get(i))),
                i -> i + (devices == null ? "" : " on device " + devices.get(i)));
    }

    /**
     * {@code gather(outputs, targetDevice, dim)}: the outputs moved to {@code target} and concatenated along
     * {@code dim}; 0-dim outputs (a loss per replica) are stacked into a vector instead, as PyTorch does (with a
     * warning there). Differentiable.
     */
    public static Tensor gather(List<Tensor> outputs, Device target, int dim) {
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("gather: expected at least one output, got none");
        }
        Tensor[] moved = new Tensor[outputs.size()];
        boolean scalars = true;
        for (int i = 0; i < moved.length; i++) {
            if (outputs.get(i) == null) {
                throw new IllegalArgumentException("gather: output " + i + " is null");
            }
            moved[i] = outputs.get(i).to(target);
            scalars &= moved[i].dim() == 0;
        }
        if (scalars) {
            // PyTorch: "all input tensors were scalars; will instead unsqueeze and return a vector"
            for (int i = 0; i < moved.length; i++) {
                moved[i] = moved[i].view(1);
            }
        }
        return moved.length == 1 ? moved[0] : Torch.cat(moved, dim);
    }

    /**
     * {@code data_parallel(module, inputs, device_ids, output_device, dim)}: the functional form of
     * {@link DataParallel}: scatter, replicate, parallel apply, gather.
     */
    public static Tensor dataParallel(Module module, Tensor[] inputs, List<Device> devices, Device outputDevice,
                                      int dim) {
        checkDevices(devices);
        List<Tensor[]> chunks = scatter(inputs, devices, dim);
        if (devices.size() == 1) {
            return module.call(chunks.get(0));   // as PyTorch: one device, the module's own output
        }
        List<Device> used = devices.subList(0, chunks.size());
        List<Module> replicas = replicate(module, used, !Autograd.isGradEnabled());
        return gather(parallelApply(replicas, chunks, used), outputDevice == null ? devices.get(0) : outputDevice, dim);
    }

    // ------------------------------------------------------------------ shared with DataParallel

    static void checkDevices(List<Device> devices) {
        if (devices == null || devices.isEmpty()) {
            throw new IllegalArgumentException("expected at least one device, got " + (devices == null ? "null" : "none"));
        }
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i) == null) {
                throw new IllegalArgumentException("device " + i + " is null");
            }
        }
    }

    /** The device of the module's first parameter or buffer; the CPU when it has none. */
    static Device deviceOf(Module m) {
        for (Tensor p : m.parameters()) {
            return p.device();
        }
        for (Tensor b : m.buffers()) {
            return b.device();
        }
        return Device.CPU;
    }

    /** One generator per replica, seeded from the caller's default generator; nulls when not training. */
    static Generator[] generators(int n, boolean training) {
        Generator[] g = new Generator[n];
        if (training) {
            Generator parent = Torch.defaultGenerator();
            for (int i = 0; i < n; i++) {
                g[i] = new Generator(parent.random64());
            }
        }
        return g;
    }

    static <T> T withGenerator(Generator g, java.util.function.Supplier<T> body) {
        return g == null ? body.get() : Torch.withDefaultGenerator(g, body);
    }

    /**
     * Runs {@code task(i)} for i in [0, n): i = 0 on this thread, the others on worker threads, each with this
     * thread's grad mode; returns the results in order, rethrowing the first failure (by index) here.
     */
    static <T> List<T> run(int n, IntFunction<T> task, IntFunction<String> where) {
        boolean grad = Autograd.isGradEnabled();
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int idx = i;
            futures.add(WORKERS.submit(() -> {
                try (var _ = Autograd.setGradEnabled(grad)) {
                    return task.apply(idx);
                }
            }));
        }
        List<T> out = new ArrayList<>(n);
        Throwable first = null;
        try {
            out.add(task.apply(0));
        } catch (RuntimeException e) {
            first = wrap(e, where.apply(0));
        } catch (Error e) {
            first = e;
        }
        // every worker is waited for, whatever failed, so none still runs on the module when this returns
        boolean interrupted = false;
        for (int i = 1; i < n; i++) {
            while (true) {
                try {
                    out.add(futures.get(i - 1).get());
                    break;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (first == null || (c instanceof Error && !(first instanceof Error))) {
                        first = c instanceof Error ? c
                                : wrap(c instanceof RuntimeException r ? r : new IllegalStateException(c), where.apply(i));
                    }
                    out.add(null);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;   // keep waiting: the worker holds the module's tensors
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw (RuntimeException) first;
        }
        return out;
    }

    private static RuntimeException wrap(RuntimeException e, String where) {
        String msg = "Caught " + e.getClass().getSimpleName() + " in replica " + where + ": " + e.getMessage();
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(msg, e);
        }
        if (e instanceof UnsupportedOperationException) {
            return new UnsupportedOperationException(msg, e);
        }
        if (e instanceof IllegalStateException) {
            return new IllegalStateException(msg, e);
        }
        return e;
    }
}
