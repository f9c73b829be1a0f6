package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads what PyTorch writes with {@code torch.save(model.state_dict(), path)} (the zip format of PyTorch 1.6
 * and later) without Python and without running anything from the file: a restricted unpickler
 * ({@link TorchPickle}, like {@code torch.load(weights_only=True)}) reads the pickled structure, and tensor
 * data comes from the archive's storage entries. Tensors are rebuilt with their sizes, strides and offsets
 * and returned contiguous; tensors sharing a storage in the file share it here only by value.
 *
 * <p>Supported dtypes: float32, float64, int64, bool, float16, bfloat16; other dtypes, other globals (any
 * class or function outside the allowlist), legacy pre-1.6 files and corrupt archives fail with a
 * {@link TorchLoadException} naming the problem.
 *
 * <p>Example: {@code model.loadStateDict(TorchLoad.loadStateDict(Path.of("model.pt")));}
 */
public final class TorchLoad {
    private TorchLoad() {
    }

    /** A state dict: the file must hold a dict from string keys to tensors. */
    public static LinkedHashMap<String, Tensor> loadStateDict(Path path) {
        try {
            return loadStateDict(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new TorchLoadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@link #loadStateDict(Path)} from the bytes of a file. */
    public static LinkedHashMap<String, Tensor> loadStateDict(byte[] file) {
        Object o = load(file);
        if (!(o instanceof Map<?, ?> m)) {
            throw new TorchLoadException("expected a state dict (a dict of tensors) but the file holds a "
                    + describe(o));
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new TorchLoadException("state dict key " + e.getKey() + " is not a string");
            }
            if (!(e.getValue() instanceof Tensor t)) {
                throw new TorchLoadException("state dict entry '" + k + "' is a " + describe(e.getValue())
                        + ", not a tensor");
            }
            out.put(k, t);
        }
        return out;
    }

    /** The loaded structure: maps, lists, tensors, strings, numbers, booleans and null. */
    public static Object load(byte[] file) {
        Map<String, byte[]> entries = unzip(file);
        String pkl = null;
        for (String name : entries.keySet()) {
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))) {
                pkl = name;
            }
        }
        if (pkl == null) {
            throw new TorchLoadException("no data.pkl in the archive: not a torch.save file (entries: "
                    + entries.keySet() + ")");
        }
        String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
        byte[] order = entries.get(prefix + "byteorder");
        boolean big = order != null && new String(order, StandardCharsets.US_ASCII).trim().equals("big");
        Map<String, Tensor> storages = new HashMap<>();
        Object raw = TorchPickle.load(entries.get(pkl), pid -> storage(pid, entries, prefix, big, storages));
        return rebuild(raw);
    }

    private static Map<String, byte[]> unzip(byte[] file) {
        if (file.length >= 2 && (file[0] & 0xff) == 0x80) {
            throw new TorchLoadException("this is a legacy (pre-1.6) torch.save file; re-save it with a current "
                    + "PyTorch (torch.save(torch.load(f), f2)) to get the zip format");
        }
        if (file.length < 4 || file[0] != 'P' || file[1] != 'K') {
            throw new TorchLoadException("not a zip archive: torch.save files since PyTorch 1.6 are zip files");
        }
        Map<String, byte[]> out = ZipReader.read(file);
        if (out.isEmpty()) {
            throw new TorchLoadException("corrupt zip archive: no entries");
        }
        return out;
    }

    private static Object storage(Object pid, Map<String, byte[]> entries, String prefix, boolean big,
                                  Map<String, Tensor> cache) {
        if (!(pid instanceof List<?> l) || l.size() < 5 || !"storage".equals(l.get(0))) {
            throw new TorchLoadException("unexpected persistent id " + pid + ": only tensor storages are accepted");
        }
        if (!(l.get(1) instanceof TorchPickle.Global type) || !(l.get(2) instanceof String key)
                || !(l.get(4) instanceof Long numel)) {
            throw new TorchLoadException("malformed storage reference " + pid);
        }
        return cache.computeIfAbsent(key, k -> {
            DType dt = dtype(type.name());
            byte[] data = entries.get(prefix + "data/" + key);
            if (data == null) {
                throw new TorchLoadException("storage " + key + " is missing from the archive");
            }
            long expected = numel * dt.itemSize();
            if (numel < 0 || numel > Integer.MAX_VALUE || data.length != expected) {
                throw new TorchLoadException("storage " + key + " of " + numel + " " + dt + " elements needs "
                        + expected + " bytes but the archive holds " + data.length);
            }
            ByteBuffer b = ByteBuffer.wrap(data).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            int n = (int) (long) numel;
            return switch (dt) {
                case FLOAT32 -> {
                    float[] a = new float[n];
                    b.asFloatBuffer().get(a);
                    yield Torch.tensor(a, n);
                }
                case FLOAT64 -> {
                    double[] a = new double[n];
                    b.asDoubleBuffer().get(a);
                    yield Torch.tensor(a, n);
                }
                case INT64 -> {
                    long[] a = new long[n];
                    b.asLongBuffer().get(a);
                    yield Torch.tensor(a, n);
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = data[i] != 0;
                    }
                    yield Torch.tensor(a, n);
                }
                case FLOAT16, BFLOAT16 -> {
                    short[] a = new short[n];
                    b.asShortBuffer().get(a);
                    yield Torch.fromHalfBits(a, dt, n);
                }
            };
        });
    }

    private static DType dtype(String storageType) {
        return switch (storageType) {
            case "FloatStorage" -> DType.FLOAT32;
            case "DoubleStorage" -> DType.FLOAT64;
            case "LongStorage" -> DType.INT64;
            case "BoolStorage" -> DType.BOOL;
            case "HalfStorage" -> DType.FLOAT16;
            case "BFloat16Storage" -> DType.BFLOAT16;
            default -> throw new TorchLoadException("tensors of " + storageType + " are not supported by jtorch "
                    + "(float32, float64, int64, bool, float16 and bfloat16 are)");
        };
    }

    private static Object rebuild(Object o) {
        if (o instanceof Map<?, ?> m) {
            LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(rebuild(e.getKey()), rebuild(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(TorchLoad::rebuild).toList();
        }
        if (o instanceof TorchPickle.Call c) {
            return switch (c.fn().qualified()) {
                case "torch._utils._rebuild_tensor_v2" -> tensor(c.args());
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
                        rebuild(c.args().get(0));
                default -> throw new TorchLoadException("cannot rebuild " + c.fn().qualified()
                        + ": not a tensor");
            };
        }
        if (o instanceof TorchPickle.Global g) {
            throw new TorchLoadException("unexpected bare global " + g.qualified());
        }
        return o;
    }

    private static Tensor tensor(List<Object> args) {
        if (args.size() < 4 || !(args.get(0) instanceof Tensor storage) || !(args.get(1) instanceof Long offset)
                || !(args.get(2) instanceof List<?> size) || !(args.get(3) instanceof List<?> stride)) {
            throw new TorchLoadException("malformed _rebuild_tensor_v2 arguments " + args);
        }
        int[] sz = ints(size);
        int[] st = ints(stride);
        if (sz.length != st.length) {
            throw new TorchLoadException("tensor size " + size + " and stride " + stride + " differ in length");
        }
        try {
            return storage.asStrided(sz, st, Math.toIntExact(offset)).contiguous().clone();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TorchLoadException("tensor of size " + size + ", stride " + stride + " and offset " + offset
                    + " does not fit its storage of " + storage.numel() + " elements", e);
        }
    }

    private static int[] ints(List<?> l) {
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new TorchLoadException("bad size or stride entry " + l.get(i));
            }
            out[i] = (int) (long) v;
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Map ? "dict" : o instanceof List ? "list/tuple"
                : o.getClass().getSimpleName();
    }
}
