package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.cpu.CpuBackend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, a JSON header, then the raw
 * little-endian data), bit-compatible with the Python {@code safetensors} package; this is how weights move
 * between PyTorch and jtorch. Dtypes F32, F64, I64, BOOL, F16 and BF16.
 *
 * <p>Every rule of the format is checked before any tensor is built: header length at most 100 MB and
 * inside the file, valid UTF-8 JSON object, no duplicate keys, known dtypes, non-negative shapes, shape x
 * dtype size equal to the offsets' span (overflow-checked), offsets contiguous, non-overlapping and covering
 * the data exactly, bool bytes 0 or 1. A bad file gets a {@link SafeTensorsException} naming the rule.
 *
 * <p>Files are read by position: the header is parsed through a small buffer into one record per tensor,
 * and {@link Reader#get} reads a tensor's bytes in chunks straight into its array, so a large checkpoint is
 * never read whole into the heap (peak heap is close to the tensors' own size; a header of 90 MB needs
 * about its records' size) and files over 2 GB work when each tensor has at most 2^31-1 elements.
 *
 * <p>Example:
 * <pre>{@code
 * SafeTensors.save(Map.of("weight", w), Map.of("format", "pt"), Path.of("model.safetensors"));
 * try (var r = SafeTensors.open(Path.of("model.safetensors"))) {
 *     Tensor w2 = r.get("weight");
 * }
 * }</pre>
 */
public final class SafeTensors {
    /** The largest header accepted, as the reference implementation (100 MB). */
    public static final long MAX_HEADER_SIZE = 100_000_000L;

    private SafeTensors() {
    }

    /** Name, dtype, shape and byte range (relative to the data section) of one stored tensor. */
    public record Info(String name, DType dtype, int[] shape, long begin, long end) {
        @Override
        public String toString() {
            return name + ": " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    /** An open safetensors file or buffer; tensors are decoded on demand. */
    public static final class Reader implements AutoCloseable {
        private final ByteSource src;
        private final long dataStart;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Info> infos = new LinkedHashMap<>();

        private Reader(ByteSource src) {
            this.src = src;
            long size = src.size();
            if (size < 8) {
                throw new SafeTensorsException("file too small: " + size + " bytes, a safetensors file starts with an"
                        + " 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            src.read(0, lenBuf, SafeTensorsException::new);
            long n = lenBuf.getLong(0);
            if (n < 0 || n > MAX_HEADER_SIZE) {
                throw new SafeTensorsException("header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                        + MAX_HEADER_SIZE + " bytes");
            }
            if (n > size - 8) {
                throw new SafeTensorsException("header length " + n + " runs past the end of the file (" + size
                        + " bytes): the file is truncated or not safetensors");
            }
            this.dataStart = 8 + n;
            Json json = new Json(src, 8, n);
            if (json.peek() != '{') {
                throw new SafeTensorsException("header must be a JSON object starting with '{'");
            }
            json.expect('{');
            List<Info> list = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (boolean first = true; json.more('}', first); first = false) {
                String key = json.key();
                if (!seen.add(key)) {
                    throw new SafeTensorsException("duplicate key '" + key + "' in the header");
                }
                if (key.equals("__metadata__")) {
                    readMetadata(json);
                } else {
                    list.add(info(key, json));
                }
            }
            json.end();
            list.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
            long expected = 0;
            for (Info i : list) {
                if (i.begin != expected) {
                    throw new SafeTensorsException("tensor '" + i.name + "' data_offsets start at " + i.begin
                            + " but the previous tensor ends at " + expected + ": offsets must be contiguous and "
                            + "non-overlapping");
                }
                expected = i.end;
                infos.put(i.name, i);
            }
            long dataLength = size - dataStart;
            if (expected != dataLength) {
                throw new SafeTensorsException("the tensors cover " + expected + " bytes but the data section has "
                        + dataLength + " bytes");
            }
        }

        private void readMetadata(Json json) {
            if (json.peek() != '{') {
                json.skipValue();
                throw new SafeTensorsException("__metadata__ must be an object of strings");
            }
            json.expect('{');
            for (boolean first = true; json.more('}', first); first = false) {
                String k = json.key();
                if (!json.atString()) {
                    json.skipValue();
                    throw new SafeTensorsException("__metadata__ value for '" + k + "' is not a string");
                }
                if (metadata.put(k, json.string()) != null) {
                    throw new SafeTensorsException("duplicate key '" + k + "' in the header");
                }
            }
        }

        private static Info info(String name, Json json) {
            if (json.peek() != '{') {
                json.skipValue();
                throw new SafeTensorsException("entry '" + name + "' is not an object");
            }
            json.expect('{');
            String ds = null;
            List<Long> shapeList = null;
            List<Long> offsets = null;
            for (boolean first = true; json.more('}', first); first = false) {
                String k = json.key();
                switch (k) {
                    case "dtype" -> {
                        if (ds != null || !json.atString()) {
                            json.skipValue();
                            throw new SafeTensorsException("entry '" + name + "' has no dtype string");
                        }
                        ds = json.string();
                    }
                    case "shape" -> {
                        if (shapeList != null) {
                            throw new SafeTensorsException("duplicate key 'shape' in entry '" + name + "'");
                        }
                        shapeList = longs(json, name, "shape list");
                    }
                    case "data_offsets" -> {
                        if (offsets != null) {
                            throw new SafeTensorsException("duplicate key 'data_offsets' in entry '" + name + "'");
                        }
                        offsets = longs(json, name, "data_offsets");
                    }
                    default -> {
                        json.skipValue();
                        throw new SafeTensorsException("entry '" + name + "' has unknown field '" + k + "'");
                    }
                }
            }
            if (ds == null) {
                throw new SafeTensorsException("entry '" + name + "' has no dtype string");
            }
            if (shapeList == null) {
                throw new SafeTensorsException("entry '" + name + "' has no shape list");
            }
            DType dtype;
            try {
                dtype = DType.fromSafetensorsName(ds);
            } catch (IllegalArgumentException ex) {
                throw new SafeTensorsException("tensor '" + name + "': " + ex.getMessage());
            }
            List<Long> sl = shapeList;
            if (sl.size() > 64) {
                throw new SafeTensorsException("tensor '" + name + "' has " + sl.size() + " dims, more than 64");
            }
            int[] shape = new int[sl.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = sl.get(i);
                if (d < 0) {
                    throw new SafeTensorsException("tensor '" + name + "' shape " + sl + " must hold non-negative "
                            + "integers");
                }
                if (d > Integer.MAX_VALUE) {
                    throw new SafeTensorsException("tensor '" + name + "' dimension " + d + " is too large");
                }
                shape[i] = (int) d;
                try {
                    numel = Math.multiplyExact(numel, d);
                } catch (ArithmeticException ex) {
                    throw new SafeTensorsException("tensor '" + name + "' shape " + sl + " overflows");
                }
            }
            if (offsets == null || offsets.size() != 2 || offsets.get(0) < 0 || offsets.get(1) < offsets.get(0)) {
                throw new SafeTensorsException("tensor '" + name + "' needs data_offsets [begin, end] with "
                        + "0 <= begin <= end, got " + offsets);
            }
            long b = offsets.get(0);
            long e = offsets.get(1);
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, dtype.itemSize());
            } catch (ArithmeticException ex) {
                throw new SafeTensorsException("tensor '" + name + "' byte size overflows");
            }
            if (e - b != bytes) {
                throw new SafeTensorsException("tensor '" + name + "' of dtype " + ds + " and shape " + sl
                        + " needs " + bytes + " bytes but data_offsets " + offsets + " span " + (e - b));
            }
            return new Info(name, dtype, shape, b, e);
        }

        private static List<Long> longs(Json json, String name, String what) {
            if (json.peek() != '[') {
                json.skipValue();
                throw new SafeTensorsException("entry '" + name + "' has no " + what);
            }
            json.expect('[');
            List<Long> out = new ArrayList<>();
            for (boolean first = true; json.more(']', first); first = false) {
                int c = json.peek();
                if (c != '-' && (c < '0' || c > '9')) {
                    json.skipValue();
                    throw new SafeTensorsException("tensor '" + name + "' " + what + " must hold integers");
                }
                out.add(json.integer());
                if (out.size() > 64) {
                    throw new SafeTensorsException("tensor '" + name + "' " + what + " has more than 64 entries");
                }
            }
            return out;
        }

        /** The {@code __metadata__} map (empty if absent). */
        public Map<String, String> metadata() {
            return Collections.unmodifiableMap(metadata);
        }

        /** Tensor names in data order. */
        public List<String> keys() {
            return List.copyOf(infos.keySet());
        }

        /** Dtype, shape and offsets of a tensor. */
        public Info info(String name) {
            Info i = infos.get(name);
            if (i == null) {
                throw new IllegalArgumentException("no tensor named '" + name + "' in this file; it has " + keys());
            }
            return i;
        }

        /**
         * Decodes one tensor into a new CPU tensor, reading its bytes in chunks straight into the tensor's array.
         * A tensor of more than 2^31-1 elements (the engine's storage limit) fails with a message.
         */
        public Tensor get(String name) {
            Info i = info(name);
            long len = i.end - i.begin;
            long numel = len / i.dtype.itemSize();
            if (numel > Integer.MAX_VALUE) {
                throw new SafeTensorsException("tensor '" + name + "' has " + numel + " elements, more than a "
                        + "jtorch storage holds (2^31-1)");
            }
            String what = "tensor '" + name + "'";
            Object array = Storages.allocate(i.dtype, (int) numel, what, SafeTensorsException::new, false);
            Storages.Filler fill = new Storages.Filler(array, i.dtype, ByteOrder.LITTLE_ENDIAN, true, what,
                    SafeTensorsException::new);
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(ByteSource.CHUNK, Math.max(len, 8)));
            for (long p = 0; p < len; ) {
                int n = (int) Math.min(len - p, chunk.capacity());
                chunk.clear().limit(n);
                src.read(dataStart + i.begin + p, chunk, SafeTensorsException::new);
                fill.accept(chunk.flip());
                p += n;
            }
            Storage st = CpuBackend.wrap(fill.finish(), i.dtype);
            Tensor flat = Tensor.fromStorage(st, new int[] {st.size()}, null, 0);
            return flat.reshape(i.shape);
        }

        /** Every tensor, in data order. */
        public Map<String, Tensor> all() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String k : infos.keySet()) {
                m.put(k, get(k));
            }
            return m;
        }

        @Override
        public void close() {
            src.close();
        }
    }

    /** Opens a file; tensors are read from it on demand. */
    public static Reader open(Path path) {
        ByteSource src = ByteSource.open(path, SafeTensorsException::new);
        try {
            return new Reader(src);
        } catch (RuntimeException ex) {
            src.close();
            throw ex;
        }
    }

    /** Reads from bytes in memory. */
    public static Reader open(byte[] data) {
        return new Reader(ByteSource.of(data));
    }

    /** Every tensor of a file. */
    public static Map<String, Tensor> load(Path path) {
        try (Reader r = open(path)) {
            return r.all();
        }
    }

    /** Every tensor of an in-memory buffer. */
    public static Map<String, Tensor> load(byte[] data) {
        return open(data).all();
    }

    /**
     * Writes tensors (and optional metadata) to a file, streaming each tensor's bytes in chunks (the file may
     * exceed 2 GB; the heap holds one tensor's host copy at a time). The file is written to a temporary
     * sibling and moved into place, so a failure leaves no partial file.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path path) {
        List<Map.Entry<String, Tensor>> order = order(tensors);
        byte[] header = header(order, metadata);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(ByteSource.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            ch.write(buf.flip());
            ch.write(ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : order) {
                writeData(e.getValue(), buf, b -> {
                    try {
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
            }
        } catch (IOException | java.io.UncheckedIOException ex) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new SafeTensorsException("cannot write " + path + ": " + ex.getMessage(), ex);
        }
        try {
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            try {
                Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex2) {
                throw new SafeTensorsException("cannot write " + path + ": " + ex2.getMessage(), ex2);
            }
        }
    }

    /**
     * The safetensors bytes of {@code tensors}: the header lists metadata first, then the tensors ordered by
     * item size (largest first) and name, as the reference implementation lays them out; padded to 8 bytes.
     */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, Tensor>> order = order(tensors);
        byte[] header = header(order, metadata);
        long total = 8L + header.length;
        for (Map.Entry<String, Tensor> e : order) {
            total += e.getValue().numel() * e.getValue().dtype().itemSize();
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensors too large for one in-memory safetensors buffer (" + total
                    + " bytes): use SafeTensors.save(tensors, metadata, path), which streams");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length);
        out.put(header);
        ByteBuffer buf = ByteBuffer.allocate(ByteSource.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : order) {
            writeData(e.getValue(), buf, out::put);
        }
        return out.array();
    }

    private static List<Map.Entry<String, Tensor>> order(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : order) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' is null");
            }
        }
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().itemSize())
                .thenComparing(Map.Entry::getKey));
        return order;
    }

    /** The header's bytes, padded with spaces to a multiple of 8. */
    private static byte[] header(List<Map.Entry<String, Tensor>> order, Map<String, String> metadata) {
        StringBuilder h = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            h.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                h.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                first = false;
            }
            h.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().itemSize();
            h.append(h.length() > 1 ? "," : "").append(Json.quote(e.getKey())).append(":{\"dtype\":\"")
                    .append(t.dtype().safetensorsName()).append("\",\"shape\":[");
            int[] s = t.shape();
            for (int i = 0; i < s.length; i++) {
                h.append(i > 0 ? "," : "").append(s[i]);
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        byte[] header = java.util.Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        java.util.Arrays.fill(header, json.length, header.length, (byte) ' ');
        if (header.length > MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("the header would take " + header.length + " bytes, more than the "
                    + "format's limit of " + MAX_HEADER_SIZE);
        }
        return header;
    }

    /** Hands one tensor's little-endian bytes to {@code sink} in chunks of {@code buf}'s capacity. */
    private static void writeData(Tensor t, ByteBuffer buf, java.util.function.Consumer<ByteBuffer> sink) {
        Object host = switch (t.dtype()) {
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
            case INT64 -> t.toLongArray();
            case BOOL -> t.toBooleanArray();
            case FLOAT16, BFLOAT16 -> t.toHalfBits();
        };
        int n = java.lang.reflect.Array.getLength(host);
        int item = t.dtype().itemSize();
        int per = buf.capacity() / item;
        for (int at = 0; at < n; at += per) {
            int k = Math.min(per, n - at);
            buf.clear();
            switch (host) {
                case float[] a -> buf.asFloatBuffer().put(a, at, k);
                case double[] a -> buf.asDoubleBuffer().put(a, at, k);
                case long[] a -> buf.asLongBuffer().put(a, at, k);
                case short[] a -> buf.asShortBuffer().put(a, at, k);
                case boolean[] a -> {
                    for (int i = 0; i < k; i++) {
                        buf.put(i, (byte) (a[at + i] ? 1 : 0));
                    }
                }
                default -> throw new IllegalStateException("no encoder for " + host.getClass());
            }
            buf.limit(k * item);
            sink.accept(buf);
        }
    }
}
