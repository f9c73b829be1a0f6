package dev.jtorch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip archive through its central directory (zip64 included), as PyTorch writes them (stored entries
 * with data descriptors, which java.util.zip.ZipInputStream rejects), from a {@link ByteSource} so that an
 * archive over 2 GB works and entries are streamed, never read whole unless asked.
 *
 * <p>Everything is checked before an entry is read: each header field lies inside the archive; every entry's
 * local header and data lie before the central directory and no two entries overlap (a "zip bomb" that
 * points many entries at one deflate stream is refused); names are unique; a deflated entry claims at most
 * deflate's maximum ratio. Reading checks the size and the CRC-32. Failures are {@link TorchLoadException}s.
 */
final class ZipReader {
    /** Deflate cannot expand data more than about 1032:1. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MAX_ENTRIES = 1 << 20;

    /** One entry: where its data starts in the archive and what it claims. */
    record Entry(String name, int method, long compressedSize, long size, long crc, long headerStart,
                 long dataStart) {
        long end() {
            return dataStart + compressedSize;
        }
    }

    private final ByteSource src;
    private final Map<String, Entry> entries;

    private ZipReader(ByteSource src) {
        this.src = src;
        this.entries = readDirectory();
    }

    static ZipReader open(ByteSource src) {
        return new ZipReader(src);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    static TorchLoadException corrupt(String msg) {
        return new TorchLoadException("corrupt zip archive: " + msg);
    }

    private ByteBuffer bytes(long pos, int len) {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        src.read(pos, b, m -> corrupt("a header field lies outside the archive (" + m + ")"));
        return b.flip();
    }

    private Map<String, Entry> readDirectory() {
        long size = src.size();
        if (size < 22) {
            throw corrupt("no end-of-central-directory record (" + size + " bytes: truncated?)");
        }
        int tailLen = (int) Math.min(size, 22 + 65535);
        long tailStart = size - tailLen;
        ByteBuffer tail = bytes(tailStart, tailLen);
        int eocd = -1;
        for (int p = tailLen - 22; p >= 0; p--) {
            if (tail.getInt(p) == 0x06054b50) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw corrupt("no end-of-central-directory record (truncated?)");
        }
        long count = tail.getShort(eocd + 10) & 0xffff;
        long cdSize = tail.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = tail.getInt(eocd + 16) & 0xffffffffL;
        long directoryEnd = tailStart + eocd;
        if (cdOffset == 0xffffffffL || count == 0xffff || cdSize == 0xffffffffL) {
            long loc = tailStart + eocd - 20;
            if (loc < 0 || u32(bytes(loc, 20), 0) != 0x07064b50L) {
                throw corrupt("zip64 end-of-central-directory locator missing");
            }
            long z = nonNegative(bytes(loc, 20).getLong(8), "zip64 end record offset");
            if (z > loc - 56) {
                throw corrupt("zip64 end record at " + z + " lies outside the archive");
            }
            ByteBuffer zr = bytes(z, 56);
            if (u32(zr, 0) != 0x06064b50L) {
                throw corrupt("zip64 end record missing");
            }
            count = nonNegative(zr.getLong(32), "entry count");
            cdSize = nonNegative(zr.getLong(40), "central directory size");
            cdOffset = nonNegative(zr.getLong(48), "central directory offset");
            directoryEnd = z;
        }
        if (cdOffset > directoryEnd || cdSize > directoryEnd - cdOffset) {
            throw corrupt("central directory [" + cdOffset + ", +" + cdSize + ") lies outside the archive");
        }
        if (count > cdSize / 46 || count > MAX_ENTRIES) {
            throw corrupt(count + " entries cannot fit a " + cdSize + "-byte central directory");
        }
        if (cdSize > Integer.MAX_VALUE - 8) {
            throw corrupt("central directory of " + cdSize + " bytes is too large");
        }
        ByteBuffer cd = bytes(cdOffset, (int) cdSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        List<Entry> byStart = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p > cdSize - 46 || u32(cd, p) != 0x02014b50L) {
                throw corrupt("bad central directory entry " + i + " at " + (cdOffset + p));
            }
            int flags = cd.getShort(p + 8) & 0xffff;
            int method = cd.getShort(p + 10) & 0xffff;
            long crc = u32(cd, p + 16);
            long comp = u32(cd, p + 20);
            long usize = u32(cd, p + 24);
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            long local = u32(cd, p + 42);
            if ((long) p + 46 + nameLen + extraLen + commentLen > cdSize) {
                throw corrupt("central directory entry " + i + " runs past the directory");
            }
            if ((flags & 1) != 0) {
                throw corrupt("entry " + i + " is encrypted");
            }
            String name = utf8(cd, p + 46, nameLen);
            int e = p + 46 + nameLen;
            int extraEnd = e + extraLen;
            while (e + 4 <= extraEnd) {
                int id = cd.getShort(e) & 0xffff;
                int len = cd.getShort(e + 2) & 0xffff;
                if (e + 4 + len > extraEnd) {
                    throw corrupt("extra field of " + name + " runs past its entry");
                }
                if (id == 0x0001) {
                    int q = e + 4;
                    int qEnd = q + len;
                    if (usize == 0xffffffffL) {
                        usize = zip64Field(cd, q, qEnd, name);
                        q += 8;
                    }
                    if (comp == 0xffffffffL) {
                        comp = zip64Field(cd, q, qEnd, name);
                        q += 8;
                    }
                    if (local == 0xffffffffL) {
                        local = zip64Field(cd, q, qEnd, name);
                    }
                }
                e += 4 + len;
            }
            if (local > cdOffset - 30) {
                throw corrupt("local header of " + name + " at " + local + " lies outside the entries' area");
            }
            ByteBuffer lh = bytes(local, 30);
            if (u32(lh, 0) != 0x04034b50L) {
                throw corrupt("bad local header for " + name);
            }
            int localNameLen = lh.getShort(26) & 0xffff;
            long dataStart = local + 30 + localNameLen + (lh.getShort(28) & 0xffff);
            if (localNameLen != nameLen || local + 30 + nameLen > cdOffset
                    || !utf8(bytes(local + 30, nameLen), 0, nameLen).equals(name)) {
                throw corrupt("the local header at " + local + " does not name entry " + name);
            }
            if (dataStart > cdOffset || comp > cdOffset - dataStart) {
                throw corrupt("entry " + name + " (data at " + dataStart + ", " + comp + " bytes) does not fit "
                        + "before the central directory at " + cdOffset);
            }
            if (method == 0 && comp != usize) {
                throw corrupt("stored entry " + name + " has different sizes (" + comp + " and " + usize + ")");
            }
            if (method == 8 && usize > comp * MAX_DEFLATE_RATIO + 1024) {
                throw corrupt("entry " + name + " claims to inflate " + comp + " bytes to " + usize
                        + ", more than deflate can");
            }
            if (method != 0 && method != 8) {
                throw corrupt("entry " + name + " uses unsupported compression method " + method);
            }
            Entry entry = new Entry(name, method, comp, usize, crc, local, dataStart);
            if (out.put(name, entry) != null) {
                throw corrupt("entry " + name + " appears twice");
            }
            byStart.add(entry);
            p += 46 + nameLen + extraLen + commentLen;
        }
        byStart.sort(Comparator.comparingLong(Entry::headerStart));
        for (int k = 1; k < byStart.size(); k++) {
            Entry a = byStart.get(k - 1);
            Entry b = byStart.get(k);
            if (b.headerStart < a.end()) {
                throw corrupt("entries " + a.name + " and " + b.name + " overlap (data of one at ["
                        + a.headerStart + ", " + a.end() + "), the next starts at " + b.headerStart + ")");
            }
        }
        return out;
    }

