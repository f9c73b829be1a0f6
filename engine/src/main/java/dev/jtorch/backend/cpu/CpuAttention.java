package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.AttentionShape;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.Activations;
import dev.jtorch.kernels.Elementwise;
import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.kernels.Reductions;

import java.util.Arrays;

/**
 * Scaled dot-product attention in the FlashAttention-2 style (Dao 2023), for {@code Backend.attention}.
 *
 * <p>Forward: per batch item and tile of {@value #BR} query rows, the keys are visited in tiles of {@value #BC};
 * each tile's scores {@code Q_i K_j^T * scale} (a DGEMM) get the mask, and an online softmax keeps per row the
 * running maximum {@code m} and sum {@code l} of {@code exp(s - m)}: when a tile raises the maximum, the sum and
 * the output accumulator are rescaled by {@code exp(m_old - m_new)}, and the tile's probabilities times V_j (a
 * DGEMM) are added. The output is the accumulator over {@code l}, and {@code lse = m + log l} is kept for the
 * backward. The work memory is the tiles (O(BR (BC + E + Ev))), never an L x S matrix. The exponentials run
 * through the vectorized {@link Activations#exp(double[], int, double[], int, int)}.
 *
 * <p>Backward: for each key tile j and query tile i, the probabilities are recomputed from the saved lse,
 * {@code P = exp(S - lse)}, then {@code dV_j += P~^T dO_i} (P~ with the dropout mask applied),
 * {@code dP = (dO_i V_j^T) * drop}, {@code dS = P * (dP - D_i)} with {@code D_i = rowsum(dO_i * O_i)}, and
 * {@code dQ_i += scale dS K_j}, {@code dK_j += scale dS^T Q_i}; every product is a DGEMM. dQ, dK and dV of a batch
 * item are accumulated in double.
 *
 * <p>float64 computes in double throughout. float32 computes in float throughout, as PyTorch's float32 does, on
 * tiles of {@value #BRF} query rows: the scores by SGEMM against K_j loaded transposed (an NN product: the NT
 * product of the same tiles took 25 us against 14 in this machine's GEMM), the online softmax of each tile by
 * the vector kernel {@link Reductions#onlineSoftmax} (max, exp and sum per row, the rescale factor), the
 * accumulator rescaled by {@link Elementwise#scale} and P V added into it by SGEMM with beta 1. On (1, 8, 128, 64),
 * one thread, that took the forward from 1.16 ms (softmax, statistics and accumulator in double with scalar
 * loops, 64-row tiles, NT scores) to 0.92 (float, vector softmax), 0.72 (NN scores) and 0.65 (128-row tiles);
 * what is left is the two small GEMMs per tile (docs/benchmarks/attention.md). The backward widens the tiles to
 * double. A row whose scores are all -inf ends with {@code m = -inf}: its output is 0 and its lse +inf, so that
 * the backward's {@code exp(s - lse)} is 0 there (PyTorch's {@code _safe_softmax}).
 */
final class CpuAttention {
    /**
     * Query rows per tile. With {@link #BC}: at L = S = 1000, E = 64, one thread, the float32 forward took 11.8 ms
     * with 32 x 64 tiles, 10.0 with 64 x 64, 10.1 with 64 x 128, 9.1 with 128 x 256 (best of 30, a noisy 2-core
     * machine, against 5.6 ms for the composed matmul-softmax-matmul); 64 x 128 keeps a score tile at 64 KiB.
     */
    static final int BR = 64;
    /** Query rows per tile of the float32 forward (128 against 64: 0.65 against 0.72 ms on (1, 8, 128, 64)). */
    static final int BRF = 128;
    /** Keys per tile. */
    static final int BC = 128;

    private CpuAttention() {
    }

    /** One batch item's strided matrix inside a view: element (r, c) at {@code off + r * rs + c * cs}. */
    private record Mat(CpuStorage s, int off, int rs, int cs) {
        double get(int r, int c) {
            int i = off + r * rs + c * cs;
            return s.d != null ? s.d[i] : s.f != null ? s.f[i] : s.b != null ? (s.b[i] ? 1 : 0) : s.get(i);
        }

        void set(int r, int c, double v) {
            int i = off + r * rs + c * cs;
            if (s.d != null) {
                s.d[i] = v;
            } else {
                s.f[i] = (float) v;
            }
        }

