package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.internal.Numel;

import java.util.Arrays;

import static dev.jtorch.NnSupport.dense;
import static dev.jtorch.NnSupport.shape;

/**
 * Batch, layer, group and RMS normalization on the backend's one-pass statistics and fused affine kernels,
 * with their backward rules. Per-channel coefficients (a few numbers per channel or row) are computed with
 * ordinary tensor ops; the passes over the data are backend ops.
 */
final class NormOps {
    private NormOps() {
    }

    private static Tensor[] moments(Tensor x, NormShape s) {
        Tensor mean = NnSupport.empty(x, x.dtype, s.channels());
        Tensor var = NnSupport.empty(x, x.dtype, s.channels());
        if (s.numel() > 0) {
            Dispatch.norm(Op.NORM_MOMENTS, new Tensor[] {x}, new Tensor[] {mean, var}, s);
        }
        return new Tensor[] {mean, var};
    }

    private static Tensor scaleShift(Tensor x, Tensor a, Tensor b, NormShape s, int[] shape) {
        Tensor y = NnSupport.empty(x, x.dtype, shape);
        if (s.numel() > 0) {
            Dispatch.norm(Op.NORM_SCALE_SHIFT, b == null ? new Tensor[] {x, dense(a)}
                    : new Tensor[] {x, dense(a), dense(b)}, new Tensor[] {y}, s);
        }
        return y;
    }

    private static Tensor[] channelSums(Tensor dy, Tensor x, NormShape s) {
        Tensor sdy = NnSupport.empty(dy, dy.dtype, s.channels());
        Tensor sdyx = x == null ? null : NnSupport.empty(dy, dy.dtype, s.channels());
        if (s.numel() > 0) {
            Dispatch.norm(Op.NORM_CHANNEL_SUMS, x == null ? new Tensor[] {dy} : new Tensor[] {dy, x},
                    x == null ? new Tensor[] {sdy} : new Tensor[] {sdy, sdyx}, s);
        }
        return new Tensor[] {sdy, sdyx};
    }

    private static Tensor scaleShift2(Tensor dy, Tensor x, Tensor a, Tensor b, Tensor c, NormShape s, int[] shape) {
        Tensor y = NnSupport.empty(dy, dy.dtype, shape);
        if (s.numel() > 0) {
            Dispatch.norm(Op.NORM_SCALE_SHIFT2, new Tensor[] {dy, x, dense(a), dense(b), dense(c)},
                    new Tensor[] {y}, s);
        }
        return y;
    }

    private static void checkParam(String name, Tensor t, int n, Tensor input) {
        if (t == null) {
            return;
        }
        NnSupport.checkDevice(input, t);
        NnSupport.sameDtype(input, t);
        if (t.numel() != n) {
            throw new IllegalArgumentException(name + " should contain " + n + " elements not " + t.numel());
        }
    }

    // ------------------------------------------------------------------------------------------ batch norm

