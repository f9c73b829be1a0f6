package dev.jtorch;

import java.util.Arrays;

/** Helpers shared by the nn primitives (ConvOps, PoolOps, NormOps, EmbeddingOps): raw copies and messages. */
final class NnSupport {
    private NnSupport() {
    }

    /** t itself when contiguous, else a contiguous copy made outside autograd. */
    static Tensor dense(Tensor t) {
        if (t == null || t.isContiguous()) {
            return t;
        }
        Tensor out = t.newEmptyShared(t.dtype, t.shape);
        Dispatch.copy(t, out);
        return out;
    }

    /** The first len entries of dim d, as a view outside autograd. */
    static Tensor narrow(Tensor t, int d, int len) {
        int[] sh = t.shape.clone();
        sh[d] = len;
        return new Tensor(t.storage, sh, t.stride, t.offset);
    }

    /** A fresh contiguous tensor on t's device, outside autograd. */
    static Tensor empty(Tensor like, DType dt, int... shape) {
        return like.newEmptyShared(dt, shape);
    }

    static boolean half(DType d) {
        return d == DType.FLOAT16 || d == DType.BFLOAT16;
    }

    /** PyTorch's scalar type name (Float, Double, Long, Bool, Half, BFloat16). */
    static String scalarName(DType d) {
        return switch (d) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case INT64 -> "Long";
            case BOOL -> "Bool";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
        };
    }

    /** "[2, 3, 4]". */
    static String shape(int[] s) {
        return Arrays.toString(s);
    }

    /** "(2, 3)" as Python prints a tuple. */
    static String tuple(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            b.append(i > 0 ? ", " : "").append(s[i]);
        }
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    /** "8 x 8" as ATen prints a size list inside parentheses. */
    static String joinX(int[] s, String sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i > 0 ? sep : "").append(s[i]);
        }
        return b.toString();
    }

    static void requireFloating(String op, Tensor t) {
        if (!t.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + scalarName(t.dtype) + "'");
        }
    }

    static void sameDtype(Tensor a, Tensor b) {
        if (b != null && a.dtype != b.dtype) {
            throw new IllegalArgumentException("expected scalar type " + scalarName(a.dtype) + " but found "
                    + scalarName(b.dtype));
        }
    }

    static void checkDevice(Tensor a, Tensor b) {
        if (b != null) {
            ElementwiseOps.checkDevices(a, b);
        }
    }

    /** Dims [0, 2, 3, ...]: every dim but the channels, for per-channel sums of an (N, C, ...) gradient. */
    static int[] allButChannel(int dim) {
        int[] d = new int[dim - 1];
        d[0] = 0;
        for (int i = 2; i < dim; i++) {
            d[i - 1] = i;
        }
        return d;
    }
}
