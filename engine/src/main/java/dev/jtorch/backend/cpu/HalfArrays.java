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
        return dtype == DType.BFLOAT16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }

    /**
     * The first {@code n} elements of a contiguous view as a new float[]: widened from a half storage, or
     * copied from a float32 one.
     */
    static float[] widen(View v, long n) {
        Object a = ((CpuStorage) v.storage()).array();
        int off = v.storageOffset();
        float[] out = new float[Math.toIntExact(n)];
        if (a instanceof float[] f) {
            System.arraycopy(f, off, out, 0, out.length);
        } else {
            short[] h = (short[]) a;
            DType dt = v.dtype();
            for (int i = 0; i < out.length; i++) {
                out[i] = toFloat(dt, h[off + i]);
            }
        }
        return out;
    }
}
