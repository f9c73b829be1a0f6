package dev.jtorch.opencl;

/**
 * OpenCL C source of the batched matrix product ({@code out = alpha * a @ b + beta * out}, {@link
 * OpenClBackend#bmm}).
 *
 * <p>The floating kernel {@code gemm} is a register-blocked GEMM tiled in local memory. A work-group of {@code
 * (TN / RN) x (TM / RM)} work-items computes a {@code TM x TN} tile of one batch's output; each work-item holds a
 * {@code RM x RN} block of accumulators in registers, at rows {@code ty + r * (TM / RM)} and columns {@code tx + c
 * * (TN / RN)} of the tile (strided, so that neighbouring work-items write neighbouring columns). The K dimension
 * is walked in steps of {@code TK}: the work-group copies a {@code TM x TK} panel of {@code a} and a {@code TK x
 * TN} panel of {@code b} into local memory, stored k-major ({@code As[TK][TM + PAD]}, {@code Bs[TK][TN + PAD]},
 * {@code PAD} spreading the columns over the banks), waits at a barrier, and accumulates {@code TK} rank-1
 * updates of its register block from there.
 *
 * <p>The panels are read along whichever dimension of an operand is contiguous in memory, chosen per launch from
 * the views' strides and compiled in: {@code a} row-major (its k-stride 1, "N") or column-major (m-stride 1,
 * "T"), {@code b} row-major (n-stride 1, "N") or column-major (k-stride 1, "T"), so NN, NT, TN and TT each get
 * their own program; that stride is a compile-time 1 and the panel is read {@code VEC} elements at a time with
 * {@code vloadVEC} where the whole vector lies inside the matrix (element by element at the edges). A view that
 * is neither row- nor column-major (both strides other than 1) runs a variant with both strides as arguments,
 * read element by element: correct for any strides, with no copy. Reads outside the matrix (m, n or k not a
 * multiple of the tile) load zeros into the panel and writes outside it are skipped, so nothing outside the
 * views is touched. Batch is the third dimension of the NDRange; a batch stride of 0 (a broadcast operand) is
 * fine. Where beta is 0 the output is not read (NaN there does not propagate), as on the CPU.
 *
 * <p>int64 has a plain exact kernel, {@code gemm_long}: one work-item per output element, Java's wrapping
 * arithmetic.
 */
final class GemmSource {
    private GemmSource() {
    }

    /**
     * The tile parameters, each a {@code #define} of the program: the work-group's output tile {@code tm x tn},
     * the K step {@code tk}, each work-item's register block {@code rm x rn}, the vector width {@code vec} of the
     * panel loads (1, 2, 4, 8 or 16) and the padding {@code pad} of the local arrays' rows.
     */
    record Tiles(int tm, int tn, int tk, int rm, int rn, int vec, int pad) {
        /** 64 x 64 tiles, K step 16, 4 x 4 per work-item (256 work-items), loads of 4. */
        static final Tiles DEFAULT = new Tiles(64, 64, 16, 4, 4, 4, 1);
        /** For devices (or kernels) limited to smaller work-groups: 32 x 32, K step 16, 4 x 4 (64 work-items). */
        static final Tiles SMALL = new Tiles(32, 32, 16, 4, 4, 4, 1);

        Tiles {
            if (tm <= 0 || tn <= 0 || tk <= 0 || rm <= 0 || rn <= 0 || tm % rm != 0 || tn % rn != 0
                    || (vec != 1 && vec != 2 && vec != 4 && vec != 8 && vec != 16)
                    || tm % vec != 0 || tn % vec != 0 || tk % vec != 0 || pad < 0) {
                throw new IllegalArgumentException("GEMM tiles " + this + ": rm must divide tm, rn tn, and vec "
                        + "(1, 2, 4, 8 or 16) tm, tn and tk");
            }
        }

        /** Work-items per work-group along the columns. */
        int wx() {
            return tn / rn;
        }

        /** Work-items per work-group along the rows. */
        int wy() {
            return tm / rm;
        }

        /**
         * Tiles from {@code jtorch.opencl.gemm} ("tm,tn,tk,rm,rn,vec[,pad]"), for tuning on a device, else
         * {@link #DEFAULT}.
         */
        static Tiles configured() {
            String s = System.getProperty("jtorch.opencl.gemm");
            if (s == null || s.isBlank()) {
                return DEFAULT;
            }
            String[] p = s.split(",");
            if (p.length != 6 && p.length != 7) {
                throw new IllegalArgumentException("jtorch.opencl.gemm=" + s + ": expected tm,tn,tk,rm,rn,vec[,pad]");
            }
            int[] v = new int[7];
            v[6] = 1;
            for (int i = 0; i < p.length; i++) {
                v[i] = Integer.parseInt(p[i].trim());
            }
            return new Tiles(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        }
    }

