package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.backend.cpu.CpuStorage;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test data: host arrays of every dtype (random values with the special ones among them), the layouts views are
 * cut in (dense, transposed, strided with an offset, broadcasts, more dims than one launch takes), and the
 * comparison of two storages at the tolerance of their dtype.
 */
final class Data {
    private Data() {
    }

    /** Values every float input starts with: signed zeros, infinities, NaN, and the ops' special points. */
    static final double[] FLOAT_SPECIALS = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e-3, -2.5, 3.0};
    /** Values every int64 input starts with: the range's ends, 0 and the units. */
    static final long[] LONG_SPECIALS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 2, -7, 5};

    /** Random values of a dtype; {@code specials} puts the special values first. */
    static Object random(DType t, int n, Random r, boolean specials) {
        switch (t) {
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = specials && i < LONG_SPECIALS.length ? LONG_SPECIALS[i] : r.nextInt(41) - 20;
                }
                return a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextBoolean();
                }
                return a;
            }
            default -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = specials && i < FLOAT_SPECIALS.length ? FLOAT_SPECIALS[i] : r.nextDouble() * 6 - 3;
                }
                return fromDoubles(t, a);
            }
        }
    }

    /** A host array of a floating dtype holding these values (rounded to it). */
    static Object fromDoubles(DType t, double[] v) {
        int n = v.length;
        switch (t) {
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) v[i];
                }
                return a;
            }
            case FLOAT64 -> {
                return v.clone();
            }
            case FLOAT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.floatToFloat16((float) v[i]);
                }
                return a;
            }
            case BFLOAT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = CpuStorage.floatToBf16((float) v[i]);
                }
                return a;
            }
            default -> throw new IllegalArgumentException(t.toString());
        }
    }

    /** A view layout over a storage of {@code storage} elements. */
    record Layout(String name, int[] shape, int[] stride, int offset, int storage) {
        View on(Storage s) {
            return new View(s, shape, stride, offset);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final int R = 5;
    static final int C = 7;
    static final Layout DENSE = new Layout("dense", new int[] {R, C}, new int[] {C, 1}, 0, R * C);
    static final Layout TRANSPOSED = new Layout("transposed", new int[] {R, C}, new int[] {1, R}, 0, R * C);
    static final Layout STRIDED = new Layout("strided+offset", new int[] {R, C}, new int[] {2 * C + 1, 2}, 3,
            3 + (R - 1) * (2 * C + 1) + (C - 1) * 2 + 1);
    static final Layout ROW = new Layout("row broadcast", new int[] {R, C}, new int[] {0, 1}, 0, C);
    static final Layout COLUMN = new Layout("column broadcast", new int[] {R, C}, new int[] {1, 0}, 0, R);
    static final Layout SCALAR = new Layout("scalar broadcast", new int[] {R, C}, new int[] {0, 0}, 2, 3);

    /** Ten dims that do not merge (more than one launch's eight): a row-major shape read in reverse order. */
    static final int[] HIGH_SHAPE = {2, 2, 2, 1, 2, 2, 2, 2, 2, 3};
    static final Layout HIGH_DENSE = new Layout("10-d dense", HIGH_SHAPE, View.contiguousStrides(HIGH_SHAPE), 0,
            768);
    static final Layout HIGH_REVERSED = new Layout("10-d reversed strides", HIGH_SHAPE, reversedStrides(HIGH_SHAPE),
            0, 768);

    private static int[] reversedStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = 0; i < shape.length; i++) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Copies of one host array on two backends. */
    record Pair(Storage cpu, Storage ocl) {
    }

    static Pair pair(Backend cpu, Backend ocl, DType t, Object host) {
        return new Pair(cpu.fromHost(host, t), ocl.fromHost(host, t));
    }

    /** The absolute and relative tolerance of results of a dtype (0 for the exact ones). */
    static double tolerance(DType t) {
        return switch (t) {
            case FLOAT32 -> 1e-5;
            case FLOAT64 -> 1e-12;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            case INT64, BOOL -> 0;
        };
    }

    /** Asserts that two storages of one dtype hold the same values, within the dtype's tolerance. */
    static void assertSame(Backend cpu, Storage expected, Backend ocl, Storage actual, String what) {
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(expected.size(), actual.size());
        Object e = cpu.toHost(expected, 0, expected.size());
        Object a = ocl.toHost(actual, 0, actual.size());
        DType t = expected.dtype();
        double tol = tolerance(t);
        for (int i = 0; i < expected.size(); i++) {
            switch (t) {
                case INT64 -> {
                    if (((long[]) e)[i] != ((long[]) a)[i]) {
                        fail(what + ": element " + i + " is " + ((long[]) a)[i] + ", expected " + ((long[]) e)[i]);
                    }
                }
                case BOOL -> {
                    if (((boolean[]) e)[i] != ((boolean[]) a)[i]) {
                        fail(what + ": element " + i + " is " + ((boolean[]) a)[i] + ", expected "
                                + ((boolean[]) e)[i]);
                    }
                }
                default -> {
                    double x = value(t, e, i);
                    double y = value(t, a, i);
                    boolean ok = Double.isNaN(x) ? Double.isNaN(y)
                            : x == y || Math.abs(x - y) <= tol + tol * Math.abs(x);
                    if (!ok) {
                        fail(what + ": element " + i + " is " + y + ", expected " + x + " (tolerance " + tol + ")");
                    }
                }
            }
        }
    }

    static double value(DType t, Object array, int i) {
        return switch (t) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case FLOAT16 -> Float.float16ToFloat(((short[]) array)[i]);
            case BFLOAT16 -> CpuStorage.bf16ToFloat(((short[]) array)[i]);
            case INT64 -> ((long[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }
}