    /**
     * aten::batch_norm: with {@code training} (or without running statistics) the batch's statistics normalise
     * and, when running statistics are given, update them in place with {@code momentum} (running_var from
     * the unbiased variance); otherwise the running statistics normalise.
     */
    static Tensor batchNorm(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                            boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input of at least 2 dims (N, C, *), got "
                    + shape(input.shape));
        }
        NnSupport.requireFloating("batch_norm", input);
        int c = input.shape[1];
        checkParam("running_mean", runningMean, c, input);
        checkParam("running_var", runningVar, c, input);
        checkParam("weight", weight, c, input);
        checkParam("bias", bias, c, input);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm: running_mean and running_var must be given together");
        }
        if (NnSupport.half(input.dtype)) {
            // statistics and transform in float32; running statistics keep their dtype
            DType f = DType.FLOAT32;
            return batchNorm(input.to(f), weight == null ? null : weight.to(f), bias == null ? null : bias.to(f),
                    runningMean, runningVar, training, momentum, eps, f).to(input.dtype);
        }
        return batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps, input.dtype);
    }

    private static Tensor batchNorm(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                    boolean training, double momentum, double eps, DType dt) {
        int n = input.shape[0], c = input.shape[1];
        int inner = c == 0 || n == 0 ? 0 : Numel.of(input) / (n * c);
        NormShape s = new NormShape(n, c, inner, true, eps);
        Tensor x = dense(input);
        boolean useBatch = training || runningMean == null;
        Tensor mean, var;
        try (var _ = Autograd.noGrad()) {
            if (useBatch) {
                Tensor[] mv = moments(x, s);
                mean = mv[0];
                var = mv[1];
                if (training && runningMean != null) {
                    long count = (long) n * inner;
                    Tensor unbiased = var.mul(count / Math.max(1.0, count - 1.0));
                    runningMean.mul_(1 - momentum).add_(mean.to(runningMean.dtype), momentum);
                    runningVar.mul_(1 - momentum).add_(unbiased.to(runningVar.dtype), momentum);
                }
            } else {
                mean = dense(runningMean.to(dt));
                var = dense(runningVar.to(dt));
            }
        }
        // one fused pass: y = (x - mean) / sqrt(var + eps) * weight + bias
        Tensor y = NnSupport.empty(x, x.dtype, input.shape);
        if (s.numel() > 0) {
            Dispatch.norm(Op.NORM_APPLY, new Tensor[] {x, mean, var, weight == null ? null : dense(weight.detach()),
                bias == null ? null : dense(bias.detach())}, new Tensor[] {y}, s);
        }
        return record(input, weight, bias, y, x, mean, var, eps, s, useBatch);
    }

    private static Tensor record(Tensor input, Tensor weight, Tensor bias, Tensor y, Tensor x, Tensor mean,
                                 Tensor var, double eps, NormShape s, boolean useBatch) {
        boolean nx = input.requiresGrad(), nw = weight != null && weight.requiresGrad();
        boolean nb = bias != null && bias.requiresGrad();
        int[] xs = input.shape;
        long m = (long) s.outer() * s.inner();
        return FnNode.record("NativeBatchNormBackward0", y, new Tensor[] {input, weight, bias}, (gr, sv) -> {
                Tensor rstd = var.add(eps).rsqrt();
                Tensor dy = dense(gr);
                Tensor xx = sv[0];
                Tensor w = sv[1];
                Tensor[] sums = channelSums(dy, nx || nw ? xx : null, s);
                Tensor sdy = sums[0];
                // sum of dy * xhat per channel = rstd * (sum dy x - mean * sum dy)
                Tensor sdyxhat = nx || nw ? sums[1].sub(mean.mul(sdy)).mul(rstd) : null;
                Tensor dx = null;
                if (nx) {
                    Tensor a = w == null ? rstd : w.mul(rstd);
                    if (useBatch) {
                        Tensor bc = a.mul(rstd).mul(sdyxhat).div(-(double) m);
                        Tensor cc = a.mul(sdy).div(-(double) m).sub(bc.mul(mean));
                        dx = scaleShift2(dy, xx, a, bc, cc, s, xs);
                    } else {
                        dx = scaleShift(dy, a, null, s, xs);
                    }
                }
                return new Tensor[] {dx, nw ? sdyxhat : null, nb ? sdy : null};
            }, nx || nw ? x : null, weight);
    }

    // ------------------------------------------------------------------------------------------ group norm

    static Tensor groupNorm(Tensor input, int groups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("group_norm: expected an input of at least 2 dims (N, C, *), got "
                    + shape(input.shape));
        }
        NnSupport.requireFloating("group_norm", input);
        int n = input.shape[0], c = input.shape[1];
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("Expected number of channels in input to be divisible by num_groups, "
                    + "but got input of shape " + shape(input.shape) + " and num_groups=" + groups);
        }
        if (weight != null && (weight.dim() != 1 || weight.numel() != c)) {
            throw new IllegalArgumentException("Expected weight to be a vector of size equal to the number of channels "
                    + "in input, but got weight of shape " + shape(weight.shape) + " and input of shape "
                    + shape(input.shape));
        }
        if (bias != null && (bias.dim() != 1 || bias.numel() != c)) {
            throw new IllegalArgumentException("Expected bias to be a vector of size equal to the number of channels "
                    + "in input, but got bias of shape " + shape(bias.shape) + " and input of shape "
                    + shape(input.shape));
        }
        NnSupport.checkDevice(input, weight);
        NnSupport.checkDevice(input, bias);
        NnSupport.sameDtype(input, weight);
        NnSupport.sameDtype(input, bias);
        if (NnSupport.half(input.dtype)) {
            DType f = DType.FLOAT32;
            return groupNorm(input.to(f), groups, weight == null ? null : weight.to(f), bias == null ? null
                    : bias.to(f), eps).to(input.dtype);
        }
        int spatial = n * c == 0 ? 0 : Numel.of(input) / (n * c);
        int cg = c / groups;
        NormShape rows = new NormShape(1, n * groups, cg * spatial, true);
        NormShape planes = new NormShape(1, n * c, spatial, true);
        Tensor x = dense(input);
        Tensor mean, rstd, y;
        try (var _ = Autograd.noGrad()) {
            Tensor[] mv = moments(x, rows);
            mean = mv[0].view(n, groups, 1);
            rstd = mv[1].add(eps).rsqrt().view(n, groups, 1);
            Tensor w = weight == null ? null : weight.detach().view(1, groups, cg);
            Tensor a = (w == null ? rstd.expand(n, groups, cg) : rstd.mul(w)).reshape(n * c);
            Tensor b = a.view(n, groups, cg).mul(mean).neg();
            if (bias != null) {
                b = b.add(bias.detach().view(1, groups, cg));
            }
            y = scaleShift(x, a, b.reshape(n * c), planes, input.shape);
        }
        boolean nx = input.requiresGrad(), nw = weight != null && weight.requiresGrad();
        boolean nb = bias != null && bias.requiresGrad();
        int[] xs = input.shape;
        double m = (double) cg * spatial;
        Tensor fm = mean, fr = rstd;
        return FnNode.record("NativeGroupNormBackward0", y, new Tensor[] {input, weight, bias}, (gr, sv) -> {
            Tensor dy = dense(gr);
            Tensor xx = sv[0];
            Tensor w = sv[1] == null ? null : sv[1].view(1, groups, cg);
            Tensor[] sums = channelSums(dy, xx, planes);
            Tensor ds = sums[1].view(n, groups, cg);   // sum dy * x per (n, c)
            Tensor db = sums[0].view(n, groups, cg);   // sum dy per (n, c)
            Tensor dx = null;
            if (nx) {
                Tensor dsg = (w == null ? ds : ds.mul(w)).sum(2, true);
                Tensor dbg = (w == null ? db : db.mul(w)).sum(2, true);
                Tensor a = (w == null ? fr.expand(n, groups, cg) : fr.mul(w)).reshape(n * c);
                Tensor bc = dbg.mul(fm).sub(dsg).mul(fr.pow(3)).div(m);
                Tensor cc = bc.mul(fm).neg().sub(dbg.mul(fr).div(m));
                dx = scaleShift2(dy, xx, a, bc.expand(n, groups, cg).reshape(n * c),
                        cc.expand(n, groups, cg).reshape(n * c), planes, xs);
            }
            Tensor dw = nw ? ds.sub(db.mul(fm)).mul(fr).sum(0, false).reshape(c) : null;
            return new Tensor[] {dx, dw, nb ? db.sum(0, false).reshape(c) : null};
        }, x, weight);
    }

    // ------------------------------------------------------------------------------------------ layer / RMS norm

    static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps,
                            boolean center) {
        String op = center ? "layer_norm" : "rms_norm";
        int k = normalizedShape.length;
        if (k == 0) {
            throw new IllegalArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., "
                    + "containing at least one element, but got normalized_shape = []");
        }
        if (weight != null && !Arrays.equals(weight.shape, normalizedShape)) {
            throw new IllegalArgumentException("Expected weight to be of same shape as normalized_shape, but got "
                    + "weight of shape " + shape(weight.shape) + " and normalized_shape = " + shape(normalizedShape));
        }
        if (bias != null && !Arrays.equals(bias.shape, normalizedShape)) {
            throw new IllegalArgumentException("Expected bias to be of same shape as normalized_shape, but got "
                    + "bias of shape " + shape(bias.shape) + " and normalized_shape = " + shape(normalizedShape));
        }
        int d = input.dim();
        if (d < k || !Arrays.equals(Arrays.copyOfRange(input.shape, d - k, d), normalizedShape)) {
            throw new IllegalArgumentException("Given normalized_shape=" + shape(normalizedShape)
                    + ", expected input with shape [*, " + NnSupport.joinX(normalizedShape, ", ")
                    + "], but got input of size" + shape(input.shape));
        }
        NnSupport.requireFloating(op, input);
        NnSupport.checkDevice(input, weight);
        NnSupport.checkDevice(input, bias);
        NnSupport.sameDtype(input, weight);
        NnSupport.sameDtype(input, bias);
        if (NnSupport.half(input.dtype)) {
            DType f = DType.FLOAT32;
            return layerNorm(input.to(f), normalizedShape, weight == null ? null : weight.to(f), bias == null ? null
                    : bias.to(f), eps, center).to(input.dtype);
        }
        int n = Shapes.numel(normalizedShape);
        int rows = n == 0 ? 0 : Numel.of(input) / n;
        NormShape s = new NormShape(1, rows, n, center, eps);
        Tensor x = dense(input);
        Tensor y = NnSupport.empty(input, input.dtype, input.shape);
        Tensor[] mv = moments(x, s);
        Tensor mean = mv[0], var = mv[1];
        if (s.numel() > 0) {
            Dispatch.norm(Op.ROW_NORM, new Tensor[] {x, mean, var, weight == null ? null : dense(weight.detach()),
                bias == null ? null : dense(bias.detach())}, new Tensor[] {y}, s);
        }
        boolean nx = input.requiresGrad(), nw = weight != null && weight.requiresGrad();
        boolean nb = bias != null && bias.requiresGrad();
        int[] xs = input.shape;
        return FnNode.record(center ? "NativeLayerNormBackward0" : "RmsNormBackward0", y,
                new Tensor[] {input, weight, bias}, (gr, sv) -> {
                    Tensor dy = dense(gr);
                    Tensor dx = NnSupport.empty(dy, dy.dtype, xs);
                    Tensor dw = nw ? NnSupport.empty(dy, dy.dtype, normalizedShape) : null;
                    Tensor db = nb ? NnSupport.empty(dy, dy.dtype, normalizedShape) : null;
                    if (s.numel() > 0) {
                        Dispatch.norm(Op.ROW_NORM_BACKWARD, new Tensor[] {sv[0], dy, mean, var,
                            sv[1] == null ? null : dense(sv[1])}, new Tensor[] {dx, dw, db}, s);
                    }
                    return new Tensor[] {nx ? dx : null, dw, db};
                }, x, weight);
    }
}
