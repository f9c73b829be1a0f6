package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.cpu.CpuBackend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads what PyTorch writes with {@code torch.save(obj, path)} (the zip format of PyTorch 1.6 and later)
 * without Python and without running anything from the file: a restricted unpickler ({@link TorchPickle},
 * like {@code torch.load(weights_only=True)}) reads the pickled structure, and tensor data comes from the
 * archive's storage entries.
 *
 * <p>As in PyTorch, tensors are views: tensors that share a storage in the file share one storage here, and
 * sizes, strides and storage offsets are kept, so {@code torch.zeros(1).expand(30000, 30000)} loads as a
 * view with stride 0 over one element. Storages are read straight from the file in chunks into their final
 * arrays (peak heap is close to the tensors' own size; files over 2 GB load as long as each storage holds
 * at most 2^31-1 elements). Checkpoint values load as Java values: dicts as {@link LinkedHashMap}, lists as
 * {@link ArrayList}, tuples as unmodifiable lists (which may hold null), sets as {@link Set}, ints as
 * {@link Long} (or {@link java.math.BigInteger}), floats as {@link Double}, str, bytes as {@code byte[]},
 * None as null, {@code torch.device} as its string ("cpu", "cuda:0").
 *
 * <p>Safe on files it did not write: every malformed or hostile input fails with a
 * {@link TorchLoadException} naming the problem, before a tensor is returned. The zip directory is checked
 * (fields inside the file, no overlapping entries, sizes and CRC-32), and what the pickle may build is
 * bounded by {@link Limits}: objects created, nesting depth, the size of its containers if shared references
 * were expanded ("billion laughs"), and the size of data.pkl. Self-referential containers are refused.
 * Supported dtypes: float32, float64, int64, bool, float16, bfloat16; other dtypes, other globals (any class
 * or function outside the allowlist) and legacy pre-1.6 files fail with a message.
 *
 * <p>Example: {@code model.loadStateDict(TorchLoad.loadStateDict(Path.of("model.pt")));}
 */
public final class TorchLoad {
    private TorchLoad() {
    }

    /**
     * What a checkpoint's pickle may build.
     *
     * @param maxObjects       objects and container slots the unpickler may create
     * @param maxDepth         nesting depth of containers in the result
     * @param maxExpandedSize  nodes of the result if every shared container were copied out (a pickle that
     *                         references one container many times over, a "billion laughs", fails here)
     * @param maxPickleBytes   the size of data.pkl
     */
    public record Limits(long maxObjects, int maxDepth, long maxExpandedSize, long maxPickleBytes) {
        /**
         * Defaults that every real state dict and training checkpoint meets at the heap that can hold its
         * tensors, while a hostile pickle cannot fill the heap: objects scale with the heap (a 128th of the
         * maximum heap, between 1 and 64 million units, where one unit is about 40 bytes of what the pickle
         * builds: 2 million at -Xmx256m, enough for about 40,000 tensors; PyTorch spends some 45 units per
         * tensor), depth 200, expanded size four times the objects, and data.pkl up to an eighth of the heap
         * (at least 16 MB, at most 1 GB).
         *
         * @return the defaults for this JVM's maximum heap
         */
        public static Limits defaults() {
            long heap = Runtime.getRuntime().maxMemory();
            long objects = Math.clamp(heap / 128, 1_000_000L, 64_000_000L);
            return new Limits(objects, 200, 4 * objects, Math.clamp(heap / 8, 16L << 20, 1L << 30));
        }
    }

    /** A state dict: the file must hold a dict from string keys to tensors. */
    public static LinkedHashMap<String, Tensor> loadStateDict(Path path) {
        return stateDict(load(path));
    }

    /** {@link #loadStateDict(Path)} from the bytes of a file. */
    public static LinkedHashMap<String, Tensor> loadStateDict(byte[] file) {
        return stateDict(load(file));
    }

