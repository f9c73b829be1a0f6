package dev.jtorch;

import dev.jtorch.internal.Numel;

import java.util.Arrays;

/** Shape arithmetic and the PyTorch-worded errors about shapes and dims. */
final class Shapes {
    static final int[] SCALAR = new int[0];

    private Shapes() {
    }

    /**
     * The element count of a shape as PyTorch's int64 numel, refusing negative dims and counts beyond a long
     * (PyTorch's message). Views may have more than 2^31 - 1 elements; see {@link #numel}.
     */
    static long numelLong(int[] shape) {
        long n = 1;
        boolean overflow = false;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension " + s + " in shape " + str(shape));
            }
            long hi = Math.multiplyHigh(n, s);
            n *= s;
            overflow |= hi != 0 || n < 0;
        }
        if (overflow && n != 0) {
            throw new IllegalArgumentException("numel: integer multiplication overflow");
        }
        return n;
    }

    /** The element count of a shape that a storage or kernel must hold: an int, or jtorch's limit named. */
    static int numel(int[] shape) {
        return Numel.toInt(numelLong(shape), shape);
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    static boolean isContiguous(int[] shape, int[] stride) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static String size(int[] shape) {
        return "torch.Size(" + Arrays.toString(shape) + ")";
    }

    /** Wraps a possibly negative dim into [0, ndim), with PyTorch's message. */
    static int wrapDim(int dim, int ndim) {
        int n = Math.max(ndim, 1);
        if (dim < -n || dim >= n) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-n) + ", " + (n - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + n : dim;
    }

    static int[] broadcast(int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i;
            int ib = b.length - n + i;
            int da = ia >= 0 ? a[ia] : 1;
            int db = ib >= 0 ? b[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + " (shapes " + str(a) + " and " + str(b) + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Sorted distinct wrapped dims; an empty array means every dim (PyTorch's dim=None). */
    static int[] reduceDims(int[] dims, int ndim) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] w = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            w[i] = wrapDim(dims[i], ndim);
        }
        Arrays.sort(w);
        for (int i = 1; i < w.length; i++) {
            if (w[i] == w[i - 1]) {
                throw new IllegalArgumentException("dim " + w[i] + " appears multiple times in the list of dims");
            }
        }
        return w;
    }

    static int[] keepdimShape(int[] shape, int[] dims) {
        int[] out = shape.clone();
        for (int d : dims) {
            out[d] = 1;
        }
        return out;
    }

    static int[] squeezeDims(int[] shape, int[] dims) {
        int[] out = new int[shape.length - dims.length];
        int j = 0;
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (k < dims.length && dims[k] == i) {
                k++;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
