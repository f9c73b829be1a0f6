package dev.jtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * The bytes of a checkpoint, read by position: a file (through a {@link FileChannel}, so files over 2 GB work
 * and nothing is read whole into the heap) or an array already in memory. Loaders copy tensor data from it
 * in bounded chunks straight into the tensors' own arrays.
 */
abstract class ByteSource implements AutoCloseable {
    /** The chunk in which loaders stream data (a multiple of every item size). */
    static final int CHUNK = 1 << 20;

    /** The size in bytes. */
    abstract long size();

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code pos}; {@code fail} makes the
     * exception (a format's own) for a range outside the source or an I/O error.
     */
    abstract void read(long pos, ByteBuffer dst, Function<String, RuntimeException> fail);

    @Override
    public void close() {
    }

    static ByteSource of(byte[] data) {
        return new ByteSource() {
            @Override
            long size() {
                return data.length;
            }

            @Override
            void read(long pos, ByteBuffer dst, Function<String, RuntimeException> fail) {
                int n = dst.remaining();
                if (pos < 0 || pos > data.length - (long) n) {
                    throw fail.apply(n + " bytes at " + pos + " lie outside the " + data.length + "-byte input");
                }
                dst.put(data, (int) pos, n);
            }
        };
    }

    /** Opens a file; {@code fail} turns an I/O error into the format's exception. */
    static ByteSource open(Path path, Function<String, RuntimeException> fail) {
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            size = ch.size();
        } catch (IOException | RuntimeException e) {
            throw fail.apply("cannot read " + path + ": " + e);
        }
        return new ByteSource() {
            @Override
            long size() {
                return size;
            }

            @Override
            void read(long pos, ByteBuffer dst, Function<String, RuntimeException> fail) {
                int n = dst.remaining();
                if (pos < 0 || pos > size - n) {
                    throw fail.apply(n + " bytes at " + pos + " lie outside the " + size + "-byte file");
                }
                try {
                    long p = pos;
                    while (dst.hasRemaining()) {
                        int r = ch.read(dst, p);
                        if (r < 0) {
                            throw fail.apply("file " + path + " ended at " + p + " while reading (changed on disk?)");
                        }
                        p += r;
                    }
                } catch (IOException e) {
                    throw fail.apply("cannot read " + path + " at " + pos + ": " + e);
                }
            }

            @Override
            public void close() {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a read-only channel
                }
            }
        };
    }
}
