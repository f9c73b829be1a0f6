package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.kernels.Conv;
import dev.jtorch.kernels.ConvGeometry;
import dev.jtorch.kernels.Elementwise;
import dev.jtorch.kernels.Norm;
import dev.jtorch.kernels.Pool;
import dev.jtorch.kernels.PoolWindows;

/** The CPU backend's convolution, pooling, normalization and embedding-bag ops, on the kernels' arrays. */
final class CpuNN {
    private CpuNN() {
    }

    private static CpuStorage dense(View t, String what) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(what + " must be contiguous");
        }
        return (CpuStorage) t.storage();
    }

    private static boolean f32(View out) {
        return switch (out.dtype()) {
            case FLOAT32 -> true;
            case FLOAT64 -> false;
            default -> throw new IllegalArgumentException("expected float32 or float64, got " + out.dtype());
        };
    }

    static void conv(Op op, View a, View b, View bias, View out, ConvGeometry g) {
        boolean f = f32(out);
        CpuStorage as = dense(a, "a"), os = dense(out, "out");
        CpuStorage bs = b == null ? null : dense(b, "b");
        int ao = a.storageOffset(), bo = b == null ? 0 : b.storageOffset(), oo = out.storageOffset();
        switch (op) {
            case CONV -> {
                CpuStorage cs = bias == null ? null : dense(bias, "bias");
                int co = bias == null ? 0 : bias.storageOffset();
                if (f) {
                    Conv.forward(g, as.f, ao, bs.f, bo, cs == null ? null : cs.f, co, os.f, oo);
                } else {
                    Conv.forward(g, as.d, ao, bs.d, bo, cs == null ? null : cs.d, co, os.d, oo);
                }
            }
            case CONV_BACKWARD_INPUT -> {
                if (f) {
                    Conv.backwardInput(g, as.f, ao, bs.f, bo, os.f, oo);
                } else {
                    Conv.backwardInput(g, as.d, ao, bs.d, bo, os.d, oo);
                }
            }
            case CONV_BACKWARD_WEIGHT -> {
                if (f) {
                    Conv.backwardWeight(g, as.f, ao, bs.f, bo, os.f, oo);
                } else {
                    Conv.backwardWeight(g, as.d, ao, bs.d, bo, os.d, oo);
                }
            }
            case IM2COL -> {
                if (f) {
                    Conv.im2col(g, as.f, ao, os.f, oo);
                } else {
                    Conv.im2col(g, as.d, ao, os.d, oo);
                }
            }
            case COL2IM -> {
                if (f) {
                    Conv.col2im(g, as.f, ao, os.f, oo);
                } else {
                    Conv.col2im(g, as.d, ao, os.d, oo);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not a convolution op");
        }
    }

    static void pool(Op op, View x, View indices, View out, PoolWindows w) {
        boolean f = f32(out);
        CpuStorage xs = dense(x, "x"), os = dense(out, "out");
        CpuStorage is = indices == null ? null : dense(indices, "indices");
        long[] idx = is == null ? null : is.l;
        int xo = x.storageOffset(), oo = out.storageOffset(), io = indices == null ? 0 : indices.storageOffset();
        switch (op) {
            case MAX_POOL -> {
                if (f) {
                    Pool.max(w, xs.f, xo, os.f, oo, idx, io);
                } else {
                    Pool.max(w, xs.d, xo, os.d, oo, idx, io);
                }
            }
            case MAX_POOL_BACKWARD -> {
                if (f) {
                    Pool.maxBackward(w, xs.f, xo, idx, io, os.f, oo);
                } else {
                    Pool.maxBackward(w, xs.d, xo, idx, io, os.d, oo);
                }
            }
            case AVG_POOL -> {
                if (f) {
                    Pool.avg(w, xs.f, xo, os.f, oo);
                } else {
                    Pool.avg(w, xs.d, xo, os.d, oo);
                }
            }
            case AVG_POOL_BACKWARD -> {
                if (f) {
                    Pool.avgBackward(w, xs.f, xo, os.f, oo);
                } else {
                    Pool.avgBackward(w, xs.d, xo, os.d, oo);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not a pooling op");
        }
    }

    /** A float view of an optional operand: its array and offset. */
    private record F(float[] a, int o) {
        static F of(View t, String what) {
            return t == null ? new F(null, 0) : new F(dense(t, what).f, t.storageOffset());
        }
    }

    /** A double view of an optional operand. */
    private record D(double[] a, int o) {
        static D of(View t, String what) {
            return t == null ? new D(null, 0) : new D(dense(t, what).d, t.storageOffset());
        }
    }

    static void norm(Op op, View[] in, View[] out, NormShape s) {
        if (f32(out[0])) {
            normF(op, in, out, s);
        } else {
            normD(op, in, out, s);
        }
    }

    private static View at(View[] t, int i) {
        return i < t.length ? t[i] : null;
    }

    private static void normF(Op op, View[] in, View[] out, NormShape s) {
        F[] i = new F[in.length];
        for (int k = 0; k < in.length; k++) {
            i[k] = F.of(in[k], "in[" + k + "]");
        }
        F[] o = new F[out.length];
        for (int k = 0; k < out.length; k++) {
            o[k] = F.of(out[k], "out[" + k + "]");
        }
        int outer = s.outer(), ch = s.channels(), inner = s.inner();
        switch (op) {
            case NORM_MOMENTS -> Norm.moments(i[0].a, i[0].o, outer, ch, inner, s.center(), o[0].a, o[0].o, o[1].a,
                    o[1].o);
            case NORM_SCALE_SHIFT -> {
                F b = in.length > 2 ? i[2] : new F(null, 0);
                Norm.scaleShift(i[0].a, i[0].o, outer, ch, inner, i[1].a, i[1].o, b.a, b.o, o[0].a, o[0].o);
            }
            case NORM_SCALE_SHIFT2 -> Norm.scaleShift2(i[0].a, i[0].o, i[1].a, i[1].o, outer, ch, inner, i[2].a, i[2].o,
                    i[3].a, i[3].o, i[4].a, i[4].o, o[0].a, o[0].o);
            case NORM_CHANNEL_SUMS -> {
                F x = in.length > 1 ? i[1] : new F(null, 0);
                F sx = out.length > 1 ? o[1] : new F(null, 0);
                Norm.channelSums(i[0].a, i[0].o, x.a, x.o, outer, ch, inner, o[0].a, o[0].o, sx.a, sx.o);
            }
            case NORM_APPLY -> {
                F w = F.of(at(in, 3), "w"), b = F.of(at(in, 4), "b");
                float[] a = new float[ch], c = new float[ch];
                for (int k = 0; k < ch; k++) {
                    double r = 1 / Math.sqrt(i[2].a[i[2].o + k] + s.eps());
                    double sc = w.a == null ? r : w.a[w.o + k] * r;
                    a[k] = (float) sc;
                    c[k] = (float) ((b.a == null ? 0 : b.a[b.o + k]) - i[1].a[i[1].o + k] * sc);
                }
                Norm.scaleShift(i[0].a, i[0].o, outer, ch, inner, a, 0, c, 0, o[0].a, o[0].o);
            }
            case ROW_NORM -> {
                F w = F.of(at(in, 3), "w"), b = F.of(at(in, 4), "b");
                Norm.rowAffine(i[0].a, i[0].o, outer * ch, inner, i[1].a, i[1].o,
                        rstdF(i[2], outer * ch, s.eps()), 0, w.a, w.o, b.a, b.o, o[0].a, o[0].o);
            }
            case ROW_NORM_BACKWARD -> {
                F w = F.of(at(in, 4), "w"), dw = F.of(at(out, 1), "dw"), db = F.of(at(out, 2), "db");
                if (dw.a != null) {
                    java.util.Arrays.fill(dw.a, dw.o, dw.o + inner, 0f);
                }
                if (db.a != null) {
                    java.util.Arrays.fill(db.a, db.o, db.o + inner, 0f);
                }
                Norm.rowAffineBackward(i[0].a, i[0].o, i[1].a, i[1].o, outer * ch, inner, i[2].a, i[2].o,
                        rstdF(i[3], outer * ch, s.eps()), 0, w.a, w.o, s.center(), o[0].a, o[0].o, dw.a, dw.o, db.a,
                        db.o);
            }
            default -> throw new IllegalArgumentException(op + " is not a normalization op");
        }
    }

    private static void normD(Op op, View[] in, View[] out, NormShape s) {
        D[] i = new D[in.length];
        for (int k = 0; k < in.length; k++) {
            i[k] = D.of(in[k], "in[" + k + "]");
        }
        D[] o = new D[out.length];
        for (int k = 0; k < out.length; k++) {
            o[k] = D.of(out[k], "out[" + k + "]");
        }
        int outer = s.outer(), ch = s.channels(), inner = s.inner();
        switch (op) {
            case NORM_MOMENTS -> Norm.moments(i[0].a, i[0].o, outer, ch, inner, s.center(), o[0].a, o[0].o, o[1].a,
                    o[1].o);
            case NORM_SCALE_SHIFT -> {
                D b = in.length > 2 ? i[2] : new D(null, 0);
                Norm.scaleShift(i[0].a, i[0].o, outer, ch, inner, i[1].a, i[1].o, b.a, b.o, o[0].a, o[0].o);
            }
            case NORM_SCALE_SHIFT2 -> Norm.scaleShift2(i[0].a, i[0].o, i[1].a, i[1].o, outer, ch, inner, i[2].a, i[2].o,
                    i[3].a, i[3].o, i[4].a, i[4].o, o[0].a, o[0].o);
            case NORM_CHANNEL_SUMS -> {
                D x = in.length > 1 ? i[1] : new D(null, 0);
                D sx = out.length > 1 ? o[1] : new D(null, 0);
                Norm.channelSums(i[0].a, i[0].o, x.a, x.o, outer, ch, inner, o[0].a, o[0].o, sx.a, sx.o);
            }
            case NORM_APPLY -> {
                D w = D.of(at(in, 3), "w"), b = D.of(at(in, 4), "b");
                double[] a = new double[ch], c = new double[ch];
                for (int k = 0; k < ch; k++) {
                    double r = 1 / Math.sqrt(i[2].a[i[2].o + k] + s.eps());
                    double sc = w.a == null ? r : w.a[w.o + k] * r;
                    a[k] = sc;
                    c[k] = (b.a == null ? 0 : b.a[b.o + k]) - i[1].a[i[1].o + k] * sc;
                }
                Norm.scaleShift(i[0].a, i[0].o, outer, ch, inner, a, 0, c, 0, o[0].a, o[0].o);
            }
            case ROW_NORM -> {
                D w = D.of(at(in, 3), "w"), b = D.of(at(in, 4), "b");
                Norm.rowAffine(i[0].a, i[0].o, outer * ch, inner, i[1].a, i[1].o,
                        rstdD(i[2], outer * ch, s.eps()), 0, w.a, w.o, b.a, b.o, o[0].a, o[0].o);
            }
            case ROW_NORM_BACKWARD -> {
                D w = D.of(at(in, 4), "w"), dw = D.of(at(out, 1), "dw"), db = D.of(at(out, 2), "db");
                if (dw.a != null) {
                    java.util.Arrays.fill(dw.a, dw.o, dw.o + inner, 0);
                }
                if (db.a != null) {
                    java.util.Arrays.fill(db.a, db.o, db.o + inner, 0);
                }
                Norm.rowAffineBackward(i[0].a, i[0].o, i[1].a, i[1].o, outer * ch, inner, i[2].a, i[2].o,
                        rstdD(i[3], outer * ch, s.eps()), 0, w.a, w.o, s.center(), o[0].a, o[0].o, dw.a, dw.o, db.a,
                        db.o);
            }
            default -> throw new IllegalArgumentException(op + " is not a normalization op");
        }
    }

    /** 1 / sqrt(var + eps) for n rows, computed in double and rounded once. */
    private static float[] rstdF(F var, int n, double eps) {
        float[] r = new float[n];
        for (int k = 0; k < n; k++) {
            r[k] = (float) (1 / Math.sqrt(var.a[var.o + k] + eps));
        }
        return r;
    }

    private static double[] rstdD(D var, int n, double eps) {
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = 1 / Math.sqrt(var.a[var.o + k] + eps);
        }
        return r;
    }

    static void embeddingBag(View weight, View indices, View offsets, View psw, int mode, long paddingIdx,
                             View out, View bagOf, View bagSize, View maxArg) {
        boolean f = f32(out);
        CpuStorage ws = dense(weight, "weight"), os = dense(out, "out");
        long[] idx = dense(indices, "indices").l;
        long[] off = dense(offsets, "offsets").l;
        long[] bag = dense(bagOf, "bagOf").l;
        long[] size = dense(bagSize, "bagSize").l;
        long[] arg = maxArg == null ? null : dense(maxArg, "maxArg").l;
        CpuStorage ps = psw == null ? null : dense(psw, "perSampleWeights");
        int io = indices.storageOffset(), fo = offsets.storageOffset(), bgo = bagOf.storageOffset();
        int so = bagSize.storageOffset(), ao = maxArg == null ? 0 : maxArg.storageOffset();
        int po = psw == null ? 0 : psw.storageOffset(), wo = weight.storageOffset(), oo = out.storageOffset();
        int batch = out.shape()[0], dim = out.shape()[1];
        for (int b = 0; b < batch; b++) {
            int s = (int) off[fo + b], e = (int) off[fo + b + 1];
            int row = oo + b * dim;
            if (f) {
                java.util.Arrays.fill(os.f, row, row + dim, 0f);
            } else {
                java.util.Arrays.fill(os.d, row, row + dim, 0);
            }
            if (arg != null) {
                java.util.Arrays.fill(arg, ao + b * dim, ao + (b + 1) * dim, -1);
            }
            int n = 0;
            for (int i = s; i < e; i++) {
                bag[bgo + i] = b;
                long r = idx[io + i];
                if (r == paddingIdx) {
                    continue;
                }
                int src = wo + (int) r * dim;
                if (mode == 2) {
                    for (int d = 0; d < dim; d++) {
                        double v = f ? ws.f[src + d] : ws.d[src + d];
                        double cur = f ? os.f[row + d] : os.d[row + d];
                        if (n == 0 || v > cur) {
                            if (f) {
                                os.f[row + d] = (float) v;
                            } else {
                                os.d[row + d] = v;
                            }
                            arg[ao + b * dim + d] = r;
                        }
                    }
                } else if (f) {
                    float wt = ps == null ? 1f : ps.f[po + i];
                    Elementwise.axpy(dim, wt, ws.f, src, os.f, row);
                } else {
                    double wt = ps == null ? 1 : ps.d[po + i];
                    Elementwise.axpy(dim, wt, ws.d, src, os.d, row);
                }
                n++;
            }
            size[so + b] = n;
            if (mode == 1 && n > 0) {
                if (f) {
                    Elementwise.scale(1f / n, os.f, row, os.f, row, dim);
                } else {
                    Elementwise.scale(1.0 / n, os.d, row, os.d, row, dim);
                }
            }
        }
    }
}