        /** Copies rows [r0, r0 + rows) and columns [0, cols) into dst, row-major with leading dim cols. */
        void load(int r0, int rows, int cols, double[] dst) {
            if (cols == 0) {
                return;
            }
            for (int r = 0; r < rows; r++) {
                int i = off + (r0 + r) * rs;
                int o = r * cols;
                if (s.d != null && cs == 1) {
                    System.arraycopy(s.d, i, dst, o, cols);
                } else if (s.f != null) {
                    for (int c = 0; c < cols; c++) {
                        dst[o + c] = s.f[i + c * cs];
                    }
                } else {
                    for (int c = 0; c < cols; c++) {
                        dst[o + c] = s.d[i + c * cs];
                    }
                }
            }
        }

        /** {@link #load} into floats, for a float32 storage. */
        void loadF(int r0, int rows, int cols, float[] dst) {
            for (int r = 0; r < rows && cols > 0; r++) {
                int i = off + (r0 + r) * rs;
                if (cs == 1) {
                    System.arraycopy(s.f, i, dst, r * cols, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        dst[r * cols + c] = s.f[i + c * cs];
                    }
                }
            }
        }

        /** Rows [r0, r0 + rows), columns [0, cols) transposed into dst: dst[c * rows + r], for a float32 storage. */
        void loadFT(int r0, int rows, int cols, float[] dst) {
            for (int r = 0; r < rows; r++) {
                int i = off + (r0 + r) * rs;
                for (int c = 0; c < cols; c++) {
                    dst[c * rows + r] = s.f[i + c * cs];
                }
            }
        }

        /** Writes rows [r0, r0 + rows) from float src (row-major, leading dim cols) into a float32 storage. */
        void storeF(int r0, int rows, int cols, float[] src) {
            for (int r = 0; r < rows && cols > 0; r++) {
                int i = off + (r0 + r) * rs;
                if (cs == 1) {
                    System.arraycopy(src, r * cols, s.f, i, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        s.f[i + c * cs] = src[r * cols + c];
                    }
                }
            }
        }

