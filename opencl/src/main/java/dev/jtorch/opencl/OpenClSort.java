package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * {@link OpenClBackend#sort} and {@link OpenClBackend#scan} on the device: checks the views, lays the lines out as a
 * {@link Geometry} over the shape with the dim of size 1, allocates the sort's scratch (keys and two int arrays
 * per line) and runs {@link SortSource}'s kernels, one work-item per line.
 */
final class OpenClSort {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClSort(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    /** The shape of the lines' starts: {@code shape} with {@code dim} of size 1 (a 0-dim view: one line). */
    private static int[] lines(int[] shape, int dim) {
        int[] r = shape.clone();
        if (r.length > 0) {
            r[dim] = 1;
        }
        return r;
    }

    private static int length(View v, int dim) {
        return v.dim() == 0 ? 1 : v.size(dim);
    }

    private static int stride(View v, int dim) {
        return v.dim() == 0 ? 0 : v.stride()[dim];
    }

    private static void sameShape(View a, View b, String what) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(what + ": " + b + " does not have the shape of " + a);
        }
    }

    private static void checkDim(View x, int dim, String op) {
        if (x.dim() == 0 ? dim != 0 && dim != -1 : dim < 0 || dim >= x.dim()) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is outside " + x);
        }
    }

    void sort(View x, int dim, boolean descending, View values, View indices) {
        checkDim(x, dim, "sort");
        sameShape(x, values, "sort values");
        sameShape(x, indices, "sort indices");
        if (values.dtype() != x.dtype()) {
            throw new IllegalArgumentException("sort: the values are " + values.dtype() + ", the input "
                    + x.dtype());
        }
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("sort writes int64 indices, not " + indices.dtype());
        }
        int count = x.intNumel();
        OpenClStorage sv = backend.checked(values, "the values");
        OpenClStorage si = backend.checked(indices, "the indices");
        OpenClStorage sx = backend.checked(x, "the input");
        if (count == 0) {
            return;
        }
        int n = length(x, dim);
        DType dt = x.dtype();
        CType k = SortSource.keyType(dt);
        DType keyType = switch (k) {
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case LONG -> DType.INT64;
        };
        Geometry g = Geometry.of(lines(x.shape(), dim), values, indices, x);
        // keys of every line, and two int arrays per line (a float32 buffer is the size of ints)
        OpenClStorage keys = (OpenClStorage) backend.allocate(keyType, count);
        OpenClStorage perm = (OpenClStorage) backend.allocate(DType.FLOAT32, View.intCount(2L * count, x.shape()));
        ClDevice.Program p = backend.program("sort " + dt, () -> SortSource.sort(dt));
        for (Geometry part : g.split()) {
            dev.launch(p, "SORT", part.n, sv.block(), si.block(), sx.block(), part.pack(), keys.block(), perm.block(),
                    n, stride(values, dim), stride(indices, dim), stride(x, dim), descending ? 1 : 0);
        }
        Reference.reachabilityFence(keys);
        Reference.reachabilityFence(perm);
        Reference.reachabilityFence(sv);
        Reference.reachabilityFence(si);
        Reference.reachabilityFence(sx);
    }

    void scan(Op op, View x, int dim, boolean reverse, View out) {
        if (op != Op.CUMSUM && op != Op.CUMPROD) {
            throw new IllegalArgumentException(op + " is not a scan");
        }
        checkDim(x, dim, op.name().toLowerCase());
        sameShape(x, out, op.name().toLowerCase());
        int count = out.intNumel();
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sx = backend.checked(x, "the input");
        if (count == 0) {
            return;
        }
        DType in = x.dtype();
        DType ot = out.dtype();
        CType c = OpenClBackend.exact(ot) && OpenClBackend.exact(in) ? CType.LONG
                : dev.fp64 ? CType.DOUBLE : CType.FLOAT;
        Geometry g = Geometry.of(lines(x.shape(), dim), out, x);
        ClDevice.Program p = backend.program("scan " + op + " " + in + " " + ot + " " + c,
                () -> SortSource.scan(op, in, ot, c));
        for (Geometry part : g.split()) {
            dev.launch(p, "SCAN", part.n, so.block(), sx.block(), part.pack(), length(x, dim), stride(out, dim),
                    stride(x, dim), reverse ? 1 : 0);
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sx);
    }
}