    private static long zip64Field(ByteBuffer cd, int q, int qEnd, String name) {
        if (q + 8 > qEnd) {
            throw corrupt("zip64 extra field of " + name + " is too short");
        }
        return nonNegative(cd.getLong(q), "zip64 field of " + name);
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw corrupt(what + " out of range (" + Long.toUnsignedString(v) + ")");
        }
        return v;
    }

    private static long u32(ByteBuffer b, int pos) {
        return b.getInt(pos) & 0xffffffffL;
    }

    private static String utf8(ByteBuffer b, int pos, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b.slice(pos, len)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("an entry name is not valid UTF-8");
        }
    }

    /** The whole content of a small entry (at most {@code maxBytes}), checked. */
    byte[] readAll(Entry e, long maxBytes) {
        if (e.size > maxBytes) {
            throw new TorchLoadException("entry " + e.name + " holds " + e.size + " bytes, more than the "
                    + maxBytes + " this loader accepts for it");
        }
        byte[] out = Storages.allocateBytes((int) e.size, "entry " + e.name);
        int[] at = {0};
        stream(e, chunk -> {
            int n = chunk.remaining();
            chunk.get(out, at[0], n);
            at[0] += n;
        });
        return out;
    }

    /**
     * Streams an entry's uncompressed bytes to {@code sink} in chunks of at most {@link ByteSource#CHUNK} bytes,
     * each a multiple of 8 bytes except the last; checks the size and the CRC-32 at the end. A chunk is only
     * valid during the call.
     */
    void stream(Entry e, Consumer<ByteBuffer> sink) {
        CRC32 crc = new CRC32();
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(ByteSource.CHUNK, Math.max(e.size, 8)));
        long produced = 0;
        if (e.method == 0) {
            long p = e.dataStart;
            long left = e.size;
            while (left > 0) {
                int n = (int) Math.min(left, out.capacity());
                out.clear().limit(n);
                src.read(p, out, m -> corrupt("entry " + e.name + ": " + m));
                out.flip();
                crc.update(out.duplicate());
                sink.accept(out);
                p += n;
                left -= n;
            }
            produced = e.size;
        } else {
            Inflater inf = new Inflater(true);
            try {
                ByteBuffer in = ByteBuffer.allocate((int) Math.min(ByteSource.CHUNK, Math.max(e.compressedSize, 1)));
                long inPos = e.dataStart;
                long inLeft = e.compressedSize;
                out.clear();
                while (true) {
                    if (inf.needsInput() && inLeft > 0) {
                        int n = (int) Math.min(inLeft, in.capacity());
                        in.clear().limit(n);
                        src.read(inPos, in, m -> corrupt("entry " + e.name + ": " + m));
                        in.flip();
                        inf.setInput(in);
                        inPos += n;
                        inLeft -= n;
                    }
                    int got = inf.inflate(out);
                    produced += got;
                    if (produced > e.size) {
                        throw corrupt("entry " + e.name + " inflates to more than the " + e.size + " bytes it claims");
                    }
                    boolean done = inf.finished();
                    if (!out.hasRemaining() || done) {
                        out.flip();
                        crc.update(out.duplicate());
                        sink.accept(out);
                        out.clear();
                    }
                    if (done) {
                        break;
                    }
                    if (got == 0 && inf.needsInput() && inLeft == 0) {
                        throw corrupt("entry " + e.name + " ends inside its deflate stream");
                    }
                    if (got == 0 && !inf.needsInput()) {
                        throw corrupt("entry " + e.name + " is not a valid deflate stream (no progress)");
                    }
                }
            } catch (DataFormatException ex) {
                throw corrupt("entry " + e.name + ": " + ex.getMessage());
            } finally {
                inf.end();
            }
        }
        if (produced != e.size) {
            throw corrupt("entry " + e.name + " inflates to " + produced + " bytes, expected " + e.size);
        }
        if (crc.getValue() != e.crc) {
            throw corrupt("entry " + e.name + " fails its CRC-32 check (damaged data)");
        }
    }
}
