package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.View;

/**
 * Copies between a contiguous tensor and a transposed one in tiles. Reading a transposed matrix row by row strides
 * across memory, a cache line per element; small tiles reuse each line for {@value #T} elements. The tile is small
 * because a transposed float matrix of 1024 columns puts the lines of one tile 4 KiB apart, all in the same L1 set:
 * 32 x 32 tiles thrash the set (2.7 ms for a 1024 x 1024 float copy), 8 x 8 do not (1.4 ms, against 4.2 ms row by
 * row; 16 x 16: 1.7, 4 x 4: 1.8; one thread, AMD EPYC, Zen 4 by its CPUID). Used by {@link CpuBackend#copy} (contiguous(),
 * clone() of a transposed view: every Linear weight's gradient is one) and by the binary ops whose operands share one
 * non-row-major dense layout (an add of two transposed 1024 x 1024 floats: 11.7 ms, now 2.0).
 */
final class Transposes {
    /** Tile edge (see the class comment for why 8). */
    static final int T = 8;

    private Transposes() {
    }

    /** The dims of a view after dropping size-1 dims and merging those {@code ops} all allow, with each op's strides. */
    private record Collapsed(int[] dims, int[][] strides) {
    }

    private static Collapsed collapse(int[] shape, View... ops) {
        int k = ops.length;
        int[] dims = new int[shape.length];
        int[][] st = new int[k][shape.length];
        int nd = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            boolean merge = nd > 0;
            for (int j = 0; j < k && merge; j++) {
                merge = st[j][nd - 1] == ops[j].stride()[i] * shape[i];
            }
            if (merge) {
                dims[nd - 1] *= shape[i];
                for (int j = 0; j < k; j++) {
                    st[j][nd - 1] = ops[j].stride()[i];
                }
            } else {
                dims[nd] = shape[i];
                for (int j = 0; j < k; j++) {
                    st[j][nd] = ops[j].stride()[i];
                }
                nd++;
            }
        }
        int[][] out = new int[k][];
        for (int j = 0; j < k; j++) {
            out[j] = java.util.Arrays.copyOf(st[j], nd);
        }
        return new Collapsed(java.util.Arrays.copyOf(dims, nd), out);
    }

    /**
     * {@code dst = src} as a tiled transpose when, after collapsing, both are (batch..., R, C) with dst's last dim
     * of stride 1 and src's second-last of stride 1 (src is a transposed view), same float or double dtype.
     * Returns false (nothing written) for any other layout.
     */
    static boolean copy(View src, View dst) {
        DType dt = dst.dtype();
        if (src.dtype() != dt || (dt != DType.FLOAT32 && dt != DType.FLOAT64) || dst.intNumel() < T * T) {
            return false;
        }
        Collapsed c = collapse(dst.shape(), dst, src);
        int nd = c.dims().length;
        if (nd < 2) {
            return false;
        }
        int[] ds = c.strides()[0];
        int[] ss = c.strides()[1];
        int rows = c.dims()[nd - 2];
        int cols = c.dims()[nd - 1];
        if (ds[nd - 1] != 1 || ss[nd - 2] != 1 || ss[nd - 1] < rows || ds[nd - 2] < cols || rows < T || cols < T) {
            return false;
        }
        CpuStorage sst = CpuBackend.st(src);
        CpuStorage dst2 = CpuBackend.st(dst);
        int batchDims = nd - 2;
        int[] counter = new int[batchDims];
        int so = src.storageOffset();
        int o = dst.storageOffset();
        while (true) {
            if (dt == DType.FLOAT32) {
                tile(sst.f, so, ss[nd - 1], dst2.f, o, ds[nd - 2], rows, cols);
            } else {
                tile(sst.d, so, ss[nd - 1], dst2.d, o, ds[nd - 2], rows, cols);
            }
            int d = batchDims - 1;
            while (d >= 0) {
                counter[d]++;
                so += ss[d];
                o += ds[d];
                if (counter[d] < c.dims()[d]) {
                    break;
                }
                so -= ss[d] * c.dims()[d];
                o -= ds[d] * c.dims()[d];
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                return true;
            }
        }
    }

    /** dst[r * ldd + c] = src[r + c * lds] for r < rows, c < cols, in tiles. */
    static void tile(float[] src, int so, int lds, float[] dst, int o, int ldd, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += T) {
            int r1 = Math.min(rows, r0 + T);
            for (int c0 = 0; c0 < cols; c0 += T) {
                int c1 = Math.min(cols, c0 + T);
                for (int r = r0; r < r1; r++) {
                    int di = o + r * ldd;
                    int si = so + r;
                    for (int c = c0; c < c1; c++) {
                        dst[di + c] = src[si + c * lds];
                    }
                }
            }
        }
    }

    /** The double twin of {@link #tile(float[], int, int, float[], int, int, int, int)}. */
    static void tile(double[] src, int so, int lds, double[] dst, int o, int ldd, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += T) {
            int r1 = Math.min(rows, r0 + T);
            for (int c0 = 0; c0 < cols; c0 += T) {
                int c1 = Math.min(cols, c0 + T);
                for (int r = r0; r < r1; r++) {
                    int di = o + r * ldd;
                    int si = so + r;
                    for (int c = c0; c < c1; c++) {
                        dst[di + c] = src[si + c * lds];
                    }
                }
            }
        }
    }

    /**
     * Whether v covers exactly {@code numel} consecutive elements from its offset in some dim order (a permutation
     * of a contiguous layout: non-overlapping and dense), so that two such views with equal strides pair their
     * elements position by position in memory.
     */
    static boolean dense(View v) {
        int[] shape = v.shape();
        int[] stride = v.stride();
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Integer.compare(stride[y], stride[x]));
        long expect = 1;
        for (int i = order.length - 1; i >= 0; i--) {
            int d = order[i];
            if (shape[d] == 1) {
                continue;
            }
            if (stride[d] != expect) {
                return false;
            }
            expect *= shape[d];
        }
        return true;
    }
}
