package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Storage;

/**
 * Host storage: a Java array per dtype ({@code float[]}, {@code double[]}, {@code long[]}, {@code boolean[]},
 * {@code short[]} holding float16 or bfloat16 bits). Element access converts through double (or long for
 * int64, so indices above 2^53 stay exact); half types round to nearest even through float32.
 */
public final class CpuStorage extends Storage {
    final Object array;
    final float[] f;
    final double[] d;
    final long[] l;
    final boolean[] b;
    final short[] h;

    CpuStorage(DType dtype, Object array, int size) {
        super(dtype, size);
        this.array = array;
        this.f = array instanceof float[] x ? x : null;
        this.d = array instanceof double[] x ? x : null;
        this.l = array instanceof long[] x ? x : null;
        this.b = array instanceof boolean[] x ? x : null;
        this.h = array instanceof short[] x ? x : null;
    }

    static CpuStorage allocate(DType dtype, int n) {
        Object a = switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
            case FLOAT16, BFLOAT16 -> new short[n];
        };
        return new CpuStorage(dtype, a, n);
    }

    /** The backing array (float[], double[], long[], boolean[] or short[]); shared, not copied. */
    public Object array() {
        return array;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }

    double get(int i) {
        return switch (dtype()) {
            case FLOAT32 -> f[i];
            case FLOAT64 -> d[i];
            case INT64 -> l[i];
            case BOOL -> b[i] ? 1 : 0;
            case FLOAT16 -> Float.float16ToFloat(h[i]);
            case BFLOAT16 -> bf16ToFloat(h[i]);
        };
    }

    long getLong(int i) {
        return switch (dtype()) {
            case INT64 -> l[i];
            case BOOL -> b[i] ? 1 : 0;
            default -> (long) get(i);
        };
    }

    void set(int i, double v) {
        switch (dtype()) {
            case FLOAT32 -> f[i] = (float) v;
            case FLOAT64 -> d[i] = v;
            case INT64 -> l[i] = (long) v;
            case BOOL -> b[i] = v != 0;
            case FLOAT16 -> h[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> h[i] = floatToBf16((float) v);
        }
    }

    void setLong(int i, long v) {
        switch (dtype()) {
            case INT64 -> l[i] = v;
            case BOOL -> b[i] = v != 0;
            default -> set(i, v);
        }
    }

    /** Reads {@code n} elements at {@code off + i * stride} into {@code buf}. */
    void read(int off, int stride, double[] buf, int n) {
        switch (dtype()) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    buf[i] = f[off + i * stride];
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    buf[i] = d[off + i * stride];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    buf[i] = get(off + i * stride);
                }
            }
        }
    }

    void readLong(int off, int stride, long[] buf, int n) {
        if (l != null) {
            for (int i = 0; i < n; i++) {
                buf[i] = l[off + i * stride];
            }
        } else {
            for (int i = 0; i < n; i++) {
                buf[i] = getLong(off + i * stride);
            }
        }
    }

    void write(int off, int stride, double[] buf, int n) {
        switch (dtype()) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    f[off + i * stride] = (float) buf[i];
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    d[off + i * stride] = buf[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    set(off + i * stride, buf[i]);
                }
            }
        }
    }

    void writeLong(int off, int stride, long[] buf, int n) {
        for (int i = 0; i < n; i++) {
            setLong(off + i * stride, buf[i]);
        }
    }

    /** bfloat16 bits to float. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** float to bfloat16 bits, rounding to nearest even (NaN stays a quiet NaN). */
    public static short floatToBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
