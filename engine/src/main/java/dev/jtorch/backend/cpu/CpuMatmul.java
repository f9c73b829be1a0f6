package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import dev.jtorch.DType;
import dev.jtorch.kernels.Gemm;

/**
 * Batched matrix product on the GEMM kernel. Each batch's matrices are passed as they lie in memory when they
 * are row-major or column-major (a transposed view costs nothing); other layouts are copied once. A batch
 * stride of 0 (a broadcast operand) is fine.
 */
final class CpuMatmul {
    private CpuMatmul() {
    }

    static void bmm(View a, View b, View out, double alpha, double beta) {
        if (out.intNumel() == 0) {
            return; // no output element (m, n or the batch is 0): the GEMM kernels take no zero leading dims
        }
        DType dt = out.dtype();
        if (dt == DType.FLOAT16 || dt == DType.BFLOAT16) {
            // half types: the product in float32 (inputs widened exactly), rounded once to nearest even
            View wide = View.contiguous(CpuStorage.allocate(DType.FLOAT32, out.intNumel()), out.shape());
            if (beta != 0) {
                CpuBackend.INSTANCE.copy(out, wide);
            }
            bmm(gemmable(a, DType.FLOAT32), gemmable(b, DType.FLOAT32), wide, alpha, beta);
            CpuBackend.INSTANCE.copy(wide, out);
            return;
        }
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            naive(a, b, out, alpha, beta);
            return;
        }
        a = gemmable(a, dt);
        b = gemmable(b, dt);
        int batch = out.shape()[0];
        int m = out.shape()[1];
        int n = out.shape()[2];
        int k = a.shape()[2];
        boolean ta = isTransposed(a);
        boolean tb = isTransposed(b);
        int lda = ld(a, ta);
        int ldb = ld(b, tb);
        int co = out.storageOffset();
        for (int i = 0; i < batch; i++) {
            int ao = a.storageOffset() + i * a.stride()[0];
            int bo = b.storageOffset() + i * b.stride()[0];
            int oo = co + i * m * n;
            if (dt == DType.FLOAT32) {
                Gemm.sgemm(ta, tb, m, n, k, (float) alpha, CpuBackend.st(a).f, ao, lda, CpuBackend.st(b).f, bo, ldb,
                        (float) beta, CpuBackend.st(out).f, oo, n);
            } else {
                Gemm.dgemm(ta, tb, m, n, k, alpha, CpuBackend.st(a).d, ao, lda, CpuBackend.st(b).d, bo, ldb,
                        beta, CpuBackend.st(out).d, oo, n);
            }
        }
    }

    /**
     * {@link #bmm} with a constant b (a weight in inference): a single product whose b is a whole contiguous matrix
     * or its transpose (a Linear's {@code weight.t()}) runs on b's packed panels from {@link PackedWeights}, packed
     * once while the weight does not change (every element gets the arithmetic of the packed path, as
     * {@link Gemm#sgemm(boolean, int, float, float[], int, int, dev.jtorch.kernels.PackedB, float, float[], int, int)}
     * says); anything else is {@link #bmm}.
     */
    static void bmmConstantB(View a, View b, View out, double alpha, double beta) {
        DType dt = out.dtype();
        int[] bs = b.shape();
        if (out.intNumel() == 0 || bs[0] != 1 || a.shape()[0] != 1 || out.shape()[0] != 1 || bs[1] == 0
                || (dt != DType.FLOAT32 && dt != DType.FLOAT64) || a.dtype() != dt
                || b.dtype() != dt || !(rowMajor(a) || colMajor(a))) {
            bmm(a, b, out, alpha, beta);
            return;
        }
        int k = bs[1];
        int n = bs[2];
        int[] st = b.stride();
        boolean tb;
        if ((st[1] == n || k == 1) && (st[2] == 1 || n == 1)) {
            tb = false;    // row-major k x n
        } else if ((st[2] == k || n == 1) && (st[1] == 1 || k == 1)) {
            tb = true;     // the transpose of a row-major n x k (weight.t())
        } else {
            bmm(a, b, out, alpha, beta);
            return;
        }
        int m = out.shape()[1];
        int[] wShape = tb ? new int[] {n, k} : new int[] {k, n};
        View w = new View(b.storage(), wShape, View.contiguousStrides(wShape), b.storageOffset());
        dev.jtorch.kernels.PackedB packed = PackedWeights.get(RnnArrays.of(dt), w, tb, k, n);
        boolean ta = isTransposed(a);
        int lda = ld(a, ta);
        if (dt == DType.FLOAT32) {
            Gemm.sgemm(ta, m, (float) alpha, CpuBackend.st(a).f, a.storageOffset(), lda, packed, (float) beta,
                    CpuBackend.st(out).f, out.storageOffset(), n);
        } else {
            Gemm.dgemm(ta, m, alpha, CpuBackend.st(a).d, a.storageOffset(), lda, packed, beta,
                    CpuBackend.st(out).d, out.storageOffset(), n);
        }
    }

    /** Row-major: inner stride 1 (or a single column); column-major: row stride 1. */
    private static boolean rowMajor(View t) {
        int[] s = t.stride();
        int[] sh = t.shape();
        return (s[2] == 1 || sh[2] == 1) && s[1] >= Math.max(1, sh[2]);
    }

    private static boolean colMajor(View t) {
        int[] s = t.stride();
        int[] sh = t.shape();
        return (s[1] == 1 || sh[1] == 1) && s[2] >= Math.max(1, sh[1]);
    }

    private static boolean isTransposed(View t) {
        return !rowMajor(t);
    }

    private static int ld(View t, boolean transposed) {
        int[] sh = t.shape();
        return transposed ? Math.max(Math.max(1, sh[1]), t.stride()[2]) : Math.max(Math.max(1, sh[2]), t.stride()[1]);
    }

    private static View gemmable(View t, DType dt) {
        if (t.dtype() == dt && (rowMajor(t) || colMajor(t))) {
            return t;
        }
        View c = View.contiguous(CpuStorage.allocate(dt, t.intNumel()), t.shape());
        CpuBackend.INSTANCE.copy(t, c);
        return c;
    }

    private static void naive(View a, View b, View out, double alpha, double beta) {
        int batch = out.shape()[0];
        int m = out.shape()[1];
        int n = out.shape()[2];
        int k = a.shape()[2];
        CpuStorage as = CpuBackend.st(a);
        CpuStorage bs = CpuBackend.st(b);
        CpuStorage os = CpuBackend.st(out);
        boolean exact = CpuBackend.exact(out.dtype());
        int[] sa = a.stride();
        int[] sb = b.stride();
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int oi = out.storageOffset() + (z * m + i) * n + j;
                    if (exact) {
                        long s = 0;
                        for (int q = 0; q < k; q++) {
                            s += as.getLong(a.storageOffset() + z * sa[0] + i * sa[1] + q * sa[2])
                                    * bs.getLong(b.storageOffset() + z * sb[0] + q * sb[1] + j * sb[2]);
                        }
                        os.setLong(oi, (long) alpha * s + (beta == 0 ? 0 : (long) beta * os.getLong(oi)));
                    } else {
                        double s = 0;
                        for (int q = 0; q < k; q++) {
                            s += as.get(a.storageOffset() + z * sa[0] + i * sa[1] + q * sa[2])
                                    * bs.get(b.storageOffset() + z * sb[0] + q * sb[1] + j * sb[2]);
                        }
                        os.set(oi, alpha * s + (beta == 0 ? 0 : beta * os.get(oi)));
                    }
                }
            }
        }
    }
}
