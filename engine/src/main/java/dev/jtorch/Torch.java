package dev.jtorch;

import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.internal.Numel;

/**
 * Tensor factories and free functions, like the {@code torch} namespace: {@code Torch.zeros(2, 3)},
 * {@code Torch.randn(4)}, {@code Torch.cat(...)}, {@code Torch.manualSeed(0)}.
 *
 * <p>Factories create CPU tensors; shapes are given last as varargs. Random factories draw from the global
 * {@link Generator} unless one is passed, with PyTorch's algorithms (see {@link Generator}).
 *
 * <p>Example:
 * <pre>{@code
 * Torch.manualSeed(42);
 * Tensor x = Torch.randn(2, 3);                      // torch.randn(2, 3)
 * Tensor y = Torch.tensor(new float[] {1, 2, 3}, 3);  // torch.tensor([1., 2., 3.])
 * Tensor i = Torch.arange(5);                         // int64 0..4
 * }</pre>
 */
public final class Torch {
    private static final Generator DEFAULT = new Generator(67280421310721L);

    private Torch() {
    }

    /** Seeds the global generator ({@code torch.manual_seed}). */
    public static Generator manualSeed(long seed) {
        return DEFAULT.manualSeed(seed);
    }

    private static final ThreadLocal<Generator> LOCAL = new ThreadLocal<>();

    /**
     * The generator that random functions without an explicit generator draw from: the global one, or on a thread
     * inside {@link #withDefaultGenerator} the one given there.
     */
    public static Generator defaultGenerator() {
        Generator g = LOCAL.get();
        return g != null ? g : DEFAULT;
    }

