package dev.jtorch.testing;

import dev.jtorch.DType;
import dev.jtorch.Device;

import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.BackendProvider;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.RnnLayer;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.PoolWindows;

import java.util.List;

/**
 * A second backend for tests of the device seam: it claims device opencl:0, owns its own storage class, and
 * computes by handing the CPU backend views of the host storages inside its own. Everything the tensor layer
 * does across devices (factories, to(), copies, autograd, modules, optimizers) can be tested on it without
 * an OpenCL driver; an op that reached a backend other than its tensors' would fail on the storage class.
 * Shared with other modules' tests through the engine's test jar.
 */
public final class FakeDevice implements Backend, BackendProvider {
    /** The device it claims. */
    public static final Device DEVICE = Device.opencl(0);
    /** The one instance. */
    public static final FakeDevice INSTANCE = new FakeDevice();

    /** Registers the fake device until the handle is closed. */
    public static AutoCloseable install() {
        return Backends.register(INSTANCE);
    }

    /** A storage of the fake device: a host storage inside. */
    static final class FakeStorage extends Storage {
        final Storage inner;

        FakeStorage(Storage inner) {
            super(inner.dtype(), inner.size());
            this.inner = inner;
        }

        @Override
        public Device device() {
            return DEVICE;
        }

        @Override
        public Backend backend() {
            return INSTANCE;
        }
    }

    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    private static View in(View v) {
        if (v == null) {
            return null;
        }
        if (!(v.storage() instanceof FakeStorage f)) {
            throw new AssertionError("the fake device was handed a view of " + v.storage().device());
        }
        // the tensor layer bumps the outer storage's version; the CPU backend keys what it derives from a weight
        // (packed recurrent weights) on the version of the storage it sees, so the inner one follows
        while (f.inner.version() < f.version()) {
            f.inner.bumpVersion();
        }
        return new View(f.inner, v.shape(), v.stride(), v.storageOffset());
    }

    private static View[] in(View[] vs) {
        View[] out = new View[vs.length];
        for (int i = 0; i < vs.length; i++) {
            out[i] = in(vs[i]);
        }
        return out;
    }

    @Override
    public Device.Type type() {
        return Device.Type.OPENCL;
    }

    @Override
    public List<Device> devices() {
        return List.of(DEVICE);
    }

    @Override
    public Backend backend(Device device) {
        return this;
    }

    @Override
    public Device device() {
        return DEVICE;
    }

    @Override
    public Storage allocate(DType dtype, int numel) {
        return new FakeStorage(CPU.allocate(dtype, numel));
    }

    @Override
    public Storage fromHost(Object array, DType dtype) {
        return new FakeStorage(CPU.fromHost(array, dtype));
    }

    @Override
    public Object toHost(Storage storage, int offset, int length) {
        return CPU.toHost(((FakeStorage) storage).inner, offset, length);
    }

    @Override
    public void unary(Op op, View x, View out, double p0, double p1) {
        CPU.unary(op, in(x), in(out), p0, p1);
    }

    @Override
    public void binary(Op op, View a, View b, View out, double alpha) {
        CPU.binary(op, in(a), in(b), in(out), alpha);
    }

    @Override
    public void where(View cond, View a, View b, View out) {
        CPU.where(in(cond), in(a), in(b), in(out));
    }

    @Override
    public void reduce(Op op, View x, int[] dims, View out, double p) {
        CPU.reduce(op, in(x), dims, in(out), p);
    }

    @Override
    public void softmax(Op op, View x, View dy, int dim, View out) {
        CPU.softmax(op, in(x), in(dy), dim, in(out));
    }

    @Override
    public void bmm(View a, View b, View out, double alpha, double beta) {
        CPU.bmm(in(a), in(b), in(out), alpha, beta);
    }

    @Override
    public void index(Op op, View self, int dim, View index, View src, View out) {
        CPU.index(op, in(self), dim, in(index), in(src), in(out));
    }

    @Override
    public void copy(View src, View dst) {
        CPU.copy(in(src), in(dst));
    }

    @Override
    public void fill(View dst, double value) {
        CPU.fill(in(dst), value);
    }

    @Override
    public void conv(Op op, View a, View b, View bias, View out, ConvGeometry g) {
        CPU.conv(op, in(a), in(b), in(bias), in(out), g);
    }

    @Override
    public void pool(Op op, View x, View indices, View out, PoolWindows w) {
        CPU.pool(op, in(x), in(indices), in(out), w);
    }

    @Override
    public void norm(Op op, View[] inputs, View[] outputs, NormShape shape) {
        CPU.norm(op, in(inputs), in(outputs), shape);
    }

    @Override
    public void embeddingBag(View weight, View indices, View offsets, View perSampleWeights, int mode,
                             long paddingIdx, View out, View bagOf, View bagSize, View maxArg) {
        CPU.embeddingBag(in(weight), in(indices), in(offsets), in(perSampleWeights), mode, paddingIdx, in(out),
                in(bagOf), in(bagSize), in(maxArg));
    }

    @Override
    public void ctc(Op op, View logProbs, View targets, long[] inputLengths, long[] targetLengths,
                    int[] targetOffsets, int blank, View nll, View alpha, View gradOut, View grad) {
        CPU.ctc(op, in(logProbs), in(targets), inputLengths, targetLengths, targetOffsets, blank, in(nll),
                in(alpha), in(gradOut), in(grad));
    }

    @Override
    public int rnnReserveSize(RnnLayer layer) {
        return CPU.rnnReserveSize(layer);
    }

    @Override
    public void rnn(Op op, RnnLayer layer, View[] inputs, View[] outputs) {
        CPU.rnn(op, layer, in(inputs), in(outputs));
    }

    @Override
    public void sort(View x, int dim, boolean descending, View values, View indices) {
        CPU.sort(in(x), dim, descending, in(values), in(indices));
    }

    @Override
    public void scan(Op op, View x, int dim, boolean reverse, View out) {
        CPU.scan(op, in(x), dim, reverse, in(out));
    }

    @Override
    public void attention(Op op, AttentionShape shape, View[] inputs, View[] outputs) {
        CPU.attention(op, shape, in(inputs), in(outputs));
    }
}
