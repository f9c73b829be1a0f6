package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.View;

/**
 * Reading float16 / bfloat16 storages (short[] bits) as float32, for kernels that take half-precision weights
 * of a float32 computation (a recurrent layer after {@code module.to(DType.BFLOAT16)} in inference).
 */
final class HalfArrays {
    private HalfArrays() {
    }

    /** The float a half element (bits, of the given dtype) stands for, exactly. */
    static float toFloat(DType dtype, short bits) {
        return dtype == DType.BFLOAT16 ? CpuStorage.bf16ToFloat(bits) : Float.float16ToFloat(bits);
    }

    /**
     * The first {@code n} elements of a contiguous view as a new float[]: widened from a half storage, or
     * copied from a float32 one.
     */
    static float[] widen(View v, long n) {
        int off = v.storageOffset();
        int len = Math.toIntExact(n);
        Object a = ((CpuStorage) v.storage()).array();
        if (a instanceof float[] f) {
            return java.util.Arrays.copyOfRange(f, off, off + len);
        }
        return widen(java.util.Arrays.copyOfRange((short[]) a, off, off + len), v.dtype());
    }

    /** A float32 array as it is, or a half one (bits of the given dtype) widened to a new float[]. */
    static float[] widen(Object array, DType dtype) {
        if (array instanceof float[] f) {
            return f;
        }
        short[] h = (short[]) array;
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            out[i] = toFloat(dtype, h[i]);
        }
        return out;
    }
}
