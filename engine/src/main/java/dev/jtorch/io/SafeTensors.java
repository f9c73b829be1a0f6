package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * <p>Files are read through a memory map: {@link Reader} maps each tensor's bytes only when it is asked for,
 * so a large checkpoint is never read whole into the heap.
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
        private final FileChannel channel;
        private final ByteBuffer bytes;
        private final long dataStart;
        private final Map<String, String> metadata;
        private final Map<String, Info> infos;

        private Reader(FileChannel channel, ByteBuffer bytes, long size) {
            this.channel = channel;
            this.bytes = bytes;
            if (size < 8) {
                throw new SafeTensorsException("file too small: " + size + " bytes, a safetensors file starts with an"
                        + " 8-byte header length");
            }
            ByteBuffer lenBuf = read(0, 8);
            long n = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (n < 0 || n > MAX_HEADER_SIZE) {
                throw new SafeTensorsException("header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                        + MAX_HEADER_SIZE + " bytes");
            }
            if (n > size - 8) {
                throw new SafeTensorsException("header length " + n + " runs past the end of the file (" + size
                        + " bytes): the file is truncated or not safetensors");
            }
            String text = utf8(read(8, (int) n));
            if (!text.startsWith("{")) {
                throw new SafeTensorsException("header must be a JSON object starting with '{'");
            }
            Object parsed = Json.parse(text);
            if (!(parsed instanceof Map<?, ?> header)) {
                throw new SafeTensorsException("header is not a JSON object");
            }
            this.dataStart = 8 + n;
            this.metadata = new LinkedHashMap<>();
            this.infos = new LinkedHashMap<>();
            List<Info> list = new ArrayList<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String key = (String) e.getKey();
                if (key.equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> m)) {
                        throw new SafeTensorsException("__metadata__ must be an object of strings");
                    }
                    for (Map.Entry<?, ?> me : m.entrySet()) {
                        if (!(me.getValue() instanceof String v)) {
                            throw new SafeTensorsException("__metadata__ value for '" + me.getKey()
                                    + "' is not a string");
                        }
                        metadata.put((String) me.getKey(), v);
                    }
                    continue;
                }
                list.add(info(key, e.getValue()));
            }
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

        private static Info info(String name, Object v) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new SafeTensorsException("entry '" + name + "' is not an object");
            }
            for (Object k : m.keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw new SafeTensorsException("entry '" + name + "' has unknown field '" + k + "'");
                }
            }
            if (!(m.get("dtype") instanceof String ds)) {
                throw new SafeTensorsException("entry '" + name + "' has no dtype string");
            }
            DType dtype;
            try {
                dtype = DType.fromSafetensorsName(ds);
            } catch (IllegalArgumentException ex) {
                throw new SafeTensorsException("tensor '" + name + "': " + ex.getMessage());
            }
            if (!(m.get("shape") instanceof List<?> sl)) {
                throw new SafeTensorsException("entry '" + name + "' has no shape list");
            }
            int[] shape = new int[sl.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!(sl.get(i) instanceof Long d) || d < 0) {
                    throw new SafeTensorsException("tensor '" + name + "' shape " + sl + " must hold non-negative "
                            + "integers");
                }
                if (d > Integer.MAX_VALUE) {
                    throw new SafeTensorsException("tensor '" + name + "' dimension " + d + " is too large");
                }
                shape[i] = (int) (long) d;
                try {
                    numel = Math.multiplyExact(numel, d);
                } catch (ArithmeticException ex) {
                    throw new SafeTensorsException("tensor '" + name + "' shape " + sl + " overflows");
                }
            }
            if (!(m.get("data_offsets") instanceof List<?> ol) || ol.size() != 2
                    || !(ol.get(0) instanceof Long b) || !(ol.get(1) instanceof Long e) || b < 0 || e < b) {
                throw new SafeTensorsException("tensor '" + name + "' needs data_offsets [begin, end] with "
                        + "0 <= begin <= end, got " + m.get("data_offsets"));
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, dtype.itemSize());
            } catch (ArithmeticException ex) {
                throw new SafeTensorsException("tensor '" + name + "' byte size overflows");
            }
            if (e - b != bytes) {
                throw new SafeTensorsException("tensor '" + name + "' of dtype " + ds + " and shape " + sl
                        + " needs " + bytes + " bytes but data_offsets " + ol + " span " + (e - b));
            }
            if (numel > Integer.MAX_VALUE) {
                throw new SafeTensorsException("tensor '" + name + "' has " + numel + " elements, more than a "
                        + "jtorch tensor can hold (2^31-1)");
            }
            return new Info(name, dtype, shape, b, e);
        }

        private ByteBuffer read(long pos, int len) {
            if (bytes != null) {
                return bytes.slice((int) pos, len).order(ByteOrder.LITTLE_ENDIAN);
            }
            try {
                return channel.map(FileChannel.MapMode.READ_ONLY, pos, len).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException ex) {
                throw new SafeTensorsException("cannot read " + len + " bytes at " + pos + ": " + ex.getMessage(), ex);
            }
        }

        private static String utf8(ByteBuffer b) {
            try {
                CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b);
                return c.toString();
            } catch (CharacterCodingException ex) {
                throw new SafeTensorsException("header is not valid UTF-8");
            }
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

        /** Decodes one tensor into a new CPU tensor. */
        public Tensor get(String name) {
            Info i = info(name);
            long len = i.end - i.begin;
            if (len > Integer.MAX_VALUE) {
                throw new SafeTensorsException("tensor '" + name + "' is larger than 2 GiB");
            }
            ByteBuffer b = read(dataStart + i.begin, (int) len);
            int n = (int) (len / i.dtype.itemSize());
            int[] shape = i.shape;
            return switch (i.dtype) {
                case FLOAT32 -> {
                    float[] a = new float[n];
                    b.asFloatBuffer().get(a);
                    yield Torch.tensor(a, shapeOrScalar(a.length, shape)).reshape(shape);
                }
                case FLOAT64 -> {
                    double[] a = new double[n];
                    b.asDoubleBuffer().get(a);
                    yield Torch.tensor(a, shapeOrScalar(a.length, shape)).reshape(shape);
                }
                case INT64 -> {
                    long[] a = new long[n];
                    b.asLongBuffer().get(a);
                    yield Torch.tensor(a, shapeOrScalar(a.length, shape)).reshape(shape);
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int k = 0; k < n; k++) {
                        byte v = b.get(k);
                        if (v != 0 && v != 1) {
                            throw new SafeTensorsException("tensor '" + name + "' holds byte " + v + " at element "
                                    + k + ": BOOL data must be 0 or 1");
                        }
                        a[k] = v == 1;
                    }
                    yield Torch.tensor(a, shapeOrScalar(a.length, shape)).reshape(shape);
                }
                case FLOAT16, BFLOAT16 -> {
                    short[] a = new short[n];
                    b.asShortBuffer().get(a);
                    yield Torch.fromHalfBits(a, i.dtype, shapeOrScalar(a.length, shape)).reshape(shape);
                }
            };
        }

        private static int[] shapeOrScalar(int n, int[] shape) {
            return new int[] {n};
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
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a read-only channel
                }
            }
        }
    }

    /** Opens a file (memory-mapped on demand). */
    public static Reader open(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new Reader(ch, null, ch.size());
            } catch (RuntimeException ex) {
                ch.close();
                throw ex;
            }
        } catch (IOException ex) {
            throw new SafeTensorsException("cannot open " + path + ": " + ex.getMessage(), ex);
        }
    }

    /** Reads from bytes in memory. */
    public static Reader open(byte[] data) {
        return new Reader(null, ByteBuffer.wrap(data), data.length);
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

    /** Writes tensors (and optional metadata) to a file. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path path) {
        try {
            Files.write(path, serialize(tensors, metadata));
        } catch (IOException ex) {
            throw new SafeTensorsException("cannot write " + path + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The safetensors bytes of {@code tensors}: the header lists metadata first, then the tensors ordered by
     * item size (largest first) and name, as the reference implementation lays them out; padded to 8 bytes.
     */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) {
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
            long bytes = (long) t.numel() * t.dtype().itemSize();
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
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        long total = 8L + padded + offset;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensors too large for one in-memory safetensors buffer: " + total);
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(header);
        for (int i = header.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            switch (t.dtype()) {
                case FLOAT32 -> out.asFloatBuffer().put(t.toFloatArray());
                case FLOAT64 -> out.asDoubleBuffer().put(t.toDoubleArray());
                case INT64 -> out.asLongBuffer().put(t.toLongArray());
                case BOOL -> {
                    ByteBuffer dup = out.duplicate();
                    for (boolean b : t.toBooleanArray()) {
                        dup.put((byte) (b ? 1 : 0));
                    }
                }
                case FLOAT16, BFLOAT16 -> out.asShortBuffer().put(t.toHalfBits());
            }
            out.position(out.position() + Math.toIntExact(t.numel() * t.dtype().itemSize()));
        }
        return out.array();
    }
}
