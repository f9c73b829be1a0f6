package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;

/**
 * {@link CpuBackend#sort} and {@link CpuBackend#scan}: one line along the dim at a time. A line is read into a
 * double (or, for int64 and bool, a long) buffer; the sort is a bottom-up merge sort of the line's positions,
 * which is stable and deterministic, and the scan a running sum or product in double (exact, wrapping, in long),
 * as PyTorch's CPU kernels accumulate float32 in double.
 */
final class CpuSort {
    private CpuSort() {
    }

    /** Called once per line with each operand's storage offset of the line's first element. */
    interface Line {
        void run(int[] offsets);
    }

    /** Runs {@code line} over every line along {@code dim} of views of one shape (the lines of a 0-dim view: one). */
    static void lines(int dim, View[] ops, Line line) {
        View first = ops[0];
        int nd = first.dim();
        if (nd == 0) {
            int[] o = new int[ops.length];
            for (int j = 0; j < ops.length; j++) {
                o[j] = ops[j].storageOffset();
            }
            line.run(o);
            return;
        }
        int[] shape = drop(first.shape(), dim);
        View[] outer = new View[ops.length];
        for (int j = 0; j < ops.length; j++) {
            outer[j] = new View(ops[j].storage(), shape, drop(ops[j].stride(), dim), ops[j].storageOffset());
        }
        Strided.rows(shape, outer, (o, s, n) -> {
            for (int i = 0; i < n; i++) {
                line.run(o);
                for (int j = 0; j < o.length; j++) {
                    o[j] += s[j];
                }
            }
        });
    }

    private static int[] drop(int[] a, int dim) {
        int[] r = new int[a.length - 1];
        for (int i = 0, k = 0; i < a.length; i++) {
            if (i != dim) {
                r[k++] = a[i];
            }
        }
        return r;
    }

    private static int length(View x, int dim) {
        return x.dim() == 0 ? 1 : x.size(dim);
    }

    private static int stride(View x, int dim) {
        return x.dim() == 0 ? 0 : x.stride()[dim];
    }

    static void sort(View x, int dim, boolean descending, View values, View indices) {
        if (x.intNumel() == 0) {
            return; // an empty view may start past the end of its storage: nothing to touch
        }
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("sort writes int64 indices, not " + indices.dtype());
        }
        int n = length(x, dim);
        int xs = stride(x, dim);
        int vs = stride(values, dim);
        int is = stride(indices, dim);
        CpuStorage xst = CpuBackend.st(x);
        CpuStorage vst = CpuBackend.st(values);
        long[] ix = CpuBackend.st(indices).l;
        int[] perm = new int[n];
        int[] tmp = new int[n];
        boolean exact = CpuBackend.exact(x.dtype());
        double[] kd = exact ? null : new double[n];
        long[] kl = exact ? new long[n] : null;
        lines(dim, new View[] {x, values, indices}, o -> {
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            if (exact) {
                xst.readLong(o[0], xs, kl, n);
                mergeSort(perm, tmp, null, kl, n, descending);
                for (int i = 0; i < n; i++) {
                    vst.setLong(o[1] + i * vs, kl[perm[i]]);
                }
            } else {
                xst.read(o[0], xs, kd, n);
                mergeSort(perm, tmp, kd, null, n, descending);
                boolean same = xst.dtype() == vst.dtype();
                for (int i = 0; i < n; i++) {
                    // the element itself (NaN payloads, -0.0 and half bits kept), not its double
                    if (same && xst.d != null) {
                        vst.d[o[1] + i * vs] = xst.d[o[0] + perm[i] * xs];
                    } else if (same && xst.f != null) {
                        vst.f[o[1] + i * vs] = xst.f[o[0] + perm[i] * xs];
                    } else if (same && xst.h != null) {
                        vst.h[o[1] + i * vs] = xst.h[o[0] + perm[i] * xs];
                    } else {
                        vst.set(o[1] + i * vs, kd[perm[i]]);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                ix[o[2] + i * is] = perm[i];
            }
        });
    }

    /**
     * Sorts the positions {@code a[0, n)} by their keys ({@code kd}, or {@code kl} when kd is null), stably;
     * {@code b} is scratch of n.
     */
    static void mergeSort(int[] a, int[] b, double[] kd, long[] kl, int n, boolean descending) {
        int[] src = a;
        int[] dst = b;
        for (long w = 1; w < n; w *= 2) {
            for (long lo = 0; lo < n; lo += 2 * w) {
                int mid = (int) Math.min(lo + w, n);
                int hi = (int) Math.min(lo + 2 * w, n);
                int i = (int) lo;
                int j = mid;
                int t = (int) lo;
                while (i < mid && j < hi) {
                    // the right run's element goes first only when it sorts strictly before the left's
                    boolean right = kd != null ? before(kd[src[j]], kd[src[i]], descending)
                            : descending ? kl[src[j]] > kl[src[i]] : kl[src[j]] < kl[src[i]];
                    dst[t++] = right ? src[j++] : src[i++];
                }
                while (i < mid) {
                    dst[t++] = src[i++];
                }
                while (j < hi) {
                    dst[t++] = src[j++];
                }
            }
            int[] s = src;
            src = dst;
            dst = s;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }

    /** Whether x sorts strictly before y: NaN above every number, -0.0 equal to 0.0. */
    static boolean before(double x, double y, boolean descending) {
        if (descending) {
            return x > y || (Double.isNaN(x) && !Double.isNaN(y));
        }
        return x < y || (!Double.isNaN(x) && Double.isNaN(y));
    }

    static void scan(Op op, View x, int dim, boolean reverse, View out) {
        if (op != Op.CUMSUM && op != Op.CUMPROD) {
            throw new IllegalArgumentException(op + " is not a scan");
        }
        if (out.intNumel() == 0) {
            return;
        }
        int n = length(x, dim);
        int xs = stride(x, dim);
        int os = stride(out, dim);
        CpuStorage xst = CpuBackend.st(x);
        CpuStorage ost = CpuBackend.st(out);
        boolean sum = op == Op.CUMSUM;
        if (CpuBackend.exact(out.dtype())) {
            long[] b = new long[n];
            lines(dim, new View[] {x, out}, o -> {
                xst.readLong(o[0], xs, b, n);
                long acc = sum ? 0 : 1;
                for (int k = 0; k < n; k++) {
                    int i = reverse ? n - 1 - k : k;
                    acc = sum ? acc + b[i] : acc * b[i];
                    b[i] = acc;
                }
                ost.writeLong(o[1], os, b, n);
            });
        } else {
            double[] b = new double[n];
            lines(dim, new View[] {x, out}, o -> {
                xst.read(o[0], xs, b, n);
                double acc = sum ? 0 : 1;
                for (int k = 0; k < n; k++) {
                    int i = reverse ? n - 1 - k : k;
                    acc = sum ? acc + b[i] : acc * b[i];
                    b[i] = acc;
                }
                ost.write(o[1], os, b, n);
            });
        }
    }
}
