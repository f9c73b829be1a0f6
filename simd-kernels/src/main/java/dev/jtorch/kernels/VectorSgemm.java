package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API SGEMM (see {@link Gemm} for the contract; arguments are assumed valid).
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
 *   <li>{@code KC = 512}: BLIS's order for AVX-512: an A micro-panel (8 x 512 floats = 16 KiB) stays in L1 while
 *       the B micro-panel (512 x 32 floats = 64 KiB) streams from L2, and C is merged once per 512 of k. Against
 *       256 (a B micro-panel in L1), on an AMD EPYC (Zen 4 by its CPUID: family 25, model 17), one thread: NN 1024^3 23.4 -> 21.5 ms, NN 2048 x 512 x
 *       2048 47.6 -> 43.2 ms, TransformerEncoderLayer(512, 8) at batch 16 189 -> 174 ms; 768 and 1024 gave no
 *       more.</li>
 *   <li>{@code MC = 144}: the packed A block (144 x 512 floats = 288 KiB) stays in L2.</li>
 *   <li>{@code NC = 3072}: the packed B panel (512 x 3072 floats = 6 MiB) lives in L3.</li>
 * </ul>
 * They can be overridden with the system properties {@code jtorch.gemm.kc}, {@code .mc} and {@code .nc} for
 * tuning runs.
 *
 * <p>Each element of C is accumulated in one FMA chain over k in order, added to C once per KC block as
 * {@code c = alpha * acc + beta * c}; the edge tiles use the same operations on a scratch tile, so the
 * result of an element never depends on which tile or thread computed it.
 */
final class VectorSgemm {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();
    private static final int[] TILE = tile(System.getProperty("jtorch.gemm.tile", L >= 16 ? "8x2" : "6x2"));
    static final int MR = TILE[0];
    /** Vectors per micro-tile row. */
    static final int NV = TILE[1];
    static final int NR = NV * L;
    static final int KC = Math.max(1, Integer.getInteger("jtorch.gemm.kc", 512));
    /**
     * How a transposed B (stored n x k) is packed: row by row ({@code true}) or by vector gathers. The two write the
     * same panel; which is faster depends on the CPU's gathers. On an AMD EPYC (Zen 4 by its CPUID: family 25, model 17), one thread: NT 32 x 1024 x
     * 256 364 us with gathers, 263 by rows (OpenBLAS 239); NT 1024^3 23.7 against 21.3 ms (OpenBLAS 22.4); an
     * earlier Intel Xeon measurement had gathers twice as fast as rows on a 1024 x 256 W_hh (121 against 238 us).
     * Chosen from the CPU vendor; {@code -Djtorch.gemm.tpack=rows|gather} overrides.
     */
    static final boolean TRANSPOSED_PACK_ROWS = transposedPackRows();

    private static boolean transposedPackRows() {
        String p = System.getProperty("jtorch.gemm.tpack");
        if (p != null) {
            return !p.equals("gather");
        }
        return Kernels.cpuVendor().equals("AuthenticAMD");
    }
    static final int MC = Math.max(MR, Integer.getInteger("jtorch.gemm.mc", 144) / MR * MR);
    static final int NC = Math.max(NR, Integer.getInteger("jtorch.gemm.nc", 3072) / NR * NR);
    /** One MR-element row of an A micro-panel as a vector, when MR elements make a vector shape (else null). */
    private static final VectorSpecies<Float> SA = panelSpecies();

    private VectorSgemm() {
    }

    /**
     * Products up to 64^3 multiply-adds with plain operands and n a multiple of L skip packing: at n = 16..64
     * packing both operands costs about as much as the product itself. For k &lt;= KC the arithmetic per
     * element is the packed path's (one FMA chain over k, then alpha and beta).
     */
    static final long DIRECT_MAX = 1L << 18;

