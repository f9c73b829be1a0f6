package dev.jtorch.io;

import dev.jtorch.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;

/**
 * Builds a tensor storage's host array from a stream of byte chunks, for both loaders: the array is allocated
 * once at its final size (a failed allocation becomes the loader's exception, not an OutOfMemoryError) and
 * each chunk is decoded straight into it, so peak heap is the tensors' own size plus one chunk.
 */
final class Storages {
    private Storages() {
    }

    /** A byte array of {@code n} bytes, or the loader's exception when the heap cannot hold it. */
    static byte[] allocateBytes(int n, String what) {
        return (byte[]) allocate(DType.BOOL, n, what, TorchLoadException::new, true);
    }

    /**
     * The host array for {@code n} elements of {@code dtype} (float[], double[], long[], boolean[] or short[] for
     * the half types; byte[] when {@code raw}). A request larger than the JVM's maximum heap, or one the heap
     * cannot satisfy now, fails with {@code fail}'s exception naming what was being loaded.
     */
    static Object allocate(DType dtype, int n, String what, Function<String, RuntimeException> fail, boolean raw) {
        long bytes = (long) n * (raw ? 1 : dtype.itemSize());
        long max = Runtime.getRuntime().maxMemory();
        String advice = what + " needs " + bytes + " bytes of heap; this JVM's maximum heap is " + max
                + " bytes (raise -Xmx to load it)";
        if (bytes > max) {
            throw fail.apply(advice);
        }
        try {
            if (raw) {
                return new byte[n];
            }
            return switch (dtype) {
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
                case INT64 -> new long[n];
                case BOOL -> new boolean[n];
                case FLOAT16, BFLOAT16 -> new short[n];
            };
        } catch (OutOfMemoryError e) {
            // one large array that did not fit: nothing else was disturbed, so this is safe to report
            throw fail.apply("not enough free heap: " + advice);
        }
    }

    /** Decodes chunks into an array from {@link #allocate}, element by element in order. */
    static final class Filler {
        private final Object array;
        private final DType dtype;
        private final ByteOrder order;
        private final boolean strictBool;
        private final Function<String, RuntimeException> fail;
        private final String what;
        private int at;
        private final ByteBuffer carry = ByteBuffer.allocate(8);

        Filler(Object array, DType dtype, ByteOrder order, boolean strictBool, String what,
               Function<String, RuntimeException> fail) {
            this.array = array;
            this.dtype = dtype;
            this.order = order;
            this.strictBool = strictBool;
            this.what = what;
            this.fail = fail;
        }

        /** Decodes the chunk's bytes (its position to its limit); a partial element waits for the next chunk. */
        void accept(ByteBuffer chunk) {
            int item = dtype.itemSize();
            ByteBuffer b = chunk.order(order);
            if (carry.position() > 0) {
                while (carry.position() < item && b.hasRemaining()) {
                    carry.put(b.get());
                }
                if (carry.position() < item) {
                    return;
                }
                carry.flip();
                decode(carry.order(order), 1);
                carry.clear();
            }
            int n = b.remaining() / item;
            if (n > 0) {
                ByteBuffer whole = b.slice(b.position(), n * item).order(order);
                decode(whole, n);
                b.position(b.position() + n * item);
            }
            while (b.hasRemaining()) {
                carry.put(b.get());
            }
        }

        private void decode(ByteBuffer b, int n) {
            int capacity = java.lang.reflect.Array.getLength(array);
            if (n > capacity - at) {
                throw fail.apply(what + " holds more than its " + capacity + " elements");
            }
            switch (array) {
                case float[] a -> b.asFloatBuffer().get(a, at, n);
                case double[] a -> b.asDoubleBuffer().get(a, at, n);
                case long[] a -> b.asLongBuffer().get(a, at, n);
                case short[] a -> b.asShortBuffer().get(a, at, n);
                case boolean[] a -> {
                    int p = b.position();
                    for (int i = 0; i < n; i++) {
                        byte v = b.get(p + i);
                        if (strictBool && v != 0 && v != 1) {
                            throw fail.apply(what + " holds byte " + v + " at element " + (at + i)
                                    + ": BOOL data must be 0 or 1");
                        }
                        a[at + i] = v != 0;
                    }
                }
                default -> throw new IllegalStateException("no decoder for " + array.getClass());
            }
            at += n;
        }

        /** Checks that every element arrived. */
        Object finish() {
            int capacity = java.lang.reflect.Array.getLength(array);
            if (at != capacity || carry.position() != 0) {
                throw fail.apply(what + " holds " + at + " whole elements, expected " + capacity);
            }
            return array;
        }
    }
}
