package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API DGEMM, the double twin of {@link VectorSgemm} line for line (see {@link Gemm} for the contract; arguments are assumed valid).
 *
 * <p>The structure is Goto's / BLIS's: B is packed into {@code KC x NR} micro-panels, A into
 * {@code MR x KC} micro-panels, and a register-blocked micro-kernel keeps an {@code MR x NR} tile of C in
 * {@code MR * NR / L} vector accumulators while it streams both panels with one broadcast of A and
 * {@code NR / L} loads of B per FMA row.
 *
 * <p>Block sizes for the machine this was tuned on (Intel Xeon, AVX-512, 48 KiB L1d and 2 MiB L2 per core):
 * <ul>
 *   <li>{@code MR = 6, NR = 2L}: 12 accumulators + 2 B vectors + 1 broadcast = 15 of the 32 zmm registers,
 *       and 12 independent FMA chains, enough to cover the 4-cycle FMA latency on two ports.</li>
 *   <li>{@code KC = 256}: a B micro-panel (256 x 16 doubles = 32 KiB) stays in L1 while an A micro-panel
 *       (16 KiB) streams through it.</li>
 *   <li>{@code MC = 72}: the packed A block (72 x 256 doubles = 144 KiB) stays in L2.</li>
 *   <li>{@code NC = 1536}: the packed B panel (256 x 1536 doubles = 3 MiB) lives in L2/L3.</li>
 * </ul>
 * They can be overridden with the system properties {@code jtorch.gemm.kc}, {@code .mc} and {@code .nc} for
 * tuning runs.
 *
 * <p>Each element of C is accumulated in one FMA chain over k in order, added to C once per KC block as
 * {@code c = alpha * acc + beta * c}; the edge tiles use the same operations on a scratch tile, so the
 * result of an element never depends on which tile or thread computed it.
 */
final class VectorDgemm {
    private static final VectorSpecies<Double> S = Species.DOUBLE;
    private static final int L = S.length();
    private static final int[] TILE = tile(System.getProperty("jtorch.dgemm.tile", L >= 8 ? "8x2" : "6x2"));
    static final int MR = TILE[0];
    /** Vectors per micro-tile row. */
    static final int NV = TILE[1];
    static final int NR = NV * L;
    static final int KC = Math.max(1, Integer.getInteger("jtorch.dgemm.kc", 256));
    static final int MC = Math.max(MR, Integer.getInteger("jtorch.dgemm.mc", 72) / MR * MR);
    static final int NC = Math.max(NR, Integer.getInteger("jtorch.dgemm.nc", 1536) / NR * NR);

    private VectorDgemm() {
    }

    /**
     * Products up to 64^3 multiply-adds with plain operands and n a multiple of L skip packing: at n = 16..64
     * packing both operands costs about as much as the product itself. For k &lt;= KC the arithmetic per
     * element is the packed path's (one FMA chain over k, then alpha and beta).
     */
    static final long DIRECT_MAX = 1L << 18;