    private static VectorSpecies<Float> panelSpecies() {
        int bits = MR * Float.SIZE;
        if (bits != 64 && bits != 128 && bits != 256 && bits != 512 || bits > S.vectorBitSize()) {
            return null;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    private static int[] tile(String spec) {
        String[] p = spec.split("x");
        int[] t = {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        if (!GemmKernelsF.supports(t[0], t[1])) {
            throw new IllegalArgumentException("jtorch.gemm.tile: no micro-kernel for " + spec);
        }
        return t;
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
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
        tiled(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
    }

    /**
     * The blocked algorithm over all of C, on {@link Kernels#threads()} threads for large products: C is split
     * into strips aligned to the register tile along its longer side.
     */
    private static void tiled(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                              int lda, float[] b, int bOff, int ldb, PackedB packed, float beta, float[] c, int cOff,
                              int ldc) {
        int tasks = Parallel.tasksFor((long) m * n * k);
        if (tasks == 1) {
            blocked(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, packed, beta, c, cOff, ldc);
            return;
        }
        boolean byRows = m >= n;
        int panels = byRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        int t = Math.min(tasks, panels);
        Parallel.run(t, task -> {
            int p0 = (int) ((long) panels * task / t), p1 = (int) ((long) panels * (task + 1) / t);
            if (byRows) {
                blocked(transA, transB, p0 * MR, Math.min(m, p1 * MR), 0, n, k, alpha,
                        a, aOff, lda, b, bOff, ldb, packed, beta, c, cOff, ldc);
            } else {
                blocked(transA, transB, 0, m, p0 * NR, Math.min(n, p1 * NR), k, alpha,
                        a, aOff, lda, b, bOff, ldb, packed, beta, c, cOff, ldc);
            }
        });
    }

    /**
     * C[i0:i1, j0:j1] with the packed, cache-blocked algorithm on the calling thread. With {@code packed} (the
     * whole of op(B), see {@link #packAll}), B's panels are read from it instead of being packed per block.
     */
    private static void blocked(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb, PackedB packed,
                                float beta, float[] c, int cOff, int ldc) {
        float[] ap = Workspace.floats(Workspace.PACK_A, MC * Math.min(KC, k));
        float[] bp = packed != null ? packed.floats
                : Workspace.floats(Workspace.PACK_B, Math.min(KC, k) * Math.min(NC, roundUp(j1 - j0, NR)));
        int np = packed != null ? roundUp(packed.n, NR) : 0;
        float[] tile = Workspace.floats(Workspace.TILE, MR * NR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                int bBase = 0;
                if (packed == null) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                } else {
                    bBase = pc * np + jc * kc;
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            // Through the scratch tile even when alpha = 1 and beta = 0: storing the sums straight
                            // into C measured 82 GFLOP/s at n = 256 against 136 (rows 1 KiB apart alias in L1).
                            GemmKernelsF.kernel(MR, NV, kc, ap, ir * kc, bp, bBase + jr * kc, tile, 0, NR);
                            merge(tile, NR, mr, nr, alpha, betaBlock, c, cOff + (ic + ir) * ldc + jc + jr, ldc);
                        }
                    }
                }
            }
        }
    }

