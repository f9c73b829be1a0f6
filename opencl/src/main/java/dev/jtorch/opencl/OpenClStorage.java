package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Storage;

import java.lang.ref.Cleaner;

/**
 * A storage in an OpenCL device buffer: {@code size} elements of {@code dtype} laid out as on the host (float32
 * and float64 IEEE, int64 two's complement, bool one byte 0 or 1, float16 and bfloat16 their 16 bits), little
 * endian. The buffer comes from the device's caching allocator and returns to it when the storage becomes
 * unreachable; a storage of no elements holds no buffer.
 */
public final class OpenClStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClBackend backend;
    private final BufferPool.Block block;

    private OpenClStorage(OpenClBackend backend, DType dtype, int size, BufferPool.Block block) {
        super(dtype, size);
        this.backend = backend;
        this.block = block;
    }

    /** A storage owning {@code block} (null when size is 0), which returns to the pool once unreachable. */
    static OpenClStorage create(OpenClBackend backend, DType dtype, int size, BufferPool.Block block) {
        OpenClStorage s = new OpenClStorage(backend, dtype, size, block);
        if (block != null) {
            CLEANER.register(s, new Release(backend.clDevice().pool(), block));
        }
        return s;
    }

    /** The cleaning action: holds the pool and the block, never the storage. */
    private record Release(BufferPool pool, BufferPool.Block block) implements Runnable {
        @Override
        public void run() {
            pool.release(block);
        }
    }

    /** The device buffer (null for an empty storage). */
    BufferPool.Block block() {
        return block;
    }

    /** Bytes of the elements ({@code size * itemSize}). */
    public long byteSize() {
        return (long) size() * dtype().itemSize();
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
