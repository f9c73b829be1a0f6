package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.kernels.Reductions;

/**
 * Reductions and the softmax family. The reduced dims are permuted to the end and the input made contiguous
 * (a copy only when needed), so every reduction is a row reduction of an {@code outer x inner} matrix; sums
 * over the leading dims of a contiguous tensor (bias gradients) add whole rows instead.
 */
final class CpuReduce {
    private CpuReduce() {
    }

    /** A contiguous tensor holding x permuted by perm, converted to dtype (x itself when already so). */
    static View dense(View x, int[] perm, DType dtype) {
        int[] shape = new int[perm.length];
        int[] stride = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = x.shape()[perm[i]];
            stride[i] = x.stride()[perm[i]];
        }
        View v = new View(x.storage(), shape, stride, x.storageOffset());
        if (v.isContiguous() && v.dtype() == dtype) {
            return v;
        }
        View c = View.contiguous(CpuStorage.allocate(dtype, v.intNumel()), shape);
        CpuBackend.INSTANCE.copy(v, c);
        return c;
    }

    static void reduce(Op op, View x, int[] dims, View out, double p) {
        int nd = x.dim();
        int[] perm = new int[nd];
        boolean[] red = new boolean[nd];
        for (int d : dims) {
            red[d] = true;
        }
        int k = 0;
        int inner = 1;
        for (int i = 0; i < nd; i++) {
            if (!red[i]) {
                perm[k++] = i;
            }
        }
        for (int d : dims) {
            perm[k++] = d;
            inner *= x.shape()[d];
        }
        int outer = out.intNumel();
        CpuStorage os = CpuBackend.st(out);
        int oo = out.storageOffset();
        DType xt = x.dtype();
        boolean leading = true;
        for (int i = 0; i < dims.length; i++) {
            leading &= dims[i] == i;
        }
        if (op == Op.SUM && leading && x.isContiguous() && (xt == DType.FLOAT32 || xt == DType.FLOAT64)
                && out.dtype() == xt && outer > 1 && inner > 1) {
            columnSum(x, inner, outer, out);
            return;
        }
        if (op == Op.SUM && (xt == DType.FLOAT32 || xt == DType.FLOAT64) && out.dtype() == xt) {
            if (inner == 0 || outer == 0) {
                // the sum of no elements is 0 (the row kernel needs a row length of at least 1)
                CpuBackend.INSTANCE.fill(out, 0);
                return;
            }
            View m = dense(x, perm, xt);
            if (xt == DType.FLOAT32) {
                Reductions.rowSum(outer, inner, CpuBackend.st(m).f, m.storageOffset(), inner, os.f, oo);
            } else {
                Reductions.rowSum(outer, inner, CpuBackend.st(m).d, m.storageOffset(), inner, os.d, oo);
            }
            return;
        }
        boolean exact = CpuBackend.exact(xt) && (op == Op.SUM || op == Op.PROD || op == Op.AMAX || op == Op.AMIN
                || op == Op.ARGMAX || op == Op.ARGMIN || op == Op.ANY || op == Op.ALL);
        if (exact) {
            View m = dense(x, perm, DType.INT64);
            long[] a = CpuBackend.st(m).l;
            int base = m.storageOffset();
            for (int r = 0; r < outer; r++) {
                os.setLong(oo + r, reduceLong(op, a, base + r * inner, inner));
            }
            return;
        }
        View m = dense(x, perm, DType.FLOAT64);
        double[] a = CpuBackend.st(m).d;
        int base = m.storageOffset();
        for (int r = 0; r < outer; r++) {
            int o = base + r * inner;
            if (op == Op.ARGMAX || op == Op.ARGMIN) {
                os.setLong(oo + r, argExtreme(a, o, inner, op == Op.ARGMAX));
            } else {
                os.set(oo + r, reduceDouble(op, a, o, inner, p));
            }
        }
    }

    private static void columnSum(View x, int rows, int cols, View out) {
        if (x.dtype() == DType.FLOAT32) {
            DenseKernels.columnSum(CpuBackend.st(x).f, x.storageOffset(), rows, cols, CpuBackend.st(out).f,
                    out.storageOffset());
        } else {
            DenseKernels.columnSum(CpuBackend.st(x).d, x.storageOffset(), rows, cols, CpuBackend.st(out).d,
                    out.storageOffset());
        }
    }

    private static long reduceLong(Op op, long[] a, int o, int n) {
        switch (op) {
            case SUM -> {
                long s = 0;
                for (int i = 0; i < n; i++) s += a[o + i];
                return s;
            }
            case PROD -> {
                long s = 1;
                for (int i = 0; i < n; i++) s *= a[o + i];
                return s;
            }
            case AMAX -> {
                long s = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) s = Math.max(s, a[o + i]);
                return s;
            }
            case AMIN -> {
                long s = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) s = Math.min(s, a[o + i]);
                return s;
            }
            case ARGMAX, ARGMIN -> {
                int best = 0;
                for (int i = 1; i < n; i++) {
                    if (op == Op.ARGMAX ? a[o + i] > a[o + best] : a[o + i] < a[o + best]) best = i;
                }
                return best;
            }
            case ANY -> {
                for (int i = 0; i < n; i++) if (a[o + i] != 0) return 1;
                return 0;
            }
            case ALL -> {
                for (int i = 0; i < n; i++) if (a[o + i] == 0) return 0;
                return 1;
            }
            default -> throw new IllegalArgumentException(op + " has no int64 reduction");
        }
    }

    private static long argExtreme(double[] a, int o, int n, boolean max) {
        int best = 0;
        for (int i = 0; i < n; i++) {
            double v = a[o + i];
            if (Double.isNaN(v)) {
                return i;
            }
            if (max ? v > a[o + best] : v < a[o + best]) {
                best = i;
            }
        }
        return best;
    }

    private static double reduceDouble(Op op, double[] a, int o, int n, double p) {
        switch (op) {
            case SUM -> {
                double s = 0;
                for (int i = 0; i < n; i++) s += a[o + i];
                return s;
            }
            case PROD -> {
                double s = 1;
                for (int i = 0; i < n; i++) s *= a[o + i];
                return s;
            }
            case AMAX, AMIN -> {
                double s = op == Op.AMAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = a[o + i];
                    if (Double.isNaN(v)) return v;
                    s = op == Op.AMAX ? Math.max(s, v) : Math.min(s, v);
                }
                return s;
            }
            case LOGSUMEXP -> {
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) m = Math.max(m, a[o + i]);
                if (Double.isInfinite(m)) {
                    m = 0;
                }
                double s = 0;
                for (int i = 0; i < n; i++) s += Math.exp(a[o + i] - m);
                return Math.log(s) + m;
            }
            case NORM -> {
                return norm(a, o, n, p);
            }
            case VAR -> {
                double mean = 0;
                for (int i = 0; i < n; i++) mean += a[o + i];
                mean /= n;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double d = a[o + i] - mean;
                    s += d * d;
                }
                return s / Math.max(0, n - p);
            }
            case ANY -> {
                for (int i = 0; i < n; i++) if (a[o + i] != 0) return 1;
                return 0;
            }
            case ALL -> {
                for (int i = 0; i < n; i++) if (a[o + i] == 0) return 0;
                return 1;
            }
            default -> throw new IllegalArgumentException(op + " is not a reduction");
        }
    }

    private static double norm(double[] a, int o, int n, double p) {
        if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
            double s = p > 0 ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = Math.abs(a[o + i]);
                if (Double.isNaN(v)) return v;
                s = p > 0 ? Math.max(s, v) : Math.min(s, v);
            }
            return s;
        }
        double s = 0;
        if (p == 0) {
            for (int i = 0; i < n; i++) s += a[o + i] != 0 ? 1 : 0;
            return s;
        }
        if (p == 1) {
            for (int i = 0; i < n; i++) s += Math.abs(a[o + i]);
            return s;
        }
        if (p == 2) {
            for (int i = 0; i < n; i++) s += a[o + i] * a[o + i];
            return Math.sqrt(s);
        }
        for (int i = 0; i < n; i++) s += Math.pow(Math.abs(a[o + i]), p);
        return Math.pow(s, 1 / p);
    }

    static void softmax(Op op, View x, View dy, int dim, View out) {
        if (out.intNumel() == 0) {
            return; // empty lines or no lines: nothing to write (the kernels take no zero-length rows)
        }
        int nd = x.dim();
        int[] perm = new int[nd];
        for (int i = 0, k = 0; i < nd; i++) {
            if (i != dim) {
                perm[k++] = i;
            }
        }
        if (nd > 0) {
            perm[nd - 1] = dim;
        }
        int cols = nd == 0 ? 1 : x.shape()[dim];
        int rows = cols == 0 ? 0 : x.intNumel() / cols;
        DType ct = x.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
        View m = dense(x, perm, ct);
        View g = dy == null ? null : dense(dy, perm, ct);
        View outPerm = dense(out, perm, out.dtype());
        boolean direct = outPerm.storage() == out.storage() && ct == out.dtype();
        View y = direct ? outPerm : View.contiguous(CpuStorage.allocate(ct, m.intNumel()), m.shape());
        int mo = m.storageOffset();
        int yo = y.storageOffset();
        int go = g == null ? 0 : g.storageOffset();
        if (ct == DType.FLOAT32) {
            DenseKernels.softmax(op, rows, cols, CpuBackend.st(m).f, mo, g == null ? null : CpuBackend.st(g).f, go,
                    CpuBackend.st(y).f, yo);
        } else {
            DenseKernels.softmax(op, rows, cols, CpuBackend.st(m).d, mo, g == null ? null : CpuBackend.st(g).d, go,
                    CpuBackend.st(y).d, yo);
        }
        if (!direct) {
            int[] shape = new int[nd];
            int[] stride = new int[nd];
            for (int i = 0; i < nd; i++) {
                shape[i] = out.shape()[perm[i]];
                stride[i] = out.stride()[perm[i]];
            }
            CpuBackend.INSTANCE.copy(y, new View(out.storage(), shape, stride, out.storageOffset()));
        }
    }
}