        /** Writes rows [r0, r0 + rows) from src (row-major, leading dim cols), rounding to the storage's dtype. */
        void store(int r0, int rows, int cols, double[] src) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    set(r0 + r, c, src[r * cols + c]);
                }
            }
        }
    }

    /** Batch item b's matrix of a view whose last two dims are the matrix's (its batch dims lead). */
    private static Mat mat(View v, int b) {
        if (v == null) {
            return null;
        }
        int nd = v.dim();
        return new Mat((CpuStorage) v.storage(), base(v, nd - 2, b), v.stride()[nd - 2], v.stride()[nd - 1]);
    }

    /** Batch item b's row of a view whose last dim is the row (lse), as a one-column matrix. */
    private static Mat row(View v, int b) {
        int nd = v.dim();
        return new Mat((CpuStorage) v.storage(), base(v, nd - 1, b), v.stride()[nd - 1], 0);
    }

    /** The storage offset of batch item b: b unravelled over the leading {@code dims} dims of v. */
    private static int base(View v, int dims, int b) {
        int off = v.storageOffset();
        int[] shape = v.shape();
        int[] stride = v.stride();
        for (int d = dims - 1; d >= 0; d--) {
            int idx = b % shape[d];
            b /= shape[d];
            off += idx * stride[d];
        }
        return off;
    }

    /**
     * Scores of query rows [i0, i0 + br) against keys [j0, j0 + bc) in {@code st} (br x bc): the product of the
     * loaded tiles times the scale, then the causal and given masks.
     */
    private static void scores(AttentionShape sh, double[] qt, double[] kt, Mat mask, boolean boolMask, int i0,
                               int br, int j0, int bc, double[] st) {
        int e = sh.headDim();
        if (e == 0) {
            Arrays.fill(st, 0, br * bc, 0.0);   // no features: every score is 0 (PyTorch scales q and k, not q k^T)
        } else {
            Gemm.dgemm(false, true, br, bc, e, sh.scale(), qt, 0, e, kt, 0, e, 0, st, 0, bc);
        }
        masks(sh, mask, boolMask, i0, br, j0, bc, st);
    }

    /** The causal and given masks on a score tile. */
    private static void masks(AttentionShape sh, Mat mask, boolean boolMask, int i0, int br, int j0, int bc,
                              double[] st) {
        for (int r = 0; r < br; r++) {
            int o = r * bc;
            if (sh.causal()) {
                for (int c = Math.max(0, i0 + r + 1 - j0); c < bc; c++) {
                    st[o + c] = Double.NEGATIVE_INFINITY;
                }
            }
            if (mask != null) {
                for (int c = 0; c < bc; c++) {
                    double m = mask.get(i0 + r, j0 + c);
                    if (boolMask) {
                        if (m == 0) {
                            st[o + c] = Double.NEGATIVE_INFINITY;
                        }
                    } else {
                        st[o + c] += m;
                    }
                }
            }
        }
    }

    /** The keys row i of a causal attention can see end at min(S, i + 1); all S otherwise. */
    private static int keyEnd(AttentionShape sh, int lastRow) {
        return sh.causal() ? Math.min(sh.keys(), lastRow + 1) : sh.keys();
    }

    /** The causal and given masks on a float score tile. */
    private static void masksF(AttentionShape sh, Mat mask, boolean boolMask, int i0, int br, int j0, int bc,
                               float[] st) {
        for (int r = 0; r < br; r++) {
            int o = r * bc;
            if (sh.causal()) {
                for (int c = Math.max(0, i0 + r + 1 - j0); c < bc; c++) {
                    st[o + c] = Float.NEGATIVE_INFINITY;
                }
            }
            if (mask != null) {
                for (int c = 0; c < bc; c++) {
                    double m = mask.get(i0 + r, j0 + c);
                    if (boolMask) {
                        if (m == 0) {
                            st[o + c] = Float.NEGATIVE_INFINITY;
                        }
                    } else {
                        st[o + c] += (float) m;
                    }
                }
            }
        }
    }

    /**
     * The float32 forward, in float throughout as PyTorch's float32 attention: per tile the scores by SGEMM, the
     * online softmax by the vector kernel {@link Reductions#onlineSoftmax}, the accumulator rescaled and the
     * probabilities times V added by SGEMM into it (beta 1).
     */
    private static void forwardF32(AttentionShape sh, View[] in, View[] out) {
        int nl = sh.queries();
        int e = sh.headDim();
        int ev = sh.valueDim();
        boolean boolMask = in[3] != null && in[3].dtype() == DType.BOOL;
        // batch items (and heads) are independent: split over the kernel threads, each with its own buffers
        long work = (long) nl * sh.keys() * (e + ev);
        int tasks = Math.max(1, Math.min(sh.batch(), Kernels.threads()));
        Kernels.parallelFor(tasks, work * sh.batch() / tasks, task -> {
            int b0 = (int) ((long) sh.batch() * task / tasks);
            int b1 = (int) ((long) sh.batch() * (task + 1) / tasks);
            forwardF32(sh, in, out, b0, b1, boolMask);
        });
    }

    /** Batch items [b0, b1) of the float32 forward, with this call's own buffers. */
    private static void forwardF32(AttentionShape sh, View[] in, View[] out, int b0, int b1, boolean boolMask) {
        int nl = sh.queries();
        int e = sh.headDim();
        int ev = sh.valueDim();
        float[] qf = new float[BRF * e];
        float[] kf = new float[BC * e];
        float[] vf = new float[BC * ev];
        float[] sf = new float[BRF * BC];
        float[] acc = new float[BRF * ev];
        float[] m = new float[BRF];
        float[] l = new float[BRF];
        float[] alpha = new float[BRF];
        for (int b = b0; b < b1; b++) {
            Mat q = mat(in[0], b);
            Mat k = mat(in[1], b);
            Mat v = mat(in[2], b);
            Mat mask = mat(in[3], b);
            Mat drop = mat(in[4], b);
            Mat o = mat(out[0], b);
            Mat lse = out[1] == null ? null : row(out[1], b);
            for (int i0 = 0; i0 < nl; i0 += BRF) {
                int br = Math.min(BRF, nl - i0);
                q.loadF(i0, br, e, qf);
                Arrays.fill(m, Float.NEGATIVE_INFINITY);
                Arrays.fill(l, 0);
                Arrays.fill(acc, 0);
                int jEnd = keyEnd(sh, i0 + br - 1);
                for (int j0 = 0; j0 < jEnd; j0 += BC) {
                    int bc = Math.min(BC, jEnd - j0);
                    k.loadFT(j0, bc, e, kf);   // K_j^T (e x bc): the scores are an NN product
                    v.loadF(j0, bc, ev, vf);
                    if (e == 0) {
                        Arrays.fill(sf, 0, br * bc, 0f);
                    } else {
                        Gemm.sgemm(false, false, br, bc, e, (float) sh.scale(), qf, 0, e, kf, 0, bc, 0, sf, 0, bc);
                    }
                    masksF(sh, mask, boolMask, i0, br, j0, bc, sf);
                    Reductions.onlineSoftmax(br, bc, sf, 0, bc, m, l, alpha, 0);
                    for (int r = 0; r < br; r++) {
                        if (alpha[r] != 1f) {
                            Elementwise.scale(alpha[r], acc, r * ev, acc, r * ev, ev);
                        }
                        if (drop != null) {
                            for (int c = 0; c < bc; c++) {
                                sf[r * bc + c] *= (float) drop.get(i0 + r, j0 + c);
                            }
                        }
                    }
                    if (ev > 0) {
                        Gemm.sgemm(false, false, br, ev, bc, 1, sf, 0, bc, vf, 0, ev, 1, acc, 0, ev);
                    }
                }
                for (int r = 0; r < br; r++) {
                    boolean none = m[r] == Float.NEGATIVE_INFINITY;
                    float inv = none ? 0 : 1 / l[r];
                    Elementwise.scale(inv, acc, r * ev, acc, r * ev, ev);
                    if (lse != null) {
                        lse.set(i0 + r, 0, none ? Double.POSITIVE_INFINITY : m[r] + Math.log(l[r]));
                    }
                }
                o.storeF(i0, br, ev, acc);
            }
        }
    }

    /** in {q, k, v, mask, drop}, out {o, lse}. */
    static void forward(AttentionShape sh, View[] in, View[] out) {
        if (in[0].dtype() == DType.FLOAT32 && out[0].dtype() == DType.FLOAT32) {
            forwardF32(sh, in, out);
            return;
        }
        int nl = sh.queries();
        int e = sh.headDim();
        int ev = sh.valueDim();
        boolean boolMask = in[3] != null && in[3].dtype() == DType.BOOL;
        double[] qt = new double[BR * e];
        double[] kt = new double[BC * e];
        double[] vt = new double[BC * ev];
        double[] st = new double[BR * BC];
        double[] acc = new double[BR * ev];
        double[] m = new double[BR];
        double[] l = new double[BR];
        for (int b = 0; b < sh.batch(); b++) {
            Mat q = mat(in[0], b);
            Mat k = mat(in[1], b);
            Mat v = mat(in[2], b);
            Mat mask = mat(in[3], b);
            Mat drop = mat(in[4], b);
            Mat o = mat(out[0], b);
            Mat lse = out[1] == null ? null : row(out[1], b);
            for (int i0 = 0; i0 < nl; i0 += BR) {
                int br = Math.min(BR, nl - i0);
                q.load(i0, br, e, qt);
                Arrays.fill(m, Double.NEGATIVE_INFINITY);
                Arrays.fill(l, 0);
                Arrays.fill(acc, 0);
                int jEnd = keyEnd(sh, i0 + br - 1);
                for (int j0 = 0; j0 < jEnd; j0 += BC) {
                    int bc = Math.min(BC, jEnd - j0);
                    k.load(j0, bc, e, kt);
                    v.load(j0, bc, ev, vt);
                    scores(sh, qt, kt, mask, boolMask, i0, br, j0, bc, st);
                    for (int r = 0; r < br; r++) {
                        int so = r * bc;
                        double tmax = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < bc; c++) {
                            tmax = Math.max(tmax, st[so + c]);
                        }
                        double mNew = Math.max(m[r], tmax);
                        if (mNew == Double.NEGATIVE_INFINITY) {
                            Arrays.fill(st, so, so + bc, 0.0);   // nothing seen yet in this row
                            continue;
                        }
                        for (int c = 0; c < bc; c++) {
                            st[so + c] -= mNew;
                        }
                        Activations.exp(st, so, st, so, bc);
                        double sum = 0;
                        for (int c = 0; c < bc; c++) {
                            sum += st[so + c];
                        }
                        double alpha = Math.exp(m[r] - mNew);   // 0 when the row saw nothing before
                        l[r] = l[r] * alpha + sum;
                        m[r] = mNew;
                        if (alpha != 1) {
                            for (int c = 0; c < ev; c++) {
                                acc[r * ev + c] *= alpha;
                            }
                        }
                        if (drop != null) {
                            for (int c = 0; c < bc; c++) {
                                st[so + c] *= drop.get(i0 + r, j0 + c);
                            }
                        }
                    }
                    if (ev > 0) {
                        Gemm.dgemm(false, false, br, ev, bc, 1, st, 0, bc, vt, 0, ev, 1, acc, 0, ev);
                    }
                }
                for (int r = 0; r < br; r++) {
                    boolean none = m[r] == Double.NEGATIVE_INFINITY;
                    double inv = none ? 0 : 1 / l[r];
                    for (int c = 0; c < ev; c++) {
                        acc[r * ev + c] *= inv;
                    }
                    if (lse != null) {
                        lse.set(i0 + r, 0, none ? Double.POSITIVE_INFINITY : m[r] + Math.log(l[r]));
                    }
                }
                o.store(i0, br, ev, acc);
            }
        }
    }

    /** in {q, k, v, mask, drop, o, lse, dO}, out {dq, dk, dv, ds}. */
    static void backward(AttentionShape sh, View[] in, View[] out) {
        int nl = sh.queries();
        int ns = sh.keys();
        int e = sh.headDim();
        int ev = sh.valueDim();
        double scale = sh.scale();
        boolean boolMask = in[3] != null && in[3].dtype() == DType.BOOL;
        double[] qt = new double[BR * e];
        double[] dot = new double[BR * ev];
        double[] kt = new double[BC * e];
        double[] vt = new double[BC * ev];
        double[] p = new double[BR * BC];
        double[] pd = new double[BR * BC];
        double[] dp = new double[BR * BC];
        double[] dq = new double[nl * e];
        double[] dk = new double[ns * e];
        double[] dv = new double[ns * ev];
        double[] dd = new double[nl];
        double[] lseRow = new double[nl];
        for (int b = 0; b < sh.batch(); b++) {
            Mat q = mat(in[0], b);
            Mat k = mat(in[1], b);
            Mat v = mat(in[2], b);
            Mat mask = mat(in[3], b);
            Mat drop = mat(in[4], b);
            Mat o = mat(in[5], b);
            Mat lse = row(in[6], b);
            Mat dout = mat(in[7], b);
            Mat ds = mat(out[3], b);
            Arrays.fill(dq, 0);
            Arrays.fill(dk, 0);
            Arrays.fill(dv, 0);
            for (int i = 0; i < nl; i++) {
                double s = 0;
                for (int c = 0; c < ev; c++) {
                    s += dout.get(i, c) * o.get(i, c);
                }
                dd[i] = s;
                lseRow[i] = lse.get(i, 0);
            }
            if (ds != null) {
                for (int i = 0; i < nl; i++) {
                    for (int j = 0; j < ns; j++) {
                        ds.set(i, j, 0);   // the causal part never visited below
                    }
                }
            }
            for (int j0 = 0; j0 < ns; j0 += BC) {
                int bc = Math.min(BC, ns - j0);
                k.load(j0, bc, e, kt);
                v.load(j0, bc, ev, vt);
                for (int i0 = sh.causal() ? j0 : 0; i0 < nl; i0 += BR) {
                    int br = Math.min(BR, nl - i0);
                    q.load(i0, br, e, qt);
                    dout.load(i0, br, ev, dot);
                    scores(sh, qt, kt, mask, boolMask, i0, br, j0, bc, p);
                    for (int r = 0; r < br; r++) {
                        int so = r * bc;
                        double lr = lseRow[i0 + r];
                        for (int c = 0; c < bc; c++) {
                            p[so + c] -= lr;
                        }
                        Activations.exp(p, so, p, so, bc);
                    }
                    double[] pv = p;
                    if (drop != null) {
                        pv = pd;
                        for (int r = 0; r < br; r++) {
                            for (int c = 0; c < bc; c++) {
                                pd[r * bc + c] = p[r * bc + c] * drop.get(i0 + r, j0 + c);
                            }
                        }
                    }
                    // dV_j += P~^T dO_i; dP = dO_i V_j^T
                    if (ev > 0) {
                        Gemm.dgemm(true, false, bc, ev, br, 1, pv, 0, bc, dot, 0, ev, 1, dv, j0 * ev, ev);
                        Gemm.dgemm(false, true, br, bc, ev, 1, dot, 0, ev, vt, 0, ev, 0, dp, 0, bc);
                    } else {
                        Arrays.fill(dp, 0, br * bc, 0.0);
                    }
                    for (int r = 0; r < br; r++) {
                        double d = dd[i0 + r];
                        for (int c = 0; c < bc; c++) {
                            int x = r * bc + c;
                            double g = drop != null ? dp[x] * drop.get(i0 + r, j0 + c) : dp[x];
                            dp[x] = p[x] * (g - d);   // dS = P (dP - D)
                        }
                    }
                    if (ds != null) {
                        for (int r = 0; r < br; r++) {
                            for (int c = 0; c < bc; c++) {
                                ds.set(i0 + r, j0 + c, dp[r * bc + c]);
                            }
                        }
                    }
                    if (e > 0) {
                        Gemm.dgemm(false, false, br, e, bc, scale, dp, 0, bc, kt, 0, e, 1, dq, i0 * e, e);
                        Gemm.dgemm(true, false, bc, e, br, scale, dp, 0, bc, qt, 0, e, 1, dk, j0 * e, e);
                    }
                }
            }
            mat(out[0], b).store(0, nl, e, dq);
            mat(out[1], b).store(0, ns, e, dk);
            mat(out[2], b).store(0, ns, ev, dv);
        }
    }
}