    private static int[] tile(String spec) {
        String[] p = spec.split("x");
        int[] t = {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        if (!GemmKernelsD.supports(t[0], t[1])) {
            throw new IllegalArgumentException("jtorch.dgemm.tile: no micro-kernel for " + spec);
        }
        return t;
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0.0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m == 1 || n == 1) {
            gemv(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (!transA && !transB && n % L == 0 && k <= KC && (long) m * n * k <= DIRECT_MAX) {
            direct(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int tasks = Parallel.tasksFor((long) m * n * k);
        if (tasks == 1) {
            blocked(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split C into strips aligned to the register tile along its longer side.
        boolean byRows = m >= n;
        int panels = byRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        int t = Math.min(tasks, panels);
        Parallel.run(t, task -> {
            int p0 = (int) ((long) panels * task / t), p1 = (int) ((long) panels * (task + 1) / t);
            if (byRows) {
                blocked(transA, transB, p0 * MR, Math.min(m, p1 * MR), 0, n, k, alpha,
                        a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                blocked(transA, transB, 0, m, p0 * NR, Math.min(n, p1 * NR), k, alpha,
                        a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    /** C[i0:i1, j0:j1] with the packed, cache-blocked algorithm on the calling thread. */
    private static void blocked(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, double alpha,
                                double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                double beta, double[] c, int cOff, int ldc) {
        double[] ap = Workspace.doubles(Workspace.PACK_A, MC * Math.min(KC, k));
        double[] bp = Workspace.doubles(Workspace.PACK_B, Math.min(KC, k) * Math.min(NC, roundUp(j1 - j0, NR)));
        double[] tile = Workspace.doubles(Workspace.TILE, MR * NR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                double betaBlock = pc == 0 ? beta : 1.0;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            // Through the scratch tile even when alpha = 1 and beta = 0: storing the sums straight
                            // into C measured 82 GFLOP/s at n = 256 against 136 (rows 1 KiB apart alias in L1).
                            GemmKernelsD.kernel(MR, NV, kc, ap, ir * kc, bp, jr * kc, tile, 0, NR);
                            merge(tile, NR, mr, nr, alpha, betaBlock, c, cOff + (ic + ir) * ldc + jc + jr, ldc);
                        }
                    }
                }
            }
        }
    }

    /** Packs A[ic:ic+mc, pc:pc+kc] into MR-row micro-panels: panel q at q*MR*kc, element (r, p) at p*MR + r. */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int mc, int pc, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (!transA) {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < mr; r++) {
                        ap[dst + r] = a[src + r];
                    }
                }
            }
            for (int r = mr; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[base + p * MR + r] = 0.0;
                }
            }
        }
    }

    /** Packs B[pc:pc+kc, jc:jc+nc] into NR-column micro-panels: panel q at q*NR*kc, element (p, j) at p*NR + j. */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, double[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!transB && nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        DoubleVector.fromArray(S, b, src + v).intoArray(bp, dst + v);
                    }
                }
            } else if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    for (int j = 0; j < nr; j++) {
                        bp[dst + j] = b[src + j];
                    }
                    for (int j = nr; j < NR; j++) {
                        bp[dst + j] = 0.0;
                    }
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * C[r, j] = alpha * tile[r * ld + j] + beta * C[r, j] for r &lt; mr, j &lt; nr; with beta 0, C is written without
     * being read. Vector and scalar parts do the same two roundings, so an element's value does not depend on
     * whether it sat in a full or an edge tile.
     */
    private static void merge(double[] tile, int ld, int mr, int nr, double alpha, double beta, double[] c, int ci, int ldc) {
        int full = nr - nr % L;
        for (int r = 0; r < mr; r++) {
            int t = r * ld, o = ci + r * ldc;
            int j = 0;
            for (; j < full; j += L) {
                DoubleVector v = DoubleVector.fromArray(S, tile, t + j).mul(alpha);
                if (beta == 0.0) {
                    v.intoArray(c, o + j);
                } else {
                    v.add(DoubleVector.fromArray(S, c, o + j).mul(beta)).intoArray(c, o + j);
                }
            }
            for (; j < nr; j++) {
                double v = tile[t + j] * alpha;
                c[o + j] = beta == 0.0 ? v : v + c[o + j] * beta;
            }
        }
    }

    /** Small products without packing (see {@link #DIRECT_MAX}): 4 x 2L tiles, then 1-row and 8 x L tiles. */
    private static void direct(int m, int n, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bOff,
                               int ldb, double beta, double[] c, int cOff, int ldc) {
        double[] tile = Workspace.doubles(Workspace.TILE, Math.max(MR * NR, 16 * L));
        boolean store = alpha == 1.0 && beta == 0.0;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                if (store) {
                    GemmKernelsD.direct(4, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsD.direct(4, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, 2 * L);
                    merge(tile, 2 * L, 4, 2 * L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
            for (; i < m; i++) {
                if (store) {
                    GemmKernelsD.direct(1, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsD.direct(1, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, 2 * L);
                    merge(tile, 2 * L, 1, 2 * L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
        }
        if (j < n) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                if (store) {
                    GemmKernelsD.direct(8, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsD.direct(8, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, L);
                    merge(tile, L, 8, L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
            for (; i < m; i++) {
                if (store) {
                    GemmKernelsD.direct(1, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsD.direct(1, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, L);
                    merge(tile, L, 1, L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
        }
    }

    /** C = beta * C (zeros when beta is 0, without reading C). */
    private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0.0) {
                java.util.Arrays.fill(c, row, row + n, 0.0);
            } else if (beta != 1.0) {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // GEMV: m == 1 or n == 1. One operand is a vector x; op(the other) is applied either as dot products
    // with its rows (rows) or as a sum of its rows scaled by x (cols). A strided x is gathered first, and
    // the result is formed in a contiguous scratch y, then merged into C with alpha and beta.

    private static void gemv(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        double[] y;
        if (m == 1) {
            // y[1 x n] = x[1 x k] * op(B); x is A's only row (stride lda when A is stored k x 1).
            double[] x = a;
            int xOff = aOff;
            if (transA && lda != 1 && k > 1) {
                x = gather(a, aOff, lda, k);
                xOff = 0;
            }
            y = Workspace.doubles(Workspace.VEC_Y, n);
            if (transB) {
                rows(n, k, b, bOff, ldb, x, xOff, y);
            } else {
                cols(k, n, b, bOff, ldb, x, xOff, y);
            }
            merge(y, n, alpha, beta, c, cOff, 1);
        } else {
            // y[m] = op(A) * x[k]; x is B's only column (stride ldb when B is stored k x 1).
            double[] x = b;
            int xOff = bOff;
            if (!transB && ldb != 1 && k > 1) {
                x = gather(b, bOff, ldb, k);
                xOff = 0;
            }
            y = Workspace.doubles(Workspace.VEC_Y, m);
            if (transA) {
                cols(k, m, a, aOff, lda, x, xOff, y);
            } else {
                rows(m, k, a, aOff, lda, x, xOff, y);
            }
            merge(y, m, alpha, beta, c, cOff, ldc);
        }
    }

    private static double[] gather(double[] src, int off, int stride, int len) {
        double[] x = Workspace.doubles(Workspace.VEC_X, len);
        for (int p = 0; p < len; p++) {
            x[p] = src[off + p * stride];
        }
        return x;
    }

    private static void merge(double[] y, int len, double alpha, double beta, double[] c, int cOff, int inc) {
        for (int j = 0; j < len; j++) {
            int idx = cOff + j * inc;
            c[idx] = beta == 0.0 ? alpha * y[j] : alpha * y[j] + beta * c[idx];
        }
    }

    /** y[i] = dot(M[i, 0:len], x[xOff:xOff+len]) for i in [0, rows); four rows share each load of x. */
    private static void rows(int rows, int len, double[] mat, int mOff, int ld, double[] x, int xOff, double[] y) {
        double[] lanes = Workspace.doubles(Workspace.LANES, L);
        int i = 0;
        int bound2 = len - len % (2 * L);
        for (; i + 4 <= rows; i += 4) {
            int r0 = mOff + i * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
            DoubleVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            int p = 0;
            for (; p < bound2; p += 2 * L) {
                DoubleVector x0 = DoubleVector.fromArray(S, x, xOff + p);
                DoubleVector x1 = DoubleVector.fromArray(S, x, xOff + p + L);
                s00 = DoubleVector.fromArray(S, mat, r0 + p).fma(x0, s00);
                s01 = DoubleVector.fromArray(S, mat, r0 + p + L).fma(x1, s01);
                s10 = DoubleVector.fromArray(S, mat, r1 + p).fma(x0, s10);
                s11 = DoubleVector.fromArray(S, mat, r1 + p + L).fma(x1, s11);
                s20 = DoubleVector.fromArray(S, mat, r2 + p).fma(x0, s20);
                s21 = DoubleVector.fromArray(S, mat, r2 + p + L).fma(x1, s21);
                s30 = DoubleVector.fromArray(S, mat, r3 + p).fma(x0, s30);
                s31 = DoubleVector.fromArray(S, mat, r3 + p + L).fma(x1, s31);
            }
            if (p + L <= len) {
                DoubleVector x0 = DoubleVector.fromArray(S, x, xOff + p);
                s00 = DoubleVector.fromArray(S, mat, r0 + p).fma(x0, s00);
                s10 = DoubleVector.fromArray(S, mat, r1 + p).fma(x0, s10);
                s20 = DoubleVector.fromArray(S, mat, r2 + p).fma(x0, s20);
                s30 = DoubleVector.fromArray(S, mat, r3 + p).fma(x0, s30);
                p += L;
            }
            s00.add(s01).intoArray(lanes, 0);
            y[i] = tail(sumLanes(lanes), mat, r0, x, xOff, p, len);
            s10.add(s11).intoArray(lanes, 0);
            y[i + 1] = tail(sumLanes(lanes), mat, r1, x, xOff, p, len);
            s20.add(s21).intoArray(lanes, 0);
            y[i + 2] = tail(sumLanes(lanes), mat, r2, x, xOff, p, len);
            s30.add(s31).intoArray(lanes, 0);
            y[i + 3] = tail(sumLanes(lanes), mat, r3, x, xOff, p, len);
        }
        for (; i < rows; i++) {
            int r0 = mOff + i * ld;
            DoubleVector s00 = DoubleVector.zero(S), s01 = s00;
            int p = 0;
            for (; p < bound2; p += 2 * L) {
                s00 = DoubleVector.fromArray(S, mat, r0 + p).fma(DoubleVector.fromArray(S, x, xOff + p), s00);
                s01 = DoubleVector.fromArray(S, mat, r0 + p + L).fma(DoubleVector.fromArray(S, x, xOff + p + L), s01);
            }
            if (p + L <= len) {
                s00 = DoubleVector.fromArray(S, mat, r0 + p).fma(DoubleVector.fromArray(S, x, xOff + p), s00);
                p += L;
            }
            s00.add(s01).intoArray(lanes, 0);
            y[i] = tail(sumLanes(lanes), mat, r0, x, xOff, p, len);
        }
    }

    /**
     * The lanes summed in lane order: reduceLanes(ADD) leaves the order unspecified and the interpreter's
     * differs from C2's, so a GEMV result would change once the method is compiled.
     */
    private static double sumLanes(double[] lanes) {
        double s = 0;
        for (int l = 0; l < L; l++) {
            s += lanes[l];
        }
        return s;
    }

    private static double tail(double s, double[] mat, int row, double[] x, int xOff, int p, int len) {
        for (; p < len; p++) {
            s = Math.fma(mat[row + p], x[xOff + p], s);
        }
        return s;
    }

    /** y[j] = sum over p of x[p] * M[p, j] for j in [0, cols); four vectors of columns per pass over M. */
    private static void cols(int rows, int cols, double[] mat, int mOff, int ld, double[] x, int xOff, double[] y) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < rows; p++) {
                DoubleVector xv = DoubleVector.broadcast(S, x[xOff + p]);
                int r = mOff + p * ld + j;
                s0 = xv.fma(DoubleVector.fromArray(S, mat, r), s0);
                s1 = xv.fma(DoubleVector.fromArray(S, mat, r + L), s1);
                s2 = xv.fma(DoubleVector.fromArray(S, mat, r + 2 * L), s2);
                s3 = xv.fma(DoubleVector.fromArray(S, mat, r + 3 * L), s3);
            }
            s0.intoArray(y, j);
            s1.intoArray(y, j + L);
            s2.intoArray(y, j + 2 * L);
            s3.intoArray(y, j + 3 * L);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector s0 = DoubleVector.zero(S);
            for (int p = 0; p < rows; p++) {
                s0 = DoubleVector.broadcast(S, x[xOff + p]).fma(DoubleVector.fromArray(S, mat, mOff + p * ld + j), s0);
            }
            s0.intoArray(y, j);
        }
        for (; j < cols; j++) {
            double s = 0.0;
            for (int p = 0; p < rows; p++) {
                s = Math.fma(x[xOff + p], mat[mOff + p * ld + j], s);
            }
            y[j] = s;
        }
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