    /** How an operand's panel is read: along k, along its other dimension, or element by element with both strides. */
    enum Layout {
        /** The k-stride is 1 (a row-major {@code a}, a column-major {@code b}). */
        K_CONTIGUOUS,
        /** The other dimension's stride is 1 (a column-major {@code a}, a row-major {@code b}). */
        OTHER_CONTIGUOUS,
        /** Neither stride is 1. */
        STRIDED
    }

    /**
     * The floating program: {@code real} is "float" or "double"; {@code la} and {@code lb} the panel layouts of
     * {@code a} and {@code b}.
     */
    static String floating(String real, Layout la, Layout lb, Tiles t) {
        StringBuilder s = new StringBuilder();
        if (real.equals("double")) {
            s.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        }
        s.append("#define T ").append(real).append('\n')
                .append("#define TM ").append(t.tm()).append('\n')
                .append("#define TN ").append(t.tn()).append('\n')
                .append("#define TK ").append(t.tk()).append('\n')
                .append("#define RM ").append(t.rm()).append('\n')
                .append("#define RN ").append(t.rn()).append('\n')
                .append("#define VEC ").append(t.vec()).append('\n')
                .append("#define TV ").append(real).append(t.vec() > 1 ? String.valueOf(t.vec()) : "").append('\n')
                .append("#define PAD ").append(t.pad()).append('\n')
                .append("#define WX (TN / RN)\n")
                .append("#define WY (TM / RM)\n")
                .append("#define NT (WX * WY)\n");
        // a's element (i, q) at a[i * SAM + q * SAK]; b's (q, j) at b[q * SBK + j * SBN]
        s.append("#define SAM ").append(la == Layout.OTHER_CONTIGUOUS ? "1" : "sam").append('\n')
                .append("#define SAK ").append(la == Layout.K_CONTIGUOUS ? "1" : "sak").append('\n')
                .append("#define SBN ").append(lb == Layout.OTHER_CONTIGUOUS ? "1" : "sbn").append('\n')
                .append("#define SBK ").append(lb == Layout.K_CONTIGUOUS ? "1" : "sbk").append('\n');
        s.append("""

                __kernel __attribute__((reqd_work_group_size(WX, WY, 1)))
                void gemm(__global T* c, __global const T* a, __global const T* b, int m, int n, int k,
                          int ao, int sab, int sam, int sak, int bo, int sbb, int sbk, int sbn, int co,
                          T alpha, T beta) {
                    __local T As[TK][TM + PAD];
                    __local T Bs[TK][TN + PAD];
                    const int tx = get_local_id(0);
                    const int ty = get_local_id(1);
                    const int tid = ty * WX + tx;
                    const int col0 = get_group_id(0) * TN;
                    const int row0 = get_group_id(1) * TM;
                    const int z = get_global_id(2);
                    a += ao + z * sab;
                    b += bo + z * sbb;
                    c += co + z * m * n;
                    T acc[RM][RN];
                    for (int r = 0; r < RM; r++) {
                        for (int u = 0; u < RN; u++) {
                            acc[r][u] = (T) 0;
                        }
                    }
                    for (int k0 = 0; k0 < k; k0 += TK) {
                """);
        s.append(panel("As", "a", "TM", "row0", "m", "SAM", "SAK", la, t.vec()));
        s.append(panel("Bs", "b", "TN", "col0", "n", "SBN", "SBK", lb, t.vec()));
        s.append("""
                        barrier(CLK_LOCAL_MEM_FENCE);
                        for (int q = 0; q < TK; q++) {
                            T ar[RM];
                            T br[RN];
                            for (int r = 0; r < RM; r++) {
                                ar[r] = As[q][ty + r * WY];
                            }
                            for (int u = 0; u < RN; u++) {
                                br[u] = Bs[q][tx + u * WX];
                            }
                            for (int r = 0; r < RM; r++) {
                                for (int u = 0; u < RN; u++) {
                                    acc[r][u] += ar[r] * br[u];
                                }
                            }
                        }
                        barrier(CLK_LOCAL_MEM_FENCE);
                    }
                    for (int r = 0; r < RM; r++) {
                        const int i = row0 + ty + r * WY;
                        if (i < m) {
                            for (int u = 0; u < RN; u++) {
                                const int j = col0 + tx + u * WX;
                                if (j < n) {
                                    T v = alpha * acc[r][u];
                                    if (beta != (T) 0) {
                                        v += beta * c[i * n + j];
                                    }
                                    c[i * n + j] = v;
                                }
                            }
                        }
                    }
                }
                """);
        return s.toString();
    }

