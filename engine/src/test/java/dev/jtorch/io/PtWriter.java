package dev.jtorch.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes float32 state dicts in torch.save's format (a zip of archive/data.pkl, archive/byteorder and one
 * stored entry per storage, pickle protocol 2 as PyTorch writes it), for tests that need valid files of any
 * size: the property tests mutate small ones, the heap tests stream large ones (data made by a function of
 * the element index, never held whole), and the archive tests place entries past 2 GB or force zip64 fields.
 */
final class PtWriter {
    /** Element {@code i} of tensor {@code t}: a cheap, deterministic, non-trivial value. */
    static float value(int t, long i) {
        return (float) ((i * 31 + t * 7) % 1000) / 8f - 60f;
    }

    /** A tensor: name, shape (contiguous) and, for a view, its storage's key, offset and strides. */
    record Spec(String name, int[] shape, String storage, long storageNumel, long offset, int[] stride) {
        static Spec contiguous(String name, String storage, int... shape) {
            long n = 1;
            int[] st = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                st[d] = (int) n;
                n *= shape[d];
            }
            return new Spec(name, shape, storage, n, 0, st);
        }
    }

    private final ByteArrayOutputStream pkl = new ByteArrayOutputStream();

    private void op(int b) {
        pkl.write(b);
    }

    private void str(String s) {
        byte[] e = s.getBytes(StandardCharsets.UTF_8);
        if (e.length < 256) {
            op(0x8c);
            op(e.length);
        } else {
            op('X');
            int4(e.length);
        }
        pkl.writeBytes(e);
    }

    private void int4(int v) {
        pkl.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            int4((int) v);
        } else {
            op(0x8a);
            op(8);
            pkl.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private void global(String module, String name) {
        op('c');
        pkl.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void tuple(long[] xs) {
        op('(');
        for (long x : xs) {
            integer(x);
        }
        op('t');
    }

    /** The data.pkl of an OrderedDict of the given tensors. */
    static byte[] pickle(List<Spec> specs) {
        PtWriter w = new PtWriter();
        w.op(0x80);
        w.op(2);
        w.global("collections", "OrderedDict");
        w.op(')');
        w.op('R');
        w.op('(');
        for (Spec s : specs) {
            w.str(s.name);
            w.global("torch._utils", "_rebuild_tensor_v2");
            w.op('(');
            w.op('(');
            w.str("storage");
            w.global("torch", "FloatStorage");
            w.str(s.storage);
            w.str("cpu");
            w.integer(s.storageNumel);
            w.op('t');
            w.op('Q');
            w.integer(s.offset);
            w.tuple(java.util.Arrays.stream(s.shape).asLongStream().toArray());
            w.tuple(java.util.Arrays.stream(s.stride).asLongStream().toArray());
            w.op(0x89);
            w.global("collections", "OrderedDict");
            w.op(')');
            w.op('R');
            w.op('t');
            w.op('R');
        }
        w.op('u');
        w.op('.');
        return w.pkl.toByteArray();
    }

    /** One zip entry to write: a name and its bytes, or {@code length} bytes of {@code fill(storageIndex, i)}. */
    record Entry(String name, byte[] bytes, long floats, int tensorIndex, boolean hole) {
        long size() {
            return bytes != null ? bytes.length : floats * 4;
        }
    }

    /** A small state dict in memory: each tensor its own storage, values from {@link #value}. */
    static byte[] small(boolean zip64, int[]... shapes) {
        List<Spec> specs = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int t = 0; t < shapes.length; t++) {
            Spec s = Spec.contiguous("t" + t, String.valueOf(t), shapes[t]);
            specs.add(s);
            entries.add(new Entry("archive/data/" + t, null, s.storageNumel, t, false));
        }
        try {
            Path tmp = java.nio.file.Files.createTempFile("ptwriter", ".pt");
            try {
                write(tmp, specs, entries, zip64);
                return java.nio.file.Files.readAllBytes(tmp);
            } finally {
                java.nio.file.Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the archive: data.pkl, byteorder, then the storage entries in order. A hole entry is skipped
     * over (a sparse region of zeros, its CRC left 0: the loader never reads it). {@code zip64} writes
     * every size and offset through the zip64 extra field, as writers do past 4 GB.
     */
    static void write(Path path, List<Spec> specs, List<Entry> storages, boolean zip64) throws IOException {
        List<Entry> all = new ArrayList<>();
        all.add(new Entry("archive/data.pkl", pickle(specs), 0, -1, false));
        all.add(new Entry("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII), 0, -1, false));
        all.addAll(storages);
        all.add(new Entry("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), 0, -1, false));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long[] offsets = new long[all.size()];
            long[] crcs = new long[all.size()];
            long pos = 0;
            for (int k = 0; k < all.size(); k++) {
                Entry e = all.get(k);
                offsets[k] = pos;
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                ByteBuffer lh = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
                lh.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                        .putInt(0).putInt(0).putInt((int) Math.min(e.size(), 0xffffffffL))
                        .putInt((int) Math.min(e.size(), 0xffffffffL)).putShort((short) name.length).putShort((short) 0)
                        .put(name);
                pos += writeAt(ch, lh.flip(), pos);
                CRC32 crc = new CRC32();
                if (e.bytes != null) {
                    crc.update(e.bytes);
                    pos += writeAt(ch, ByteBuffer.wrap(e.bytes), pos);
                } else if (e.hole) {
                    pos += e.size();
                } else {
                    ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                    for (long i = 0; i < e.floats; ) {
                        buf.clear();
                        while (buf.hasRemaining() && i < e.floats) {
                            buf.putFloat(value(e.tensorIndex, i++));
                        }
                        buf.flip();
                        crc.update(buf.duplicate());
                        pos += writeAt(ch, buf, pos);
                    }
                }
                crcs[k] = e.hole ? 0 : crc.getValue();
                ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crcs[k]);
                writeAt(ch, c.flip(), offsets[k] + 14);
            }
            long cdStart = pos;
            for (int k = 0; k < all.size(); k++) {
                Entry e = all.get(k);
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                boolean big = zip64 || e.size() >= 0xffffffffL || offsets[k] >= 0xffffffffL;
                ByteBuffer cd = ByteBuffer.allocate(46 + name.length + (big ? 28 : 0)).order(ByteOrder.LITTLE_ENDIAN);
                cd.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
                        .putShort((short) 0).putInt(0).putInt((int) crcs[k])
                        .putInt(big ? -1 : (int) e.size()).putInt(big ? -1 : (int) e.size())
                        .putShort((short) name.length).putShort((short) (big ? 28 : 0)).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt(big ? -1 : (int) offsets[k]).put(name);
                if (big) {
                    cd.putShort((short) 1).putShort((short) 24).putLong(e.size()).putLong(e.size()).putLong(offsets[k]);
                }
                pos += writeAt(ch, cd.flip(), pos);
            }
            long cdSize = pos - cdStart;
            if (zip64 || cdStart >= 0xffffffffL) {
                long z = pos;
                ByteBuffer zr = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
                zr.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(all.size()).putLong(all.size()).putLong(cdSize).putLong(cdStart);
                zr.putInt(0x07064b50).putInt(0).putLong(z).putInt(1);
                pos += writeAt(ch, zr.flip(), pos);
            }
            boolean z64 = zip64 || cdStart >= 0xffffffffL;
            ByteBuffer eocd = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            eocd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) (z64 ? 0xffff : all.size())).putShort((short) (z64 ? 0xffff : all.size()))
                    .putInt(z64 ? -1 : (int) cdSize).putInt(z64 ? -1 : (int) cdStart).putShort((short) 0);
            writeAt(ch, eocd.flip(), pos);
        }
    }

    private static long writeAt(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long n = b.remaining();
        long p = pos;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
        return n;
    }
}