    /** Packs A[ic:ic+mc, pc:pc+kc] into MR-row micro-panels: panel q at q*MR*kc, element (r, p) at p*MR + r. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (mr == MR && SA != null) {
                // one MR-lane vector per p: a contiguous load when A is stored transposed, else a gather of
                // the MR rows (with the element-wise copies below, TN 1024 x 128 x 3200 took 17.4 ms against 8.9)
                if (transA) {
                    int src = aOff + pc * lda + ic + ir;
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(SA, a, src + p * lda).intoArray(ap, base + p * MR);
                    }
                } else {
                    int[] rowsAt = Workspace.ints(Workspace.GATHER, MR);
                    for (int r = 0; r < MR; r++) {
                        rowsAt[r] = r * lda;
                    }
                    int src = aOff + (ic + ir) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(SA, a, src + p, rowsAt, 0).intoArray(ap, base + p * MR);
                    }
                }
                continue;
            }
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
                    ap[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs B[pc:pc+kc, jc:jc+nc] into NR-column micro-panels from {@code bp[o]}: panel q at o + q*NR*kc, element
     * (p, j) at p*NR + j.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp,
                              int o) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = o + jr * kc;
            if (!transB && nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(S, b, src + v).intoArray(bp, dst + v);
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
                        bp[dst + j] = 0f;
                    }
                }
            } else if (nr == NR && TRANSPOSED_PACK_ROWS) {
                // B is stored n x k: each of the panel's NR columns is a row of B, read along k and written down the
                // panel (stride NR; see TRANSPOSED_PACK_ROWS)
                for (int j = 0; j < NR; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
            } else if (nr == NR) {
                // B is stored n x k, so the panel's NR columns are NR rows of B: one gather of L of them per p
                // (the element-wise transposing copy below took twice as long on a 1024 x 256 W_hh: 238 against 121 us).
                int[] rowsAt = Workspace.ints(Workspace.GATHER, L);
                for (int l = 0; l < L; l++) {
                    rowsAt[l] = l * ldb;
                }
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(S, b, bOff + (jc + jr + v) * ldb + pc + p, rowsAt, 0).intoArray(bp, dst + v);
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
                        bp[base + p * NR + j] = 0f;
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
    private static void merge(float[] tile, int ld, int mr, int nr, float alpha, float beta, float[] c, int ci, int ldc) {
        int full = nr - nr % L;
        for (int r = 0; r < mr; r++) {
            int t = r * ld, o = ci + r * ldc;
            int j = 0;
            for (; j < full; j += L) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j).mul(alpha);
                if (beta == 0f) {
                    v.intoArray(c, o + j);
                } else {
                    v.add(FloatVector.fromArray(S, c, o + j).mul(beta)).intoArray(c, o + j);
                }
            }
            for (; j < nr; j++) {
                float v = tile[t + j] * alpha;
                c[o + j] = beta == 0f ? v : v + c[o + j] * beta;
            }
        }
    }

    /** Small products without packing (see {@link #DIRECT_MAX}): 4 x 2L tiles, then 1-row and 8 x L tiles. */
    private static void direct(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                               int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] tile = Workspace.floats(Workspace.TILE, Math.max(MR * NR, 16 * L));
        boolean store = alpha == 1f && beta == 0f;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                if (store) {
                    GemmKernelsF.direct(4, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsF.direct(4, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, 2 * L);
                    merge(tile, 2 * L, 4, 2 * L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
            for (; i < m; i++) {
                if (store) {
                    GemmKernelsF.direct(1, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsF.direct(1, 2, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, 2 * L);
                    merge(tile, 2 * L, 1, 2 * L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
        }
        if (j < n) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                if (store) {
                    GemmKernelsF.direct(8, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsF.direct(8, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, L);
                    merge(tile, L, 8, L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
            for (; i < m; i++) {
                if (store) {
                    GemmKernelsF.direct(1, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
                } else {
                    GemmKernelsF.direct(1, 1, k, a, aOff + i * lda, lda, b, bOff + j, ldb, tile, 0, L);
                    merge(tile, L, 1, L, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
        }
    }

    /** C = beta * C (zeros when beta is 0, without reading C). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
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

    private static void gemv(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        float[] y;
        if (m == 1) {
            // y[1 x n] = x[1 x k] * op(B); x is A's only row (stride lda when A is stored k x 1).
            float[] x = a;
            int xOff = aOff;
            if (transA && lda != 1 && k > 1) {
                x = gather(a, aOff, lda, k);
                xOff = 0;
            }
            y = Workspace.floats(Workspace.VEC_Y, n);
            if (transB) {
                rows(n, k, b, bOff, ldb, x, xOff, y);
            } else {
                cols(k, n, b, bOff, ldb, x, xOff, y);
            }
            merge(y, n, alpha, beta, c, cOff, 1);
        } else {
            // y[m] = op(A) * x[k]; x is B's only column (stride ldb when B is stored k x 1).
            float[] x = b;
            int xOff = bOff;
            if (!transB && ldb != 1 && k > 1) {
                x = gather(b, bOff, ldb, k);
                xOff = 0;
            }
            y = Workspace.floats(Workspace.VEC_Y, m);
            if (transA) {
                cols(k, m, a, aOff, lda, x, xOff, y);
            } else {
                rows(m, k, a, aOff, lda, x, xOff, y);
            }
            merge(y, m, alpha, beta, c, cOff, ldc);
        }
    }

    private static float[] gather(float[] src, int off, int stride, int len) {
        float[] x = Workspace.floats(Workspace.VEC_X, len);
        for (int p = 0; p < len; p++) {
            x[p] = src[off + p * stride];
        }
        return x;
    }

    private static void merge(float[] y, int len, float alpha, float beta, float[] c, int cOff, int inc) {
        for (int j = 0; j < len; j++) {
            int idx = cOff + j * inc;
            c[idx] = beta == 0f ? alpha * y[j] : alpha * y[j] + beta * c[idx];
        }
    }

    /** y[i] = dot(M[i, 0:len], x[xOff:xOff+len]) for i in [0, rows); four rows share each load of x. */
    private static void rows(int rows, int len, float[] mat, int mOff, int ld, float[] x, int xOff, float[] y) {
        float[] lanes = Workspace.floats(Workspace.LANES, L);
        int i = 0;
        int bound2 = len - len % (2 * L);
        for (; i + 4 <= rows; i += 4) {
            int r0 = mOff + i * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
            FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            int p = 0;
            for (; p < bound2; p += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, xOff + p);
                FloatVector x1 = FloatVector.fromArray(S, x, xOff + p + L);
                s00 = FloatVector.fromArray(S, mat, r0 + p).fma(x0, s00);
                s01 = FloatVector.fromArray(S, mat, r0 + p + L).fma(x1, s01);
                s10 = FloatVector.fromArray(S, mat, r1 + p).fma(x0, s10);
                s11 = FloatVector.fromArray(S, mat, r1 + p + L).fma(x1, s11);
                s20 = FloatVector.fromArray(S, mat, r2 + p).fma(x0, s20);
                s21 = FloatVector.fromArray(S, mat, r2 + p + L).fma(x1, s21);
                s30 = FloatVector.fromArray(S, mat, r3 + p).fma(x0, s30);
                s31 = FloatVector.fromArray(S, mat, r3 + p + L).fma(x1, s31);
            }
            if (p + L <= len) {
                FloatVector x0 = FloatVector.fromArray(S, x, xOff + p);
                s00 = FloatVector.fromArray(S, mat, r0 + p).fma(x0, s00);
                s10 = FloatVector.fromArray(S, mat, r1 + p).fma(x0, s10);
                s20 = FloatVector.fromArray(S, mat, r2 + p).fma(x0, s20);
                s30 = FloatVector.fromArray(S, mat, r3 + p).fma(x0, s30);
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
            FloatVector s00 = FloatVector.zero(S), s01 = s00;
            int p = 0;
            for (; p < bound2; p += 2 * L) {
                s00 = FloatVector.fromArray(S, mat, r0 + p).fma(FloatVector.fromArray(S, x, xOff + p), s00);
                s01 = FloatVector.fromArray(S, mat, r0 + p + L).fma(FloatVector.fromArray(S, x, xOff + p + L), s01);
            }
            if (p + L <= len) {
                s00 = FloatVector.fromArray(S, mat, r0 + p).fma(FloatVector.fromArray(S, x, xOff + p), s00);
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
    private static float sumLanes(float[] lanes) {
        float s = 0;
        for (int l = 0; l < L; l++) {
            s += lanes[l];
        }
        return s;
    }

    private static float tail(float s, float[] mat, int row, float[] x, int xOff, int p, int len) {
        for (; p < len; p++) {
            s = Math.fma(mat[row + p], x[xOff + p], s);
        }
        return s;
    }

    /** y[j] = sum over p of x[p] * M[p, j] for j in [0, cols); four vectors of columns per pass over M. */
    private static void cols(int rows, int cols, float[] mat, int mOff, int ld, float[] x, int xOff, float[] y) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < rows; p++) {
                FloatVector xv = FloatVector.broadcast(S, x[xOff + p]);
                int r = mOff + p * ld + j;
                s0 = xv.fma(FloatVector.fromArray(S, mat, r), s0);
                s1 = xv.fma(FloatVector.fromArray(S, mat, r + L), s1);
                s2 = xv.fma(FloatVector.fromArray(S, mat, r + 2 * L), s2);
                s3 = xv.fma(FloatVector.fromArray(S, mat, r + 3 * L), s3);
            }
            s0.intoArray(y, j);
            s1.intoArray(y, j + L);
            s2.intoArray(y, j + 2 * L);
            s3.intoArray(y, j + 3 * L);
        }
        for (; j + L <= cols; j += L) {
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < rows; p++) {
                s0 = FloatVector.broadcast(S, x[xOff + p]).fma(FloatVector.fromArray(S, mat, mOff + p * ld + j), s0);
            }
            s0.intoArray(y, j);
        }
        for (; j < cols; j++) {
            float s = 0f;
            for (int p = 0; p < rows; p++) {
                s = Math.fma(x[xOff + p], mat[mOff + p * ld + j], s);
            }
            y[j] = s;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Prepacked B (see Gemm#packB): the whole of op(B) packed once, for many products with the same right
    // operand. KC block pc (rows pc..pc+kc of op(B)) starts at pc * roundUp(n, NR) and holds the block's
    // NR-column micro-panels as packB lays them out. Each element of C gets the arithmetic of the blocked path
    // (one FMA chain per KC block, then alpha and beta), whether it comes from the GEMV or the tiled loop.

    /** The length of the packed form of a k x n op(B). */
    static long packedLength(int k, int n) {
        return (long) k * roundUp(n, NR);
    }

    /** Packs op(B) (k x n) whole into {@code dst} (see above). */
    static void packAll(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] dst) {
        int np = roundUp(n, NR);
        for (int pc = 0; pc < k; pc += KC) {
            packB(transB, b, bOff, ldb, pc, Math.min(KC, k - pc), 0, n, dst, pc * np);
        }
    }

    /** C = alpha * op(A) * B + beta * C with B prepacked (m x packed.n, inner dimension packed.k). */
    static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB packed,
                      float beta, float[] c, int cOff, int ldc) {
        int n = packed.n, k = packed.k;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m == 1) {
            float[] x = a;
            int xOff = aOff;
            if (transA && lda != 1 && k > 1) {
                x = gather(a, aOff, lda, k);
                xOff = 0;
            }
            gemvPacked(n, k, alpha, x, xOff, packed.floats, beta, c, cOff);
            return;
        }
        tiled(transA, false, m, n, k, alpha, a, aOff, lda, null, 0, 0, packed, beta, c, cOff, ldc);
    }

    /**
     * y[1 x n] = x[1 x k] * B from the packed panels, four micro-panels (8 accumulators when NV = 2) per pass,
     * so the panels stream contiguously and no lanes are summed horizontally; merged into C per KC block.
     */
    private static void gemvPacked(int n, int k, float alpha, float[] x, int xOff, float[] bp, float beta,
                                   float[] c, int cOff) {
        int np = roundUp(n, NR);
        int panels = np / NR;
        float[] y = Workspace.floats(Workspace.VEC_Y, np);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            int base = pc * np;
            int xo = xOff + pc;
            int q = 0;
            if (NV == 2) {
                for (; q + 4 <= panels; q += 4) {
                    gemv4x2(kc, x, xo, bp, base + q * NR * kc, NR * kc, y, q * NR);
                }
            }
            for (; q < panels; q++) {
                for (int v = 0; v < NR; v += L) {
                    int bi = base + q * NR * kc + v;
                    FloatVector s0 = FloatVector.zero(S);
                    for (int p = 0; p < kc; p++) {
                        s0 = FloatVector.broadcast(S, x[xo + p]).fma(FloatVector.fromArray(S, bp, bi + p * NR), s0);
                    }
                    s0.intoArray(y, q * NR + v);
                }
            }
            merge(y, 0, 1, n, alpha, pc == 0 ? beta : 1f, c, cOff, 0); // the vector merge: one row of n
        }
    }

    /** Four 2-vector micro-panels (panel stride ps) times x[xo..xo+kc): 8 FMA chains, written to y[yo..yo+4*NR). */
    private static void gemv4x2(int kc, float[] x, int xo, float[] bp, int b0, int ps, float[] y, int yo) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        int b1 = b0 + ps, b2 = b1 + ps, b3 = b2 + ps;
        for (int p = 0; p < kc; p++) {
            FloatVector xv = FloatVector.broadcast(S, x[xo + p]);
            int o = p * 2 * L;
            s00 = xv.fma(FloatVector.fromArray(S, bp, b0 + o), s00);
            s01 = xv.fma(FloatVector.fromArray(S, bp, b0 + o + L), s01);
            s10 = xv.fma(FloatVector.fromArray(S, bp, b1 + o), s10);
            s11 = xv.fma(FloatVector.fromArray(S, bp, b1 + o + L), s11);
            s20 = xv.fma(FloatVector.fromArray(S, bp, b2 + o), s20);
            s21 = xv.fma(FloatVector.fromArray(S, bp, b2 + o + L), s21);
            s30 = xv.fma(FloatVector.fromArray(S, bp, b3 + o), s30);
            s31 = xv.fma(FloatVector.fromArray(S, bp, b3 + o + L), s31);
        }
        s00.intoArray(y, yo);
        s01.intoArray(y, yo + L);
        s10.intoArray(y, yo + 2 * L);
        s11.intoArray(y, yo + 3 * L);
        s20.intoArray(y, yo + 4 * L);
        s21.intoArray(y, yo + 5 * L);
        s30.intoArray(y, yo + 6 * L);
        s31.intoArray(y, yo + 7 * L);
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