    private static LinkedHashMap<String, Tensor> stateDict(Object o) {
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

    /** The loaded structure of a file: maps, lists, tensors, strings, numbers, booleans and null. */
    public static Object load(Path path) {
        return load(path, Limits.defaults());
    }

    /** {@link #load(Path)} with explicit limits. */
    public static Object load(Path path, Limits limits) {
        try (ByteSource src = ByteSource.open(path, TorchLoadException::new)) {
            return load(src, limits);
        }
    }

    /** The loaded structure of the bytes of a file. */
    public static Object load(byte[] file) {
        return load(file, Limits.defaults());
    }

    /** {@link #load(byte[])} with explicit limits. */
    public static Object load(byte[] file, Limits limits) {
        return load(ByteSource.of(file), limits);
    }

    private static Object load(ByteSource src, Limits limits) {
        checkMagic(src);
        ZipReader zip = ZipReader.open(src);
        Map<String, ZipReader.Entry> entries = zip.entries();
        if (entries.isEmpty()) {
            throw new TorchLoadException("corrupt zip archive: no entries");
        }
        String pkl = null;
        for (String name : entries.keySet()) {
            if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9)) {
                if (pkl != null) {
                    throw new TorchLoadException("the archive holds two data.pkl records (" + pkl + ", " + name + ")");
                }
                pkl = name;
            }
        }
        if (pkl == null) {
            throw new TorchLoadException("no data.pkl in the archive: not a torch.save file (entries: "
                    + first(entries.keySet()) + ")");
        }
        String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
        ZipReader.Entry orderEntry = entries.get(prefix + "byteorder");
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (orderEntry != null) {
            String o = new String(zip.readAll(orderEntry, 16), StandardCharsets.US_ASCII).trim();
            if (o.equals("big")) {
                order = ByteOrder.BIG_ENDIAN;
            } else if (!o.equals("little")) {
                throw new TorchLoadException("byteorder record says '" + o + "', expected 'little' or 'big'");
            }
        }
        byte[] pickle = zip.readAll(entries.get(pkl), Math.min(limits.maxPickleBytes(), Integer.MAX_VALUE - 8));
        StorageLoader storages = new StorageLoader(zip, prefix, order);
        Object raw = TorchPickle.load(pickle, storages::load, limits.maxObjects());
        return new Rebuilder(limits).rebuild(raw, 0).value;
    }

    private static void checkMagic(ByteSource src) {
        long size = src.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(4, size));
        src.read(0, head, TorchLoadException::new);
        byte[] h = head.array();
        if (h.length >= 2 && (h[0] & 0xff) == 0x80) {
            throw new TorchLoadException("this is a legacy (pre-1.6) torch.save file; re-save it with a current "
                    + "PyTorch (torch.save(torch.load(f), f2)) to get the zip format");
        }
        if (h.length < 4 || h[0] != 'P' || h[1] != 'K') {
            throw new TorchLoadException("not a zip archive: torch.save files since PyTorch 1.6 are zip files");
        }
    }

    private static String first(Set<String> names) {
        List<String> l = new ArrayList<>();
        for (String n : names) {
            if (l.size() == 10) {
                l.add("... " + (names.size() - 10) + " more");
                break;
            }
            l.add(n);
        }
        return l.toString();
    }

    /** A storage loaded once per key: the dtype and a one-dim tensor over all of it. */
    private record LoadedStorage(String type, long numel, Tensor flat) {
    }

    /** Resolves persistent ids ('storage', type, key, location, numel) to storages, reading each once. */
    private static final class StorageLoader {
        private final ZipReader zip;
        private final String prefix;
        private final ByteOrder order;
        private final Map<String, LoadedStorage> cache = new HashMap<>();

        StorageLoader(ZipReader zip, String prefix, ByteOrder order) {
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
        }

        Object load(Object pid) {
            if (!(pid instanceof List<?> l) || l.size() != 5 || !"storage".equals(l.get(0))) {
                throw new TorchLoadException("unexpected persistent id " + shortString(pid)
                        + ": only tensor storages ('storage', type, key, location, numel) are accepted");
            }
            if (!(l.get(1) instanceof TorchPickle.Global type) || !(l.get(2) instanceof String key)
                    || !(l.get(4) instanceof Long numel)) {
                throw new TorchLoadException("malformed storage reference " + shortString(pid));
            }
            LoadedStorage s = cache.get(key);
            if (s == null) {
                s = read(type.name(), key, numel);
                cache.put(key, s);
            } else if (!s.type.equals(type.name()) || s.numel != numel) {
                throw new TorchLoadException("storage " + key + " is referenced as " + s.numel + " " + s.type
                        + " elements and as " + numel + " " + type.name() + " elements");
            }
            return s;
        }

        private LoadedStorage read(String type, String key, long numel) {
            DType dt = dtype(type);
            ZipReader.Entry e = zip.entries().get(prefix + "data/" + key);
            if (e == null) {
                throw new TorchLoadException("storage " + key + " is missing from the archive");
            }
            if (numel < 0 || numel > Integer.MAX_VALUE) {
                throw new TorchLoadException("storage " + key + " holds " + numel + " elements; jtorch's storages "
                        + "hold at most 2^31-1 (" + Integer.MAX_VALUE + ") elements");
            }
            long expected = numel * dt.itemSize();
            if (e.size() != expected) {
                throw new TorchLoadException("storage " + key + " of " + numel + " " + dt + " elements needs "
                        + expected + " bytes but the archive holds " + e.size());
            }
            String what = "storage " + key + " (" + numel + " " + dt + " elements)";
            Object array = Storages.allocate(dt, (int) numel, what, TorchLoadException::new, false);
            Storages.Filler fill = new Storages.Filler(array, dt, order, false, what, TorchLoadException::new);
            zip.stream(e, fill::accept);
            Storage st = CpuBackend.wrap(fill.finish(), dt);
            Tensor flat = Tensor.fromStorage(st, new int[] {st.size()}, null, 0);
            return new LoadedStorage(type, numel, flat);
        }
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

    /** A rebuilt value and the size of its tree if shared references were copied out. */
    private record Built(Object value, long expanded) {
    }

    /**
     * Turns the unpickler's output into Java values: tensors from their rebuild calls, each container once
     * (shared containers stay shared), refusing cycles and bounding depth and expanded size.
     */
    private static final class Rebuilder {
        private final Limits limits;
        private final IdentityHashMap<Object, Built> done = new IdentityHashMap<>();
        private final IdentityHashMap<Object, Boolean> active = new IdentityHashMap<>();

        Rebuilder(Limits limits) {
            this.limits = limits;
        }

        Built rebuild(Object o, int depth) {
            if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean
                    || o instanceof byte[] || o instanceof Tensor) {
                return new Built(o, 1);
            }
            Built b = done.get(o);
            if (b != null) {
                return b;
            }
            if (depth > limits.maxDepth()) {
                throw new TorchLoadException("the checkpoint nests containers deeper than " + limits.maxDepth()
                        + " (TorchLoad.Limits.maxDepth)");
            }
            if (active.put(o, Boolean.TRUE) != null) {
                throw new TorchLoadException("the checkpoint holds a self-referential " + describe(o)
                        + " (a container that contains itself); jtorch does not load cyclic structures");
            }
            long[] size = {1};
            Object value = switch (o) {
                case Map<?, ?> m -> {
                    LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        out.put(child(e.getKey(), depth, size), child(e.getValue(), depth, size));
                    }
                    yield out;
                }
                case List<?> l when TorchPickle.isTuple(l) -> {
                    Object[] items = new Object[l.size()];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = child(l.get(i), depth, size);
                    }
                    yield TorchPickle.tuple(items);
                }
                case List<?> l -> {
                    ArrayList<Object> out = new ArrayList<>(l.size());
                    for (Object e : l) {
                        out.add(child(e, depth, size));
                    }
                    yield out;
                }
                case Set<?> s -> {
                    Set<Object> out = new LinkedHashSet<>();
                    for (Object e : s) {
                        out.add(child(e, depth, size));
                    }
                    yield s instanceof LinkedHashSet<?> ? out : java.util.Collections.unmodifiableSet(out);
                }
                case TorchPickle.Call c -> call(c, depth, size);
                case LoadedStorage s -> throw new TorchLoadException("a bare storage (" + s.numel + " " + s.type
                        + " elements) outside a tensor; jtorch loads tensors, not storages");
                case TorchPickle.Global g -> throw new TorchLoadException("unexpected bare global " + g.qualified());
                default -> throw new TorchLoadException("unexpected value of type " + o.getClass().getSimpleName());
            };
            active.remove(o);
            Built built = new Built(value, size[0]);
            done.put(o, built);
            return built;
        }

        private Object child(Object o, int depth, long[] size) {
            Built b = rebuild(o, depth + 1);
            size[0] = Math.min(size[0] + b.expanded, Long.MAX_VALUE / 4);
            if (size[0] > limits.maxExpandedSize()) {
                throw new TorchLoadException("the checkpoint's containers expand to more than "
                        + limits.maxExpandedSize() + " values when shared references are followed (a pickle that "
                        + "references one container many times over; TorchLoad.Limits.maxExpandedSize)");
            }
            return b.value;
        }

        private Object call(TorchPickle.Call c, int depth, long[] size) {
            List<Object> args = c.args();
            return switch (c.fn().qualified()) {
                case "torch._utils._rebuild_tensor_v2" -> {
                    if (args.size() < 4 || !(args.get(0) instanceof LoadedStorage s)) {
                        throw new TorchLoadException("malformed _rebuild_tensor_v2 arguments " + shortString(args));
                    }
                    yield tensor(s, args.get(1), args.get(2), args.get(3));
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    if (args.isEmpty()) {
                        throw new TorchLoadException(c.fn().name() + " without arguments");
                    }
                    Object t = child(args.get(0), depth, size);
                    if (!(t instanceof Tensor)) {
                        throw new TorchLoadException(c.fn().name() + " of a " + describe(t) + ", not a tensor");
                    }
                    yield t;
                }
                case "torch.device" -> {
                    if (args.isEmpty() || !(args.get(0) instanceof String type) || args.size() > 2
                            || (args.size() == 2 && args.get(1) != null && !(args.get(1) instanceof Long))) {
                        throw new TorchLoadException("malformed torch.device arguments " + shortString(args));
                    }
                    yield args.size() == 2 && args.get(1) != null ? type + ":" + args.get(1) : type;
                }
                default -> throw new TorchLoadException("cannot rebuild " + c.fn().qualified()
                        + ": only tensors, parameters and devices are rebuilt");
            };
        }
    }

    private static Tensor tensor(LoadedStorage s, Object offsetArg, Object sizeArg, Object strideArg) {
        if (!(offsetArg instanceof Long offset) || !(sizeArg instanceof List<?> size)
                || !(strideArg instanceof List<?> stride)) {
            throw new TorchLoadException("malformed _rebuild_tensor_v2 arguments: offset " + shortString(offsetArg)
                    + ", size " + shortString(sizeArg) + ", stride " + shortString(strideArg));
        }
        if (size.size() != stride.size() || size.size() > 64) {
            throw new TorchLoadException("tensor size " + shortString(size) + " and stride " + shortString(stride)
                    + " differ in length or have more than 64 dims");
        }
        int[] sz = ints(size, "size");
        int[] st = ints(stride, "stride");
        long max = offset;
        boolean empty = false;
        for (int i = 0; i < sz.length; i++) {
            empty |= sz[i] == 0;
            max += (long) Math.max(sz[i] - 1, 0) * st[i];
        }
        if (offset < 0 || (!empty && max >= s.numel) || (empty && offset > s.numel)) {
            throw new TorchLoadException("setStorage: sizes " + size + ", strides " + stride + ", storage offset "
                    + offset + " are out of bounds for a storage of " + s.numel + " elements");
        }
        try {
            return s.flat.asStrided(sz, st, (int) (long) offset);
        } catch (IllegalArgumentException e) {
            throw new TorchLoadException("tensor of size " + size + ", stride " + stride + " and offset " + offset
                    + " cannot be built: " + e.getMessage(), e);
        }
    }

    private static int[] ints(List<?> l, String what) {
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new TorchLoadException("bad tensor " + what + " entry " + shortString(l.get(i))
                        + " (expected an integer in [0, 2^31-1])");
            }
            out[i] = (int) (long) v;
        }
        return out;
    }

    /** A bounded rendering (depth 3, 200 characters) that is safe on shared or cyclic structures. */
    private static String shortString(Object o) {
        StringBuilder b = new StringBuilder();
        render(o, b, 0);
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }

    private static void render(Object o, StringBuilder b, int depth) {
        if (b.length() > 200) {
            return;
        }
        if (o instanceof List<?> l) {
            if (depth >= 3) {
                b.append("[...]");
                return;
            }
            b.append('(');
            for (int i = 0; i < l.size() && b.length() <= 200; i++) {
                b.append(i > 0 ? ", " : "");
                render(l.get(i), b, depth + 1);
            }
            b.append(')');
        } else if (o instanceof String str) {
            b.append('\'').append(str, 0, Math.min(str.length(), 100)).append('\'');
        } else if (o == null || o instanceof Number || o instanceof Boolean) {
            b.append(o == null ? "None" : o);
        } else if (o instanceof TorchPickle.Global g) {
            b.append(g.qualified());
        } else {
            b.append(describe(o));
        }
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Map ? "dict" : o instanceof List ? "list/tuple"
                : o instanceof Set ? "set" : o.getClass().getSimpleName();
    }
}
