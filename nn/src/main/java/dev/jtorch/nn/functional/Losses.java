package dev.jtorch.nn.functional;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;

import java.util.Arrays;
import java.util.function.BinaryOperator;

/**
 * Every loss of torch.nn.functional, composed from engine ops with PyTorch's formulas (including its
 * numerically stable forms and its conventions for weights, ignored targets and empty reductions); CTC has
 * its own backward ({@link CtcLoss}).
 */
public final class Losses {
    private Losses() {
    }

    static Tensor reduce(Tensor loss, Reduction r) {
        return switch (r) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
        };
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": Using a target size (" + Arrays.toString(target.shape())
                    + ") that is different to the input size (" + Arrays.toString(input.shape()) + ") is not "
                    + "supported. Please ensure they have the same size.");
        }
    }

    /** mean |x - y|. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction r) {
        sameShape("l1_loss", input, target);
        return reduce(input.sub(target).abs(), r);
    }

    /** mean (x - y)^2. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction r) {
        sameShape("mse_loss", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d), r);
    }

    /** 0.5 d^2 where |d| &lt; delta, delta (|d| - delta/2) elsewhere. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction r, double delta) {
        sameShape("huber_loss", input, target);
        if (delta <= 0) {
            throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        }
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        return reduce(Torch.where(a.lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta)), r);
    }

    /** 0.5 d^2 / beta where |d| &lt; beta, |d| - beta/2 elsewhere (beta 0: L1). */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction r, double beta) {
        sameShape("smooth_l1_loss", input, target);
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        }
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        if (beta == 0) {
            return reduce(a, r);
        }
        return reduce(Torch.where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta)), r);
    }

    /** log(1 + e^(-y x)). */
    public static Tensor softMarginLoss(Tensor input, Tensor target, Reduction r) {
        sameShape("soft_margin_loss", input, target);
        return reduce(input.mul(target).neg().exp().log1p(), r);
    }

    /** -w (y log x + (1 - y) log(1 - x)), logs clamped at -100 as PyTorch. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction r) {
        sameShape("binary_cross_entropy", input, target);
        try (var _ = Autograd.noGrad()) {
            if (input.numel() > 0 && (input.min().item() < 0 || input.max().item() > 1)) {
                throw new IllegalArgumentException("all elements of input should be between 0 and 1");
            }
        }
        Tensor loss = target.mul(input.log().clampMin(-100)).add(target.rsub(1.0).mul(input.rsub(1.0).log()
                .clampMin(-100))).neg();
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return reduce(loss, r);
    }

    /** Sigmoid and binary cross entropy in one stable expression, with optional pos_weight. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction r) {
        sameShape("binary_cross_entropy_with_logits", input, target);
        Tensor maxVal = input.neg().clampMin(0);
        Tensor soft = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log().add(maxVal);
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1.0).mul(target).add(1.0);
            loss = target.rsub(1.0).mul(input).add(logWeight.mul(soft));
        } else {
            loss = target.rsub(1.0).mul(input).add(soft);
        }
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return reduce(loss, r);
    }

    /** Class dim moved last and flattened: (M, C), with the target flattened to (M). */
    private static Tensor[] flattenClasses(Tensor input, Tensor target, String op) {
        F.requireLong(op, target);
        if (input.dim() == 1) {
            if (target.dim() != 0) {
                throw new IllegalArgumentException(op + ": 1D input expects a 0D target, got target of shape "
                        + Arrays.toString(target.shape()));
            }
            return new Tensor[] {input.unsqueeze(0), target.reshape(1)};
        }
        if (input.dim() < 1) {
            throw new IllegalArgumentException(op + ": input tensor should be 1D or more, got 0D");
        }
        int[] expected = new int[input.dim() - 1];
        expected[0] = input.size(0);
        for (int i = 2; i < input.dim(); i++) {
            expected[i - 1] = input.size(i);
        }
        if (!Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException(op + ": Expected target size " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(target.shape()));
        }
        int c = input.size(1);
        Tensor x = input.dim() == 2 ? input : classLast(input).reshape(-1, c);
        return new Tensor[] {x, target.reshape(-1)};
    }

    private static Tensor classLast(Tensor x) {
        int n = x.dim();
        int[] p = new int[n];
        for (int i = 1; i < n - 1; i++) {
            p[i] = i + 1;
        }
        p[n - 1] = 1;
        return x.permute(p);
    }

    /** Negative log likelihood of class indices given log-probabilities, PyTorch's nll_loss. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r) {
        Tensor[] f = flattenClasses(input, target, "nll_loss");
        Tensor x = f[0];
        Tensor t = f[1];
        int c = x.size(1);
        if (weight != null && weight.numel() != c) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        long[] tv = t.toLongArray();
        for (long v : tv) {
            if (v != ignoreIndex && (v < 0 || v >= c)) {
                throw new IndexOutOfBoundsException("Target " + v + " is out of bounds.");
            }
        }
        Tensor keep = t.ne((double) ignoreIndex);
        Tensor safe = Torch.where(keep, t, Torch.zerosLike(t));
        Tensor picked = x.gather(1, safe.unsqueeze(1)).squeeze(1);
        Tensor w = weight == null ? keep.to(x.dtype()) : weight.to(x.dtype()).indexSelect(0, safe).mul(keep);
        Tensor loss = picked.mul(w).neg();
        return switch (r) {
            case NONE -> input.dim() == 1 ? loss.reshape() : loss.reshape(target.shape());
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(w.sum());
            case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
        };
    }

    /**
     * Cross entropy of logits against class indices (int64) or class probabilities (float, input's shape),
     * with class weights, ignored index and label smoothing, as PyTorch's cross_entropy.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r,
                                      double labelSmoothing) {
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        int n = input.size(classDim);
        Tensor logp = input.logSoftmax(classDim);
        int[] wShape = new int[input.dim()];
        Arrays.fill(wShape, 1);
        wShape[classDim] = n;
        if (target.isFloatingPoint()) {
            sameShape("cross_entropy", input, target);
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / n) : target;
            Tensor prod = logp.mul(t);
            if (weight != null) {
                prod = prod.mul(weight.reshape(wShape));
            }
            return switch (r) {
                case NONE -> prod.sum(classDim).neg();
                case SUM -> prod.sum().neg();
                case MEAN -> prod.sum().neg().div(input.numel() / (double) n);
                case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
            };
        }
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, r);
        if (labelSmoothing == 0) {
            return nll;
        }
        Tensor ignore = target.eq((double) ignoreIndex);
        Tensor smooth = weight != null ? logp.mul(weight.reshape(wShape)).sum(classDim).neg() : logp.sum(classDim).neg();
        smooth = smooth.maskedFill(ignore, 0.0);
        Tensor ret = switch (r) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> {
                Tensor keep = ignore.logicalNot();
                if (weight != null) {
                    Tensor safe = Torch.where(keep, target, Torch.zerosLike(target)).reshape(-1);
                    yield smooth.sum().div(weight.indexSelect(0, safe).mul(keep.reshape(-1)).sum());
                }
                yield smooth.sum().div(keep.sum().to(smooth.dtype()));
            }
            case BATCHMEAN -> throw new IllegalArgumentException("reduction='batchmean' is only valid for kl_div");
        };
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / n));
    }

    /** Poisson negative log likelihood. */
    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps,
                                       Reduction r) {
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            Tensor stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(stirling.maskedFill(target.le(1.0), 0.0));
        }
        return reduce(loss, r);
    }

    /** Gaussian negative log likelihood with predicted variances (clamped at eps without cutting gradients). */
    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var, boolean full, double eps,
                                         Reduction r) {
        Tensor v = var;
        if (!Arrays.equals(var.shape(), input.shape())) {
            if (Arrays.equals(Arrays.copyOf(input.shape(), input.dim() - 1), var.shape())) {
                v = var.unsqueeze(-1);
            } else if (!(var.dim() == input.dim() && var.size(-1) == 1
                    && Arrays.equals(Arrays.copyOf(input.shape(), input.dim() - 1),
                    Arrays.copyOf(var.shape(), var.dim() - 1)))) {
                throw new IllegalArgumentException("var is of incorrect size");
            }
        }
        try (var _ = Autograd.noGrad()) {
            if (v.lt(0.0).any().item() != 0) {
                throw new IllegalArgumentException("var has negative entry/entries");
            }
        }
        // PyTorch clamps a clone under no_grad: values are clamped, the gradient passes as if they were not
        Tensor clamped;
        try (var _ = Autograd.noGrad()) {
            clamped = v.clampMin(eps).sub(v);
        }
        Tensor vc = v.add(clamped);
        Tensor loss = vc.log().add(input.sub(target).square().div(vc)).mul(0.5);
        if (full) {
            loss = loss.add(0.5 * Math.log(2 * Math.PI));
        }
        return reduce(loss, r);
    }

    /** Kullback-Leibler divergence of target from input (input holds log-probabilities). */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction r, boolean logTarget) {
        Tensor loss = logTarget ? target.exp().mul(target.sub(input))
                : Torch.where(target.eq(0.0), target.mul(0.0), target.mul(target.log())).sub(target.mul(input));
        if (r == Reduction.BATCHMEAN) {
            return input.dim() == 0 ? loss.sum() : loss.sum().div(input.size(0));
        }
        return reduce(loss, r);
    }

    /** max(0, -y (x1 - x2) + margin). */
    public static Tensor marginRankingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction r) {
        if (x1.dim() != x2.dim() || x1.dim() != target.dim()) {
            throw new IllegalArgumentException("margin_ranking_loss : All input tensors should have same dimension "
                    + "but got sizes: input1: " + Arrays.toString(x1.shape()) + ", input2: "
                    + Arrays.toString(x2.shape()) + ", target: " + Arrays.toString(target.shape()));
        }
        return reduce(target.neg().mul(x1.sub(x2)).add(margin).clampMin(0), r);
    }

    /** x where y = 1, max(0, margin - x) where y = -1. */
    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, Reduction r) {
        Tensor zeros = Torch.zerosLike(input);
        Tensor marginClamp = input.rsub(margin).clampMin(0);
        Tensor outMargin = Torch.where(target.ne(1.0), marginClamp, zeros);
        Tensor outSelf = Torch.where(target.ne(-1.0), input, zeros);
        return reduce(outMargin.add(outSelf), r);
    }

    /** Multi-class multi-label hinge loss; target holds class indices, ended by the first -1. */
    public static Tensor multilabelMarginLoss(Tensor input, Tensor target, Reduction r) {
        F.requireLong("multilabel_margin_loss", target);
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("inconsistent target size: " + Arrays.toString(target.shape())
                    + " for input of size: " + Arrays.toString(input.shape()));
        }
        Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
        Tensor t = target.dim() == 1 ? target.unsqueeze(0) : target;
        int n = x.size(0);
        int c = x.size(1);
        long[] tv = t.toLongArray();
        double[] isTarget = new double[n * c];
        double[] pairMask = new double[n * c * c];
        for (int i = 0; i < n; i++) {
            int len = 0;
            while (len < c && tv[i * c + len] >= 0) {
                long cls = tv[i * c + len];
                if (cls >= c) {
                    throw new IndexOutOfBoundsException("target index " + cls + " is out of range for " + c
                            + " classes");
                }
                isTarget[i * c + (int) cls] = 1;
                len++;
            }
            for (int j = 0; j < len; j++) {
                int yj = (int) tv[i * c + j];
                for (int k = 0; k < c; k++) {
                    if (isTarget[i * c + k] == 0) {
                        pairMask[(i * c + yj) * c + k] += 1;
                    }
                }
            }
        }
        Tensor mask = Torch.tensor(pairMask, n, c, c).to(x.dtype()).to(x.device());
        // hinge[i, j, k] = max(0, 1 - (x[i, j] - x[i, k])) for target j, non-target k
        Tensor hinge = x.unsqueeze(2).rsub(1.0).add(x.unsqueeze(1)).clampMin(0);
        Tensor loss = hinge.mul(mask).sum(new int[] {1, 2}, false).div(c);
        if (input.dim() == 1) {
            loss = loss.squeeze(0);
        }
        return reduce(loss, r);
    }

    /** -(y log sigmoid(x) + (1 - y) log sigmoid(-x)), averaged over classes. */
    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, Reduction r) {
        Tensor loss = target.mul(F.logsigmoid(input)).add(target.rsub(1.0).mul(F.logsigmoid(input.neg()))).neg();
        if (weight != null) {
            loss = loss.mul(weight);
        }
        int classDim = input.dim() - 1;
        loss = loss.sum(classDim).div(input.size(classDim));
        return reduce(loss, r);
    }

    /** 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1. */
    public static Tensor cosineEmbeddingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction r) {
        int d = x1.dim() - 1;
        double eps = 1e-12;
        Tensor prod = x1.mul(x2).sum(d);
        Tensor m1 = x1.mul(x1).sum(d).add(eps);
        Tensor m2 = x2.mul(x2).sum(d).add(eps);
        Tensor cos = prod.div(m1.mul(m2).sqrt());
        Tensor zeros = Torch.zerosLike(cos);
        Tensor pos = cos.rsub(1.0);
        Tensor neg = cos.sub(margin).clampMin(0);
        Tensor loss = Torch.where(target.eq(1.0), pos, zeros).add(Torch.where(target.eq(-1.0), neg, zeros));
        return reduce(loss, r);
    }

    /** Multi-class hinge loss: sum over i != y of max(0, margin - x[y] + x[i])^p / C, weighted by w[y]. */
    public static Tensor multiMarginLoss(Tensor input, Tensor target, int p, double margin, Tensor weight,
                                        Reduction r) {
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException("only p == 1 and p == 2 supported");
        }
        F.requireLong("multi_margin_loss", target);
        Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;
        Tensor t = target.reshape(-1);
        int c = x.size(1);
        for (long v : t.toLongArray()) {
            if (v < 0 || v >= c) {
                throw new IndexOutOfBoundsException("target out of range");
            }
        }
        Tensor xy = x.gather(1, t.unsqueeze(1));
        Tensor z = x.sub(xy).add(margin).clampMin(0);
        if (p == 2) {
            z = z.mul(z);
        }
        if (weight != null) {
            z = z.mul(weight.indexSelect(0, t).unsqueeze(1));
        }
        Tensor notTarget = Torch.onesLike(x).scatter(1, t.unsqueeze(1), 0.0);
        Tensor loss = z.mul(notTarget).sum(1).div(c);
        if (input.dim() == 1) {
            loss = loss.squeeze(0);
        }
        return reduce(loss, r);
    }

    /** ||x1 - x2 + eps||_p along the last dim. */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps) {
        return x1.sub(x2).add(eps).norm(p, new int[] {-1}, false);
    }

    /** max(d(a, p) - d(a, n) + margin, 0) with the p-norm distance (swap: the harder negative distance). */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p,
                                           double eps, boolean swap, Reduction r) {
        return tripletMarginWithDistanceLoss(anchor, positive, negative, (a, b) -> pairwiseDistance(a, b, p, eps),
                margin, swap, r);
    }

    /** The triplet loss with any distance function (default: the 2-norm pairwise distance). */
    public static Tensor tripletMarginWithDistanceLoss(Tensor anchor, Tensor positive, Tensor negative,
                                                       BinaryOperator<Tensor> distance, double margin, boolean swap,
                                                       Reduction r) {
        if (anchor.dim() != positive.dim() || anchor.dim() != negative.dim()) {
            throw new IllegalArgumentException("The anchor, positive, and negative tensors are expected to have the "
                    + "same number of dimensions, but got: anchor " + anchor.dim() + "D, positive " + positive.dim()
                    + "D, and negative " + negative.dim() + "D inputs");
        }
        BinaryOperator<Tensor> dist = distance != null ? distance : (a, b) -> pairwiseDistance(a, b, 2, 1e-6);
        Tensor dPos = dist.apply(anchor, positive);
        Tensor dNeg = dist.apply(anchor, negative);
        if (swap) {
            dNeg = dNeg.minimum(dist.apply(positive, negative));
        }
        return reduce(dPos.sub(dNeg).add(margin).clampMin(0), r);
    }

    /** Connectionist temporal classification loss; see {@link CtcLoss}. */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, int blank,
                                 Reduction r, boolean zeroInfinity) {
        return CtcLoss.apply(logProbs, targets, inputLengths, targetLengths, blank, r, zeroInfinity);
    }
}
