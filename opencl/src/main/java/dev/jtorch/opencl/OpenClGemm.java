package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OpenClBackend#bmm} on the device: picks the operands' layouts from their strides, the tiles the device
 * can run, compiles (through the backend's program cache) and launches {@link GemmSource}'s kernels; widens half
 * types to float32 and rounds once, as the CPU backend does.
 */
final class OpenClGemm {
    private final OpenClBackend backend;
    private final ClDevice dev;
    /** The tiles each GEMM program (by its key with the configured tiles) runs with on this device. */
    private final Map<String, GemmSource.Tiles> gemmTiles = new ConcurrentHashMap<>();

    OpenClGemm(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    void bmm(View a, View b, View out, double alpha, double beta) {
        if (a.dim() != 3 || b.dim() != 3 || out.dim() != 3) {
            throw new IllegalArgumentException("bmm takes 3-d operands, not " + a + ", " + b + ", " + out);
        }
        int batch = out.size(0);
        int m = out.size(1);
        int n = out.size(2);
        int k = a.size(2);
        if (a.size(0) != batch || b.size(0) != batch || a.size(1) != m || b.size(1) != k || b.size(2) != n) {
            throw new IllegalArgumentException("bmm of " + a + " and " + b + " into " + out + ": the shapes differ");
        }
        if (out.intNumel() == 0) {
            return;
        }
        if (k == 0) {
            // a sum of no products: out = beta * out (zeros where beta is 0, whatever out held)
            if (beta == 0) {
                backend.fill(out, 0);
            } else if (beta != 1) {
                View one = View.contiguous(backend.allocate(out.dtype(), 1), new int[] {1});
                backend.fill(one, beta);
                View b0 = new View(one.storage(), out.shape(), new int[out.dim()], 0);
                backend.binary(Op.MUL, out, b0, out, 1);
            }
            return;
        }
        OpenClStorage so = backend.checked(out, "the output");
        backend.checked(a, "the first input");
        backend.checked(b, "the second input");
        DType dt = out.dtype();
        DType compute = switch (dt) {
            case FLOAT32, FLOAT16, BFLOAT16 -> DType.FLOAT32;
            case FLOAT64 -> DType.FLOAT64;
            case INT64 -> DType.INT64;
            case BOOL -> throw new IllegalArgumentException("bmm has no bool form");
        };
        if (compute != dt || !packed(out)) {
            // half types: the product in float32 (inputs widened exactly), rounded once, as the CPU backend does
            View wide = View.contiguous(backend.allocate(compute, out.intNumel()), out.shape());
            if (beta != 0) {
                backend.copy(out, wide);
            }
            bmm(a, b, wide, alpha, beta);
            backend.copy(wide, out);
            Reference.reachabilityFence(wide.storage());
            return;
        }
        View ca = a.dtype() == compute ? a : converted(a, compute);
        View cb = b.dtype() == compute ? b : converted(b, compute);
        OpenClStorage sa = backend.checked(ca, "the first input");
        OpenClStorage sb = backend.checked(cb, "the second input");
        int[] ta = ca.stride();
        int[] tb = cb.stride();
        Object[] args = {so.block(), sa.block(), sb.block(), m, n, k, ca.storageOffset(), ta[0], ta[1], ta[2],
            cb.storageOffset(), tb[0], tb[1], tb[2], out.storageOffset(), null, null};
        if (compute == DType.INT64) {
            args[15] = (long) alpha;
            args[16] = (long) beta;
            ClDevice.Program p = backend.program("gemm long", GemmSource::exact);
            dev.launch3(p, "gemm_long", new long[] {n, m, batch}, null, args);
        } else {
            boolean f64 = compute == DType.FLOAT64;
            args[15] = f64 ? (Object) alpha : (Object) (float) alpha;
            args[16] = f64 ? (Object) beta : (Object) (float) beta;
            GemmSource.Layout la = layout(ta[2], k, ta[1], m);
            GemmSource.Layout lb = layout(tb[1], k, tb[2], n);
            String real = f64 ? "double" : "float";
            GemmSource.Tiles t = gemmTiles(real, la, lb);
            ClDevice.Program p = backend.program(gemmKey(real, la, lb, t), () -> GemmSource.floating(real, la, lb, t));
            long gx = (long) ((n + t.tn() - 1) / t.tn()) * t.wx();
            long gy = (long) ((m + t.tm() - 1) / t.tm()) * t.wy();
            dev.launch3(p, "gemm", new long[] {gx, gy, batch}, new long[] {t.wx(), t.wy(), 1}, args);
        }
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
    }

    /** Whether the kernels can write {@code out} as {@code [batch][m][n]} from its offset (sizes of 1 any stride). */
    private static boolean packed(View out) {
        int[] sh = out.shape();
        int[] st = out.stride();
        return (sh[2] == 1 || st[2] == 1) && (sh[1] == 1 || st[1] == sh[2]) && (sh[0] == 1 || st[0] == sh[1] * sh[2]);
    }

    /** The panel layout of an operand from its k-stride and its other dimension's stride (a size of 1 any). */
    private static GemmSource.Layout layout(int kStride, int k, int otherStride, int other) {
        if (kStride == 1 || k == 1) {
            return GemmSource.Layout.K_CONTIGUOUS;
        }
        if (otherStride == 1 || other == 1) {
            return GemmSource.Layout.OTHER_CONTIGUOUS;
        }
        return GemmSource.Layout.STRIDED;
    }

    private static String gemmKey(String real, GemmSource.Layout la, GemmSource.Layout lb, GemmSource.Tiles t) {
        return "gemm " + real + " " + la + " " + lb + " " + t;
    }

    /**
     * The tiles the GEMM runs with on this device: the configured ones ({@link GemmSource.Tiles#configured}) where
     * the kernel can run work-groups that large, else {@link GemmSource.Tiles#SMALL}.
     */
    private GemmSource.Tiles gemmTiles(String real, GemmSource.Layout la, GemmSource.Layout lb) {
        GemmSource.Tiles t = GemmSource.Tiles.configured();
        String key = gemmKey(real, la, lb, t);
        return gemmTiles.computeIfAbsent(key, x -> {
            if ((long) t.wx() * t.wy() > dev.maxWorkGroup) {
                // not even compiled: a compiler may refuse a reqd_work_group_size above the device's limit
                return GemmSource.Tiles.SMALL;
            }
            ClDevice.Program p = backend.program(key, () -> GemmSource.floating(real, la, lb, t));
            return dev.kernelWorkGroupLimit(p, "gemm") >= (long) t.wx() * t.wy() ? t : GemmSource.Tiles.SMALL;
        });
    }

    /** A contiguous copy of {@code v} in dtype {@code t} on this device. */
    private View converted(View v, DType t) {
        View c = View.contiguous(backend.allocate(t, v.intNumel()), v.shape());
        backend.copy(v, c);
        return c;
    }
}
