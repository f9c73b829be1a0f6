package dev.jtorch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip archive held in memory through its central directory (zip64 included), as PyTorch writes them
 * (stored entries with data descriptors, which java.util.zip.ZipInputStream rejects). Every offset and size
 * is checked against the buffer, so a corrupt or hostile archive fails with a {@link TorchLoadException}.
 */
final class ZipReader {
    private ZipReader() {
    }

    private static TorchLoadException corrupt(String msg) {
        return new TorchLoadException("corrupt zip archive: " + msg);
    }

    private static int u16(ByteBuffer b, long pos) {
        check(b, pos, 2);
        return b.getShort((int) pos) & 0xffff;
    }

    private static long u32(ByteBuffer b, long pos) {
        check(b, pos, 4);
        return b.getInt((int) pos) & 0xffffffffL;
    }

    private static long u64(ByteBuffer b, long pos) {
        check(b, pos, 8);
        long v = b.getLong((int) pos);
        if (v < 0) {
            throw corrupt("64-bit field out of range at " + pos);
        }
        return v;
    }

    private static void check(ByteBuffer b, long pos, long len) {
        if (pos < 0 || len < 0 || pos + len > b.capacity()) {
            throw corrupt("field at " + pos + " (+" + len + ") lies outside the " + b.capacity() + "-byte archive");
        }
    }

    static Map<String, byte[]> read(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long eocd = -1;
        for (long p = data.length - 22; p >= Math.max(0, data.length - 22 - 65535); p--) {
            if (u32(b, p) == 0x06054b50L) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw corrupt("no end-of-central-directory record (truncated?)");
        }
        long count = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12);
        long cdOffset = u32(b, eocd + 16);
        if (cdOffset == 0xffffffffL || count == 0xffff || cdSize == 0xffffffffL) {
            long loc = eocd - 20;
            if (loc < 0 || u32(b, loc) != 0x07064b50L) {
                throw corrupt("zip64 locator missing");
            }
            long z = u64(b, loc + 8);
            if (u32(b, z) != 0x06064b50L) {
                throw corrupt("zip64 end record missing");
            }
            count = u64(b, z + 32);
            cdSize = u64(b, z + 40);
            cdOffset = u64(b, z + 48);
        }
        check(b, cdOffset, cdSize);
        Map<String, byte[]> out = new LinkedHashMap<>();
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            if (u32(b, p) != 0x02014b50L) {
                throw corrupt("bad central directory entry at " + p);
            }
            int method = u16(b, p + 10);
            long comp = u32(b, p + 20);
            long size = u32(b, p + 24);
            int nameLen = u16(b, p + 28);
            int extraLen = u16(b, p + 30);
            int commentLen = u16(b, p + 32);
            long local = u32(b, p + 42);
            check(b, p + 46, nameLen + extraLen);
            String name = new String(data, (int) p + 46, nameLen, StandardCharsets.UTF_8);
            long e = p + 46 + nameLen;
            long end = e + extraLen;
            while (e + 4 <= end) {
                int id = u16(b, e);
                int len = u16(b, e + 2);
                if (id == 0x0001) {
                    long q = e + 4;
                    if (size == 0xffffffffL) {
                        size = u64(b, q);
                        q += 8;
                    }
                    if (comp == 0xffffffffL) {
                        comp = u64(b, q);
                        q += 8;
                    }
                    if (local == 0xffffffffL) {
                        local = u64(b, q);
                    }
                }
                e += 4 + len;
            }
            if (u32(b, local) != 0x04034b50L) {
                throw corrupt("bad local header for " + name);
            }
            long dataStart = local + 30 + u16(b, local + 26) + u16(b, local + 28);
            check(b, dataStart, comp);
            if (size > data.length * 1032L || size > Integer.MAX_VALUE - 16) {
                throw corrupt("entry " + name + " claims " + size + " bytes");
            }
            byte[] content;
            if (method == 0) {
                if (comp != size) {
                    throw corrupt("stored entry " + name + " has different sizes");
                }
                content = new byte[(int) size];
                System.arraycopy(data, (int) dataStart, content, 0, (int) size);
            } else if (method == 8) {
                Inflater inf = new Inflater(true);
                try {
                    inf.setInput(data, (int) dataStart, (int) comp);
                    content = new byte[(int) size];
                    int n = inf.inflate(content);
                    if (n != size) {
                        throw corrupt("entry " + name + " inflates to " + n + " bytes, expected " + size);
                    }
                } catch (DataFormatException ex) {
                    throw corrupt("entry " + name + ": " + ex.getMessage());
                } finally {
                    inf.end();
                }
            } else {
                throw corrupt("entry " + name + " uses unsupported compression method " + method);
            }
            out.put(name, content);
            p += 46 + nameLen + extraLen + commentLen;
        }
        return out;
    }
}
