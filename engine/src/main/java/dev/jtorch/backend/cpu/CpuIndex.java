package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import dev.jtorch.backend.Op;

/**
 * index_select, index_add, gather, scatter and scatter_add along one dim. index_select and index_add move
 * whole slices (embedding lookups copy rows); gather and scatter go element by element over the index
 * tensor's shape, as their definitions do.
 */
final class CpuIndex {
    private CpuIndex() {
    }

    private static View slice(View t, int dim, int i) {
        int nd = t.dim();
        int[] shape = new int[nd - 1];
        int[] stride = new int[nd - 1];
        for (int d = 0, k = 0; d < nd; d++) {
            if (d != dim) {
                shape[k] = t.shape()[d];
                stride[k++] = t.stride()[d];
            }
        }
        return new View(t.storage(), shape, stride, t.storageOffset() + i * t.stride()[dim]);
    }

    /**
     * Rows of a contiguous float32/float64 tensor along dim 0 into (index_select) or onto (index_add) another of
     * the same dtype: one arraycopy or one axpy per row (an embedding lookup of 512 rows of 256 took 50 us
     * through per-row slice tensors, 6 us this way). False when the operands do not qualify.
     */
    private static boolean rows(Op op, View self, int dim, View index, View src, View out) {
        View from = op == Op.INDEX_SELECT ? self : src;
        if (dim != 0 || from.dim() == 0 || !from.isContiguous() || !out.isContiguous() || from.dtype() != out.dtype()
                || !(out.dtype() == dev.jtorch.DType.FLOAT32 || out.dtype() == dev.jtorch.DType.FLOAT64)
                || index.dim() > 1 || index.dtype() != dev.jtorch.DType.INT64) {
            return false;
        }
        int n = index.intNumel();
        int row = n == 0 || from.shape()[0] == 0 ? 0 : from.intNumel() / from.shape()[0];
        long[] ix = CpuBackend.st(index).l;
        int io = index.storageOffset(), is = index.dim() == 0 ? 0 : index.stride()[0];
        CpuStorage fs = CpuBackend.st(from), os = CpuBackend.st(out);
        int fo = from.storageOffset(), oo = out.storageOffset();
        boolean f = out.dtype() == dev.jtorch.DType.FLOAT32;
        for (int i = 0; i < n; i++) {
            int j = (int) ix[io + i * is];
            if (op == Op.INDEX_SELECT) {
                System.arraycopy(fs.array, fo + j * row, os.array, oo + i * row, row);
            } else if (f) {
                dev.jtorch.kernels.Elementwise.axpy(row, 1f, fs.f, fo + i * row, os.f, oo + j * row);
            } else {
                dev.jtorch.kernels.Elementwise.axpy(row, 1.0, fs.d, fo + i * row, os.d, oo + j * row);
            }
        }
        return true;
    }

    static void index(Op op, View self, int dim, View index, View src, View out) {
        if ((op == Op.INDEX_SELECT || op == Op.INDEX_ADD) && rows(op, self, dim, index, src, out)) {
            return;
        }
        CpuStorage is = CpuBackend.st(index);
        switch (op) {
            case INDEX_SELECT -> {
                int n = index.intNumel();
                for (int i = 0; i < n; i++) {
                    int j = (int) is.getLong(index.storageOffset() + i * (index.dim() == 0 ? 0 : index.stride()[0]));
                    CpuBackend.INSTANCE.copy(slice(self, dim, j), slice(out, dim, i));
                }
            }
            case INDEX_ADD -> {
                int n = index.intNumel();
                for (int i = 0; i < n; i++) {
                    int j = (int) is.getLong(index.storageOffset() + i * (index.dim() == 0 ? 0 : index.stride()[0]));
                    View dst = slice(out, dim, j);
                    CpuBackend.INSTANCE.binary(Op.ADD, dst, slice(src, dim, i), dst, 1);
                }
            }
            case GATHER, SCATTER, SCATTER_ADD -> elementwise(op, self, dim, index, src, out);
            default -> throw new IllegalArgumentException(op + " is not an index op");
        }
    }

    private static void elementwise(Op op, View self, int dim, View index, View src, View out) {
        int nd = index.dim();
        int[] shape = index.shape();
        int n = index.intNumel();
        CpuStorage is = CpuBackend.st(index);
        CpuStorage ss = CpuBackend.st(op == Op.GATHER ? self : src);
        CpuStorage os = CpuBackend.st(out);
        boolean exact = CpuBackend.exact(out.dtype());
        int[] idx = new int[nd];
        for (int e = 0; e < n; e++) {
            int io = index.storageOffset();
            int srcOff = (op == Op.GATHER ? self : src).storageOffset();
            int outOff = out.storageOffset();
            int[] srcStride = (op == Op.GATHER ? self : src).stride();
            for (int d = 0; d < nd; d++) {
                io += idx[d] * index.stride()[d];
            }
            int j = (int) is.getLong(io);
            for (int d = 0; d < nd; d++) {
                int pos = idx[d];
                if (op == Op.GATHER) {
                    srcOff += (d == dim ? j : pos) * srcStride[d];
                    outOff += pos * out.stride()[d];
                } else {
                    srcOff += pos * srcStride[d];
                    outOff += (d == dim ? j : pos) * out.stride()[d];
                }
            }
            if (op == Op.SCATTER_ADD) {
                if (exact) {
                    os.setLong(outOff, os.getLong(outOff) + ss.getLong(srcOff));
                } else {
                    os.set(outOff, os.get(outOff) + ss.get(srcOff));
                }
            } else if (exact) {
                os.setLong(outOff, ss.getLong(srcOff));
            } else {
                os.set(outOff, ss.get(srcOff));
            }
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }
}