    /**
     * The loop copying one operand's panel into local memory {@code loc[TK][tile + PAD]}: {@code tile} elements of
     * the operand's other dimension from {@code origin} (below {@code limit}, stride {@code so}) by TK of k (from
     * k0, below k, stride {@code sk}).
     */
    private static String panel(String loc, String p, String tile, String origin, String limit, String so,
                                String sk, Layout l, int vec) {
        StringBuilder s = new StringBuilder();
        String ind = "        ";
        switch (l) {
            case STRIDED -> s.append(ind).append("for (int e = tid; e < ").append(tile).append(" * TK; e += NT) {\n")
                    .append(ind).append("    const int q = e % TK;\n")
                    .append(ind).append("    const int x = e / TK;\n")
                    .append(ind).append("    const int gx = ").append(origin).append(" + x;\n")
                    .append(ind).append("    const int gq = k0 + q;\n")
                    .append(ind).append("    ").append(loc).append("[q][x] = gx < ").append(limit)
                    .append(" && gq < k ? ").append(p).append("[gx * ").append(so).append(" + gq * ").append(sk)
                    .append("] : (T) 0;\n")
                    .append(ind).append("}\n");
            case K_CONTIGUOUS, OTHER_CONTIGUOUS -> {
                boolean alongK = l == Layout.K_CONTIGUOUS;
                String fast = alongK ? "TK" : tile;
                s.append(ind).append("for (int e = tid; e < (").append(fast).append(" / VEC) * ")
                        .append(alongK ? tile : "TK").append("; e += NT) {\n");
                if (alongK) {
                    s.append(ind).append("    const int q = (e % (TK / VEC)) * VEC;\n")
                            .append(ind).append("    const int x = e / (TK / VEC);\n");
                } else {
                    s.append(ind).append("    const int x = (e % (").append(tile).append(" / VEC)) * VEC;\n")
                            .append(ind).append("    const int q = e / (").append(tile).append(" / VEC);\n");
                }
                s.append(ind).append("    const int gx = ").append(origin).append(" + x;\n")
                        .append(ind).append("    const int gq = k0 + q;\n")
                        .append(ind).append("    __global const T* src = ").append(p).append(" + gx * ")
                        .append(so).append(" + gq * ").append(sk).append(";\n");
                String inside = alongK ? "gx < " + limit + " && gq + VEC <= k"
                        : "gq < k && gx + VEC <= " + limit;
                if (vec > 1) {
                    s.append(ind).append("    if (").append(inside).append(") {\n")
                            .append(ind).append("        const TV v = vload").append(vec)
                            .append("(0, src);\n");
                    for (int u = 0; u < vec; u++) {
                        String comp = "v.s" + Integer.toHexString(u);
                        s.append(ind).append("        ").append(loc)
                                .append(alongK ? "[q + " + u + "][x]" : "[q][x + " + u + "]")
                                .append(" = ").append(comp).append(";\n");
                    }
                    s.append(ind).append("    } else {\n");
                } else {
                    s.append(ind).append("    {\n");
                }
                String ok = alongK ? "gx < " + limit + " && gq + u < k" : "gq < k && gx + u < " + limit;
                s.append(ind).append("        for (int u = 0; u < VEC; u++) {\n")
                        .append(ind).append("            ").append(loc)
                        .append(alongK ? "[q + u][x]" : "[q][x + u]").append(" = ").append(ok)
                        .append(" ? src[u] : (T) 0;\n")
                        .append(ind).append("        }\n")
                        .append(ind).append("    }\n")
                        .append(ind).append("}\n");
            }
            default -> throw new IllegalStateException(String.valueOf(l));
        }
        return s.toString();
    }

    /** The exact int64 program: one work-item per output element over (n, m, batch), wrapping as Java's long. */
    static String exact() {
        return """
                __kernel void gemm_long(__global long* c, __global const long* a, __global const long* b,
                                        int m, int n, int k, int ao, int sab, int sam, int sak,
                                        int bo, int sbb, int sbk, int sbn, int co, long alpha, long beta) {
                    const int j = get_global_id(0);
                    const int i = get_global_id(1);
                    const int z = get_global_id(2);
                    if (i >= m || j >= n) {
                        return;
                    }
                    __global const long* pa = a + ao + z * sab + i * sam;
                    __global const long* pb = b + bo + z * sbb + j * sbn;
                    ulong s = 0;
                    for (int q = 0; q < k; q++) {
                        s += (ulong) pa[q * sak] * (ulong) pb[q * sbk];
                    }
                    const int o = co + (z * m + i) * n + j;
                    ulong v = (ulong) alpha * s;
                    if (beta != 0) {
                        v += (ulong) beta * (ulong) c[o];
                    }
                    c[o] = (long) v;
                }
                """;
    }
}