    /**
     * Runs {@code body} with {@code generator} as this thread's default generator (dropout, rand, randn, ... on this
     * thread draw from it), then restores the previous one. {@code DataParallel} gives each replica its own, so
     * replicas on several threads draw reproducibly without contending for the global generator.
     */
    public static <T> T withDefaultGenerator(Generator generator, java.util.function.Supplier<T> body) {
        if (generator == null) {
            throw new IllegalArgumentException("withDefaultGenerator: generator must not be null");
        }
        Generator previous = LOCAL.get();
        LOCAL.set(generator);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                LOCAL.remove();
            } else {
                LOCAL.set(previous);
            }
        }
    }

    static Tensor wrap(Storage s, int[] shape) {
        return new Tensor(s, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** An uninitialised-in-PyTorch tensor; here zero-filled ({@code torch.empty}). */
    public static Tensor empty(DType dtype, int... shape) {
        return emptyShared(dtype, shape.clone());
    }

    /** {@code empty} keeping the given shape array (never mutated by the engine) instead of copying it. */
    static Tensor emptyShared(DType dtype, int[] shape) {
        return wrap(CpuBackend.INSTANCE.allocate(dtype, Shapes.numel(shape)), shape);
    }

    /** {@code empty} in float32. */
    public static Tensor empty(int... shape) {
        return empty(DType.FLOAT32, shape);
    }

    /** Zeros of a dtype. */
    public static Tensor zeros(DType dtype, int... shape) {
        return empty(dtype, shape);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... shape) {
        return empty(DType.FLOAT32, shape);
    }

    /** Ones of a dtype. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(shape, 1, dtype);
    }

    /** float32 ones. */
    public static Tensor ones(int... shape) {
        return full(shape, 1, DType.FLOAT32);
    }

    /** A tensor filled with {@code value} ({@code torch.full}). */
    public static Tensor full(int[] shape, double value, DType dtype) {
        Tensor t = empty(dtype, shape);
        if (value != 0) {
            Dispatch.fill(t, value);
        }
        return t;
    }

    /** {@code full} in float32. */
    public static Tensor full(int[] shape, double value) {
        return full(shape, value, DType.FLOAT32);
    }

    /** Zeros shaped like {@code t}, of its dtype and on its device. */
    public static Tensor zerosLike(Tensor t) {
        return t.newEmptyShared(t.dtype, t.shape);
    }

    /** Ones shaped like {@code t}, of its dtype and on its device. */
    public static Tensor onesLike(Tensor t) {
        return fullLike(t, 1);
    }

    /** {@code value} shaped like {@code t}, of its dtype and on its device. */
    public static Tensor fullLike(Tensor t, double value) {
        Tensor out = t.newEmptyShared(t.dtype, t.shape);
        if (value != 0) {
            Dispatch.fill(out, value);
        }
        return out;
    }

    /** Zeros of a dtype on a device ({@code torch.zeros(..., dtype=, device=)}). */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        int[] sh = shape.clone();
        return wrap(Backends.of(device).allocate(dtype, Shapes.numel(sh)), sh);
    }

    /** Ones of a dtype on a device. */
    public static Tensor ones(DType dtype, Device device, int... shape) {
        return full(shape, 1, dtype, device);
    }

    /** {@code value} everywhere, of a dtype on a device ({@code torch.full(..., device=)}). */
    public static Tensor full(int[] shape, double value, DType dtype, Device device) {
        Tensor t = zeros(dtype, device, shape);
        if (value != 0) {
            Dispatch.fill(t, value);
        }
        return t;
    }

    /** Uniform [0, 1) shaped like {@code t}, on its device (drawn from the CPU stream, then copied). */
    public static Tensor randLike(Tensor t) {
        return rand(defaultGenerator(), t.dtype, t.shape).to(t.device());
    }

    /** Standard normal shaped like {@code t}, on its device (drawn from the CPU stream, then copied). */
    public static Tensor randnLike(Tensor t) {
        return randn(defaultGenerator(), t.dtype, t.shape).to(t.device());
    }

    static Tensor scalar(double v) {
        Tensor t = wrap(CpuBackend.wrap(new double[] {v}, DType.FLOAT64), Shapes.SCALAR);
        t.wrappedNumber = true;
        t.wrappedValue = v;
        return t;
    }

    static Tensor scalar(long v) {
        Tensor t = wrap(CpuBackend.wrap(new long[] {v}, DType.INT64), Shapes.SCALAR);
        t.wrappedNumber = true;
        t.wrappedValue = v;
        return t;
    }

    private static int[] checkLength(int length, int[] shape) {
        int n = Shapes.numel(shape);
        if (n != length) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " needs " + n + " elements, but the "
                    + "array has " + length);
        }
        return shape.clone();
    }

    /** A float32 tensor with a copy of {@code data} (shape defaults to 1-D). */
    public static Tensor tensor(float[] data, int... shape) {
        int[] sh = shape.length == 0 ? new int[] {data.length} : checkLength(data.length, shape);
        return wrap(CpuBackend.wrap(data.clone(), DType.FLOAT32), sh);
    }

    /** A float64 tensor with a copy of {@code data}. */
    public static Tensor tensor(double[] data, int... shape) {
        int[] sh = shape.length == 0 ? new int[] {data.length} : checkLength(data.length, shape);
        return wrap(CpuBackend.wrap(data.clone(), DType.FLOAT64), sh);
    }

    /** An int64 tensor with a copy of {@code data}. */
    public static Tensor tensor(long[] data, int... shape) {
        int[] sh = shape.length == 0 ? new int[] {data.length} : checkLength(data.length, shape);
        return wrap(CpuBackend.wrap(data.clone(), DType.INT64), sh);
    }

    /** A bool tensor with a copy of {@code data}. */
    public static Tensor tensor(boolean[] data, int... shape) {
        int[] sh = shape.length == 0 ? new int[] {data.length} : checkLength(data.length, shape);
        return wrap(CpuBackend.wrap(data.clone(), DType.BOOL), sh);
    }

    /** An int64 tensor with the values of {@code data} ({@code torch.tensor} of Python ints). */
    public static Tensor tensor(int[] data, int... shape) {
        long[] v = new long[data.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = data[i];
        }
        return tensor(v, shape);
    }

    /** A 0-dim float32 tensor ({@code torch.tensor(2.5)}: Java's element type names the dtype). */
    public static Tensor tensor(float value) {
        return wrap(CpuBackend.wrap(new float[] {value}, DType.FLOAT32), Shapes.SCALAR);
    }

    /** A 0-dim float64 tensor. */
    public static Tensor tensor(double value) {
        return wrap(CpuBackend.wrap(new double[] {value}, DType.FLOAT64), Shapes.SCALAR);
    }

    /** A 0-dim int64 tensor ({@code torch.tensor(3)}). */
    public static Tensor tensor(long value) {
        return wrap(CpuBackend.wrap(new long[] {value}, DType.INT64), Shapes.SCALAR);
    }

    /** A 0-dim bool tensor. */
    public static Tensor tensor(boolean value) {
        return wrap(CpuBackend.wrap(new boolean[] {value}, DType.BOOL), Shapes.SCALAR);
    }

    /** A float32 matrix from rows of equal length ({@code torch.tensor([[1., 2.], [3., 4.]])}). */
    public static Tensor tensor(float[][] rows) {
        int cols = NestedArrays.columns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        float[] v = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, v, i * cols, cols);
        }
        return tensor(v, rows.length, cols);
    }

    /** A float64 matrix from rows of equal length. */
    public static Tensor tensor(double[][] rows) {
        int cols = NestedArrays.columns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        double[] v = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, v, i * cols, cols);
        }
        return tensor(v, rows.length, cols);
    }

    /** An int64 matrix from rows of equal length. */
    public static Tensor tensor(long[][] rows) {
        int cols = NestedArrays.columns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        long[] v = new long[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, v, i * cols, cols);
        }
        return tensor(v, rows.length, cols);
    }

    /** A bool matrix from rows of equal length. */
    public static Tensor tensor(boolean[][] rows) {
        int cols = NestedArrays.columns(rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        boolean[] v = new boolean[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, v, i * cols, cols);
        }
        return tensor(v, rows.length, cols);
    }

    /** A float32 tensor of three dims from nested arrays of equal lengths. */
    public static Tensor tensor(float[][][] data) {
        int[] s = NestedArrays.shape3(data.length, i -> data[i] == null ? -1 : data[i].length,
                (i, j) -> data[i][j] == null ? -1 : data[i][j].length);
        float[] v = new float[s[0] * s[1] * s[2]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                System.arraycopy(data[i][j], 0, v, (i * s[1] + j) * s[2], s[2]);
            }
        }
        return tensor(v, s);
    }

    /** A float64 tensor of three dims from nested arrays of equal lengths. */
    public static Tensor tensor(double[][][] data) {
        int[] s = NestedArrays.shape3(data.length, i -> data[i] == null ? -1 : data[i].length,
                (i, j) -> data[i][j] == null ? -1 : data[i][j].length);
        double[] v = new double[s[0] * s[1] * s[2]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                System.arraycopy(data[i][j], 0, v, (i * s[1] + j) * s[2], s[2]);
            }
        }
        return tensor(v, s);
    }

    /** A float16 or bfloat16 tensor from raw bits. */
    public static Tensor fromHalfBits(short[] bits, DType dtype, int... shape) {
        if (dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalArgumentException("fromHalfBits needs FLOAT16 or BFLOAT16, got " + dtype);
        }
        int[] sh = shape.length == 0 ? new int[] {bits.length} : checkLength(bits.length, shape);
        return wrap(CpuBackend.wrap(bits.clone(), dtype), sh);
    }

    /** A 0-dim float32 tensor ({@code torch.tensor(2.5)}). */
    public static Tensor scalarTensor(double value) {
        return full(Shapes.SCALAR, value, DType.FLOAT32);
    }

    /** A 0-dim tensor of a dtype. */
    public static Tensor scalarTensor(double value, DType dtype) {
        return full(Shapes.SCALAR, value, dtype);
    }

    /** int64 {@code 0 .. end-1}. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** int64 {@code start, start+step, ...} below {@code end}. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero");
        }
        long n = Math.max(0, (end - start + step - (step > 0 ? 1 : -1)) / step);
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return wrap(CpuBackend.wrap(v, DType.INT64), new int[] {v.length});
    }

    /** float32 {@code start, start+step, ...} below {@code end} (as torch.arange with float arguments). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero");
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + i * step);
        }
        return wrap(CpuBackend.wrap(v, DType.FLOAT32), new int[] {n});
    }

    /** {@code steps} evenly spaced float32 values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        return linspace(start, end, steps, DType.FLOAT32);
    }

    /** linspace in a dtype (computed as PyTorch: from both ends toward the middle). */
    public static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) {
            throw new IllegalArgumentException("number of steps must be non-negative");
        }
        double[] v = new double[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            v[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        }
        return tensor(v, steps).to(dtype);
    }

    /** The n x n identity. */
    public static Tensor eye(int n) {
        return eye(n, n, DType.FLOAT32);
    }

    /** The n x m identity in a dtype. */
    public static Tensor eye(int n, int m, DType dtype) {
        Tensor t = empty(dtype, n, m);
        Tensor diag = new Tensor(t.storage, new int[] {Math.min(n, m)}, new int[] {m + 1}, 0);
        Dispatch.fill(diag, 1);
        return t;
    }

    /** Uniform [0, 1) float32 from the global generator. */
    public static Tensor rand(int... shape) {
        return rand(defaultGenerator(), DType.FLOAT32, shape);
    }

    /** Uniform [0, 1) in a dtype from a generator. */
    public static Tensor rand(Generator g, DType dtype, int... shape) {
        return uniform(g, dtype, 0, 1, shape);
    }

    static Tensor uniform(Generator g, DType dtype, double from, double to, int... shape) {
        requireFloat("rand", dtype);
        double[] v = new double[Shapes.numel(shape)];
        g.fillUniform(v, dtype, from, to);
        return tensor(v, shape.clone()).to(dtype);
    }

    /** Standard normal float32 from the global generator. */
    public static Tensor randn(int... shape) {
        return randn(defaultGenerator(), DType.FLOAT32, shape);
    }

    /** Standard normal in a dtype from a generator. */
    public static Tensor randn(Generator g, DType dtype, int... shape) {
        return normal(g, dtype, 0, 1, shape);
    }

    static Tensor normal(Generator g, DType dtype, double mean, double std, int... shape) {
        requireFloat("randn", dtype);
        double[] v = new double[Shapes.numel(shape)];
        g.fillNormal(v, dtype, mean, std);
        return tensor(v, shape.clone()).to(dtype);
    }

    /** Fills {@code t} in place with uniform values in [from, to) ({@code tensor.uniform_}); returns t. */
    public static Tensor uniform_(Tensor t, double from, double to, Generator g) {
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            return t.copy_(uniform(g == null ? defaultGenerator() : g, t.dtype(), from, to, t.shape));
        }
    }

    /** Fills {@code t} in place with normal values ({@code tensor.normal_}); returns t. */
    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            return t.copy_(normal(g == null ? defaultGenerator() : g, t.dtype(), mean, std, t.shape));
        }
    }

    /** Fills {@code t} in place with 1 (probability p) or 0 ({@code tensor.bernoulli_(p)}); returns t. */
    public static Tensor bernoulli_(Tensor t, double p, Generator g) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        }
        Generator gen = g == null ? defaultGenerator() : g;
        double[] v = new double[Numel.of(t)];
        synchronized (gen) {
            for (int i = 0; i < v.length; i++) {
                v[i] = gen.uniformDouble(0, 1) < p ? 1 : 0;
            }
        }
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            return t.copy_(tensor(v, t.shape()));
        }
    }

    private static void requireFloat(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + dtype);
        }
    }

    /** int64 values in [low, high) from the global generator. */
    public static Tensor randint(long low, long high, int... shape) {
        return randint(defaultGenerator(), low, high, shape);
    }

    /** int64 values in [low, high) from a generator. */
    public static Tensor randint(Generator g, long low, long high, int... shape) {
        long[] v = new long[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = g.randint(low, high);
        }
        return tensor(v, shape.clone());
    }

    /** A random permutation of 0..n-1 (int64), as PyTorch's CPU randperm: n - 1 swaps from random() % (n - i). */
    public static Tensor randperm(int n) {
        return randperm(defaultGenerator(), n);
    }

    /** {@link #randperm(int)} from a generator. */
    public static Tensor randperm(Generator g, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got" + n);
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        synchronized (g) {
            for (int i = 0; i < n - 1; i++) {
                int z = (int) (g.random() % (n - i));
                long sav = r[i];
                r[i] = r[z + i];
                r[z + i] = sav;
            }
        }
        return tensor(r, n);
    }

    /** Concatenates along an existing dim ({@code torch.cat}). */
    public static Tensor cat(Tensor[] tensors, int dim) {
        return ShapeOps.cat(tensors, dim);
    }

    /** Stacks along a new dim ({@code torch.stack}). */
    public static Tensor stack(Tensor[] tensors, int dim) {
        return ShapeOps.stack(tensors, dim);
    }

    /** {@code condition ? a : b} elementwise with broadcasting ({@code torch.where}). */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return ElementwiseOps.where(condition, a, b);
    }

    /** {@code torch.where(condition, a, scalar)}. */
    public static Tensor where(Tensor condition, Tensor a, double b) {
        return ElementwiseOps.where(condition, a, scalar(b));
    }

    /** {@code torch.result_type} of two tensors. */
    public static DType resultType(Tensor a, Tensor b) {
        return ElementwiseOps.resultType(a, b);
    }

    // ---------------------------------------------------------------- sorting, selection, scans, triangles

    /** {@code torch.sort(input, dim, descending)}: see {@link Tensor#sort(int, boolean)}. */
    public static ValuesIndices sort(Tensor input, int dim, boolean descending) {
        return input.sort(dim, descending);
    }

    /** {@code torch.sort(input, stable=stable, dim=dim, descending=descending)}. */
    public static ValuesIndices sort(Tensor input, boolean stable, int dim, boolean descending) {
        return input.sort(stable, dim, descending);
    }

    /** {@code torch.argsort(input, dim, descending, stable)}: see {@link Tensor#argsort(int, boolean)}. */
    public static Tensor argsort(Tensor input, int dim, boolean descending, boolean stable) {
        return input.argsort(dim, descending, stable);
    }

    /** {@code torch.topk(input, k, dim, largest, sorted)}: see {@link Tensor#topk(int, int, boolean, boolean)}. */
    public static ValuesIndices topk(Tensor input, int k, int dim, boolean largest, boolean sorted) {
        return input.topk(k, dim, largest, sorted);
    }

    /** {@code torch.kthvalue(input, k, dim, keepdim)}: see {@link Tensor#kthvalue(int, int, boolean)}. */
    public static ValuesIndices kthvalue(Tensor input, int k, int dim, boolean keepdim) {
        return input.kthvalue(k, dim, keepdim);
    }

    /** {@code torch.cumsum(input, dim)}: see {@link Tensor#cumsum(int)}. */
    public static Tensor cumsum(Tensor input, int dim) {
        return input.cumsum(dim);
    }

    /** {@code torch.cumsum(input, dim, dtype=dtype)}. */
    public static Tensor cumsum(Tensor input, int dim, DType dtype) {
        return input.cumsum(dim, dtype);
    }

    /** {@code torch.cumprod(input, dim)}: see {@link Tensor#cumprod(int)}. */
    public static Tensor cumprod(Tensor input, int dim) {
        return input.cumprod(dim);
    }

    /** {@code torch.cumprod(input, dim, dtype=dtype)}. */
    public static Tensor cumprod(Tensor input, int dim, DType dtype) {
        return input.cumprod(dim, dtype);
    }

    /** {@code torch.tril(input, diagonal)}: see {@link Tensor#tril(int)}. */
    public static Tensor tril(Tensor input, int diagonal) {
        return input.tril(diagonal);
    }

    /** {@code torch.triu(input, diagonal)}: see {@link Tensor#triu(int)}. */
    public static Tensor triu(Tensor input, int diagonal) {
        return input.triu(diagonal);
    }
}
