package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.NnOps;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.CrossEntropyOptions;
import dev.jtorch.nn.MultiMarginOptions;
import dev.jtorch.nn.PoissonNllOptions;
import dev.jtorch.nn.TripletMarginOptions;
import dev.jtorch.nn.TripletMarginWithDistanceOptions;

/**
 * {@code torch.nn.functional}: the math of every layer, composed from engine ops (so autograd and every
 * backend come for free). Modules are thin state around these functions. Losses are in {@link Losses}
 * (re-exported here by name).
 *
 * <p>Example: {@code Tensor y = F.relu(F.linear(x, w, b));}
 */
public final class F {
    /** SELU's alpha. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private F() {
    }

    // ------------------------------------------------------------------ linear

    /** {@code x @ weight^T + bias} (bias may be null); one fused addmm for 2-D inputs. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException("linear: input must have at least 1 dimension, got a 0-dim tensor");
        }
        if (input.size(-1) != weight.size(-1)) {
            long rows = input.numel() / Math.max(1, input.size(-1));
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x"
                    + input.size(-1) + " and " + weight.size(1) + "x" + weight.size(0) + ")");
        }
        return dev.jtorch.NnOps.linear(input, weight, bias);
    }

    /** {@code y[n, o] = x1[n, :] A[o] x2[n, :] + b[o]} over any leading batch dims. */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) {
        int o = weight.size(0);
        int i = weight.size(1);
        int j = weight.size(2);
        if (x1.size(-1) != i || x2.size(-1) != j) {
            throw new IllegalArgumentException("bilinear(): input1 last dim " + x1.size(-1) + " and input2 last dim "
                    + x2.size(-1) + " must match weight " + java.util.Arrays.toString(weight.shape()));
        }
        int[] lead = java.util.Arrays.copyOf(x1.shape(), x1.dim() - 1);
        Tensor a = x1.reshape(-1, i);
        Tensor b = x2.reshape(-1, j);
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("bilinear(): input batch dimensions do not match: got "
                    + a.size(0) + " and " + b.size(0));
        }
        Tensor t = a.matmul(weight.permute(1, 0, 2).reshape(i, o * j)).view(-1, o, j);
        Tensor y = t.mul(b.unsqueeze(1)).sum(-1);
        if (bias != null) {
            y = y.add(bias);
        }
        int[] outShape = java.util.Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = o;
        return y.reshape(outShape);
    }

    // ------------------------------------------------------------------ activations

    private static Tensor maybeInplace(Tensor x, Tensor y, boolean inplace) {
        if (!inplace) {
            return y;
        }
        return x.copy_(y);
    }

    /** max(x, 0). */
    public static Tensor relu(Tensor x, boolean inplace) {
        return inplace ? x.relu_() : x.relu();
    }

    /** {@code relu(x, false)}. */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** min(max(x, 0), 6). */
    public static Tensor relu6(Tensor x, boolean inplace) {
        return hardtanh(x, 0, 6, inplace);
    }

    /** x for x &gt; 0, negativeSlope * x otherwise. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope, boolean inplace) {
        return maybeInplace(x, x.leakyRelu(negativeSlope), inplace);
    }

    /** x for x &gt; 0, weight * x otherwise; weight has 1 entry or one per channel (dim 1). */
    public static Tensor prelu(Tensor x, Tensor weight) {
        if (weight.dim() > 1) {
            throw new IllegalArgumentException("prelu: weight must be 1-D, got " + weight.dim() + "-D");
        }
        Tensor w = weight;
        if (weight.numel() != 1) {
            int channels = x.dim() >= 2 ? x.size(1) : 1;
            if (weight.numel() != channels) {
                throw new IllegalArgumentException("Mismatch of parameter numbers and input channel size. Found "
                        + "parameter numbers = " + weight.numel() + " and channel size = " + channels + ".");
            }
            int[] shape = new int[x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = channels;
            w = weight.reshape(shape);
        }
        return Torch.where(x.gt(0.0), x, x.mul(w));
    }

    /**
     * Randomized leaky ReLU: in training each non-positive element gets a slope drawn from U(lower, upper)
     * (one uniform double draw per such element, as PyTorch's CPU kernel); in eval the slope is their mean.
     */
    public static Tensor rrelu(Tensor x, double lower, double upper, boolean training, boolean inplace,
                               Generator generator) {
        if (!training) {
            return leakyRelu(x, (lower + upper) / 2, inplace);
        }
        Generator g = generator == null ? Torch.defaultGenerator() : generator;
        double[] v = x.toDoubleArray();
        double[] noise = new double[v.length];
        synchronized (g) {
            for (int i = 0; i < v.length; i++) {
                noise[i] = v[i] <= 0 ? g.uniformDouble(lower, upper) : 1;
            }
        }
        Tensor n = Torch.tensor(noise).reshape(x.shape()).to(x.dtype()).to(x.device());
        return maybeInplace(x, x.mul(n), inplace);
    }

    /** x for x &gt; 0, alpha (e^x - 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha, boolean inplace) {
        return maybeInplace(x, Torch.where(x.gt(0.0), x, x.expm1().mul(alpha)), inplace);
    }

    /** max(0, x) + min(0, alpha (e^(x/alpha) - 1)). */
    public static Tensor celu(Tensor x, double alpha, boolean inplace) {
        if (alpha == 0) {
            throw new IllegalArgumentException("ZeroDivisionError: alpha cannot be 0 for CELU");
        }
        return maybeInplace(x, Torch.where(x.gt(0.0), x, x.div(alpha).expm1().mul(alpha)), inplace);
    }

    /** scale * elu(x, alpha) with SELU's constants. */
    public static Tensor selu(Tensor x, boolean inplace) {
        return maybeInplace(x, elu(x, SELU_ALPHA, false).mul(SELU_SCALE), inplace);
    }

    /** GELU, exact or with the tanh approximation ({@code approximate="tanh"}). */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> x.gelu(false);
            case "tanh" -> x.gelu(true);
            default -> throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        };
    }

    /** x * sigmoid(x). */
    public static Tensor silu(Tensor x, boolean inplace) {
        return maybeInplace(x, x.mul(x.sigmoid()), inplace);
    }

    /** x * tanh(softplus(x)). */
    public static Tensor mish(Tensor x, boolean inplace) {
        return maybeInplace(x, x.mul(x.softplus(1, 20).tanh()), inplace);
    }

    /** Logistic sigmoid. */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** Hyperbolic tangent. */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** clamp(x, minVal, maxVal). */
    public static Tensor hardtanh(Tensor x, double minVal, double maxVal, boolean inplace) {
        if (minVal > maxVal) {
            throw new IllegalArgumentException("max_val must be greater than or equal to min_val");
        }
        return inplace ? x.clamp_(minVal, maxVal) : x.clamp(minVal, maxVal);
    }

    /** 0 below -3, 1 above 3, x/6 + 1/2 between. */
    public static Tensor hardsigmoid(Tensor x, boolean inplace) {
        return maybeInplace(x, x.div(6.0).add(0.5).clamp(0, 1), inplace);
    }

    /** x * hardsigmoid(x). */
    public static Tensor hardswish(Tensor x, boolean inplace) {
        return maybeInplace(x, x.mul(x.div(6.0).add(0.5).clamp(0, 1)), inplace);
    }

    /** x where |x| &gt; lambd, else 0. */
    public static Tensor hardshrink(Tensor x, double lambd) {
        return Torch.where(x.abs().gt(lambd), x, 0.0);
    }

    /** x - lambd above lambd, x + lambd below -lambd, else 0. */
    public static Tensor softshrink(Tensor x, double lambd) {
        if (lambd < 0) {
            throw new IllegalArgumentException("lambda must be greater or equal to 0, but found to be " + lambd + ".");
        }
        return Torch.where(x.gt(lambd), x.sub(lambd), Torch.where(x.lt(-lambd), x.add(lambd), 0.0));
    }

    /** x - tanh(x). */
    public static Tensor tanhshrink(Tensor x) {
        return x.sub(x.tanh());
    }

    /** x / (1 + |x|). */
    public static Tensor softsign(Tensor x) {
        return x.div(x.abs().add(1.0));
    }

    /** log(1 + e^(beta x)) / beta, linear above threshold. */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return x.softplus(beta, threshold);
    }

    /** log(sigmoid(x)) computed stably: min(x, 0) - log1p(e^-|x|). */
    public static Tensor logsigmoid(Tensor x) {
        return x.clampMax(0).sub(x.abs().neg().exp().log1p());
    }

    /** x where x &gt; threshold, else value. */
    public static Tensor threshold(Tensor x, double threshold, double value, boolean inplace) {
        return maybeInplace(x, Torch.where(x.gt(threshold), x, value), inplace);
    }

    /** a * sigmoid(b) for the two halves a, b of dim. */
    public static Tensor glu(Tensor x, int dim) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("glu does not support scalars because halving size must be even");
        }
        int d = dim < 0 ? dim + x.dim() : dim;
        if (x.size(d) % 2 != 0) {
            throw new IllegalArgumentException("Halving dimension must be even, but dimension " + d + " is size "
                    + x.size(d));
        }
        Tensor[] h = x.chunk(2, d);
        return h[0].mul(h[1].sigmoid());
    }

    /** Softmax along dim. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /** softmax(-x) along dim. */
    public static Tensor softmin(Tensor x, int dim) {
        return x.neg().softmax(dim);
    }

    /** log(softmax(x)) along dim, computed stably. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** Softmax over the channel dim of a (C, H, W) or (N, C, H, W) input. */
    public static Tensor softmax2d(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("Softmax2d: expected input to be 3D or 4D, got " + x.dim()
                    + "D instead");
        }
        return x.softmax(-3);
    }

    // ------------------------------------------------------------------ dropout

    private static void checkP(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }

    /** Zeroes elements with probability p and scales the rest by 1/(1-p), in training only. */
    public static Tensor dropout(Tensor x, double p, boolean training, boolean inplace) {
        checkP(p);
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return maybeInplace(x, x.mul(0.0), inplace);
        }
        Tensor noise;
        try (var _ = Autograd.noGrad()) {
            noise = x.newEmpty(x.dtype(), x.shape()).bernoulli_(1 - p).div_(1 - p);
        }
        return maybeInplace(x, x.mul(noise), inplace);
    }

    /** Zeroes whole channels (dim 1) with probability p, for inputs of {@code featureDims} spatial dims. */
    static Tensor featureDropout(Tensor x, double p, boolean training, boolean inplace, int featureDims, String name,
                                 boolean alpha) {
        checkP(p);
        int batched = 2 + featureDims;
        if (x.dim() != batched && x.dim() != batched - 1) {
            throw new IllegalArgumentException(name + ": Expected " + (batched - 1) + "D or " + batched
                    + "D input, but received a " + x.dim() + "D input");
        }
        if (!training || p == 0) {
            return x;
        }
        boolean unbatched = x.dim() == batched - 1;
        int[] noiseShape = new int[x.dim()];
        java.util.Arrays.fill(noiseShape, 1);
        noiseShape[0] = x.size(0);
        if (!unbatched) {
            noiseShape[1] = x.size(1);
        }
        return noiseDropout(x, p, inplace, noiseShape, alpha);
    }

    private static Tensor noiseDropout(Tensor x, double p, boolean inplace, int[] noiseShape, boolean alpha) {
        if (p == 1) {
            return maybeInplace(x, x.mul(0.0), inplace);
        }
        Tensor noise;
        Tensor b = null;
        try (var _ = Autograd.noGrad()) {
            noise = x.newEmpty(x.dtype(), noiseShape).bernoulli_(1 - p);
            if (alpha) {
                double al = 1.7580993408473766;
                double a = 1.0 / Math.sqrt((al * al * p + 1) * (1 - p));
                b = noise.add(-1.0).mul_(al * a).add_(al * a * p);
                noise.mul_(a);
            } else {
                noise.div_(1 - p);
            }
        }
        Tensor y = x.mul(noise);
        if (b != null) {
            y = y.add(b);
        }
        return maybeInplace(x, y, inplace);
    }

    /** Channel dropout for (N, C, L) or (C, L) inputs. */
    public static Tensor dropout1d(Tensor x, double p, boolean training, boolean inplace) {
        return featureDropout(x, p, training, inplace, 1, "dropout1d", false);
    }

    /** Channel dropout for (N, C, H, W) or (C, H, W) inputs. */
    public static Tensor dropout2d(Tensor x, double p, boolean training, boolean inplace) {
        return featureDropout(x, p, training, inplace, 2, "dropout2d", false);
    }

    /** Channel dropout for (N, C, D, H, W) or (C, D, H, W) inputs. */
    public static Tensor dropout3d(Tensor x, double p, boolean training, boolean inplace) {
        return featureDropout(x, p, training, inplace, 3, "dropout3d", false);
    }

    /** Dropout that keeps SELU's self-normalising mean and variance. */
    public static Tensor alphaDropout(Tensor x, double p, boolean training, boolean inplace) {
        checkP(p);
        if (!training || p == 0) {
            return x;
        }
        return noiseDropout(x, p, inplace, x.shape(), true);
    }

    /** Alpha dropout of whole channels (dim 1). */
    public static Tensor featureAlphaDropout(Tensor x, double p, boolean training, boolean inplace) {
        checkP(p);
        if (!training || p == 0) {
            return x;
        }
        if (x.dim() < 2) {
            throw new IllegalArgumentException("feature_alpha_dropout: expected at least 2-D input, got " + x.dim()
                    + "D");
        }
        int[] noiseShape = new int[x.dim()];
        java.util.Arrays.fill(noiseShape, 1);
        noiseShape[0] = x.size(0);
        noiseShape[1] = x.size(1);
        return noiseDropout(x, p, inplace, noiseShape, true);
    }

    // ------------------------------------------------------------------ losses (see Losses)

    /** {@link Losses#l1Loss}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction r) {
        return Losses.l1Loss(input, target, r);
    }

    /** {@link Losses#mseLoss}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction r) {
        return Losses.mseLoss(input, target, r);
    }

    /** {@link Losses#crossEntropy}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, r, labelSmoothing);
    }

    /** Cross entropy with PyTorch's defaults (no weight, ignore_index -100, mean, no smoothing). */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, null, -100, Reduction.MEAN, 0);
    }

    /** {@code cross_entropy} with the loss's options ({@code CrossEntropyLoss.options()}; null: defaults). */
    public static Tensor crossEntropy(Tensor input, Tensor target, CrossEntropyOptions o) {
        CrossEntropyOptions v = o == null ? new CrossEntropyOptions() : o;
        return Losses.crossEntropy(input, target, v.weight(), v.ignoreIndex(), v.reduction(), v.labelSmoothing());
    }

    /** {@code multi_margin_loss} with the loss's options ({@code MultiMarginLoss.options()}). */
    public static Tensor multiMarginLoss(Tensor input, Tensor target, MultiMarginOptions o) {
        MultiMarginOptions v = o == null ? new MultiMarginOptions() : o;
        return Losses.multiMarginLoss(input, target, v.p(), v.margin(), v.weight(), v.reduction());
    }

    /** {@code poisson_nll_loss} with the loss's options ({@code PoissonNLLLoss.options()}). */
    public static Tensor poissonNllLoss(Tensor input, Tensor target, PoissonNllOptions o) {
        PoissonNllOptions v = o == null ? new PoissonNllOptions() : o;
        return Losses.poissonNllLoss(input, target, v.logInput(), v.full(), v.eps(), v.reduction());
    }

    /** {@code triplet_margin_loss} with the loss's options ({@code TripletMarginLoss.options()}). */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, TripletMarginOptions o) {
        TripletMarginOptions v = o == null ? new TripletMarginOptions() : o;
        return Losses.tripletMarginLoss(anchor, positive, negative, v.margin(), v.p(), v.eps(), v.swap(),
                v.reduction());
    }

    /** {@code triplet_margin_with_distance_loss} with the loss's options. */
    public static Tensor tripletMarginWithDistanceLoss(Tensor anchor, Tensor positive, Tensor negative,
                                                       TripletMarginWithDistanceOptions o) {
        TripletMarginWithDistanceOptions v = o == null ? new TripletMarginWithDistanceOptions() : o;
        return Losses.tripletMarginWithDistanceLoss(anchor, positive, negative, v.distanceFunction(), v.margin(),
                v.swap(), v.reduction());
    }

    /** {@link Losses#nllLoss}. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction r) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, r);
    }

    /** {@link Losses#poissonNllLoss}. */
    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps,
                                       Reduction r) {
        return Losses.poissonNllLoss(input, target, logInput, full, eps, r);
    }

    /** {@link Losses#gaussianNllLoss}. */
    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var, boolean full, double eps,
                                         Reduction r) {
        return Losses.gaussianNllLoss(input, target, var, full, eps, r);
    }

    /** {@link Losses#klDiv}. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction r, boolean logTarget) {
        return Losses.klDiv(input, target, r, logTarget);
    }

    /** {@link Losses#binaryCrossEntropy}. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction r) {
        return Losses.binaryCrossEntropy(input, target, weight, r);
    }

    /** {@link Losses#binaryCrossEntropyWithLogits}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction r) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, r);
    }

    /** {@link Losses#marginRankingLoss}. */
    public static Tensor marginRankingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction r) {
        return Losses.marginRankingLoss(x1, x2, target, margin, r);
    }

    /** {@link Losses#hingeEmbeddingLoss}. */
    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, Reduction r) {
        return Losses.hingeEmbeddingLoss(input, target, margin, r);
    }

    /** {@link Losses#multilabelMarginLoss}. */
    public static Tensor multilabelMarginLoss(Tensor input, Tensor target, Reduction r) {
        return Losses.multilabelMarginLoss(input, target, r);
    }

    /** {@link Losses#huberLoss}. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction r, double delta) {
        return Losses.huberLoss(input, target, r, delta);
    }

    /** {@link Losses#smoothL1Loss}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction r, double beta) {
        return Losses.smoothL1Loss(input, target, r, beta);
    }

    /** {@link Losses#softMarginLoss}. */
    public static Tensor softMarginLoss(Tensor input, Tensor target, Reduction r) {
        return Losses.softMarginLoss(input, target, r);
    }

    /** {@link Losses#multilabelSoftMarginLoss}. */
    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, Reduction r) {
        return Losses.multilabelSoftMarginLoss(input, target, weight, r);
    }

    /** {@link Losses#cosineEmbeddingLoss}. */
    public static Tensor cosineEmbeddingLoss(Tensor x1, Tensor x2, Tensor target, double margin, Reduction r) {
        return Losses.cosineEmbeddingLoss(x1, x2, target, margin, r);
    }

    /** {@link Losses#multiMarginLoss}. */
    public static Tensor multiMarginLoss(Tensor input, Tensor target, int p, double margin, Tensor weight,
                                         Reduction r) {
        return Losses.multiMarginLoss(input, target, p, margin, weight, r);
    }

    /** {@link Losses#tripletMarginLoss}. */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p,
                                           double eps, boolean swap, Reduction r) {
        return Losses.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, r);
    }

    /** {@link Losses#tripletMarginWithDistanceLoss}. */
    public static Tensor tripletMarginWithDistanceLoss(Tensor anchor, Tensor positive, Tensor negative,
                                                       java.util.function.BinaryOperator<Tensor> distance,
                                                       double margin, boolean swap, Reduction r) {
        return Losses.tripletMarginWithDistanceLoss(anchor, positive, negative, distance, margin, swap, r);
    }

    /** {@link Losses#pairwiseDistance}. */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps) {
        return Losses.pairwiseDistance(x1, x2, p, eps);
    }

    /** {@link Losses#ctcLoss}. */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths,
                                 int blank, Reduction r, boolean zeroInfinity) {
        return Losses.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, r, zeroInfinity);
    }

    // ------------------------------------------------------------------ shapes

    /** Flattens dims startDim..endDim. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        return x.flatten(startDim, endDim);
    }

    /** Casts an integer class-index tensor check: throws unless int64 (targets of NLL and friends). */
    static void requireLong(String op, Tensor target) {
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected target of scalar type Long but found "
                    + target.dtype());
        }
    }

    // ------------------------------------------------------------------ convolution

    /** {@code F.conv1d(input, weight)}: no bias, stride 1, no padding. */
    public static Tensor conv1d(Tensor input, Tensor weight) {
        return conv1d(input, weight, null);
    }

    /** {@code F.conv1d(input, weight, bias)}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.conv(1, input, weight, bias, ONE, ZERO, null, ONE, 1);
    }

    /**
     * {@code F.conv1d} with every argument: input (N, C_in, *) or unbatched (C_in, *), weight (C_out, C_in /
     * groups, *kernel); stride, padding and dilation hold one value or one per spatial dim.
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(1, input, weight, bias, stride, padding, null, dilation, groups);
    }

    /** {@code F.conv1d} with PyTorch's string padding, "same" or "valid". */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(1, input, weight, bias, stride, null, padding, dilation, groups);
    }

    /** {@code F.conv_transpose1d(input, weight)}. */
    public static Tensor convTranspose1d(Tensor input, Tensor weight) {
        return convTranspose1d(input, weight, null);
    }

    /** {@code F.conv_transpose1d(input, weight, bias)}. */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.convTranspose(1, input, weight, bias, ONE, ZERO, ZERO, 1, ONE);
    }

    /**
     * {@code F.conv_transpose1d} with every argument, in PyTorch's order (groups before dilation): weight
     * (C_in, C_out / groups, *kernel).
     */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                          int[] outputPadding, int groups, int[] dilation) {
        return Convolutions.convTranspose(1, input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.conv2d(input, weight)}: no bias, stride 1, no padding. */
    public static Tensor conv2d(Tensor input, Tensor weight) {
        return conv2d(input, weight, null);
    }

    /** {@code F.conv2d(input, weight, bias)}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.conv(2, input, weight, bias, ONE, ZERO, null, ONE, 1);
    }

    /**
     * {@code F.conv2d} with every argument: input (N, C_in, *) or unbatched (C_in, *), weight (C_out, C_in /
     * groups, *kernel); stride, padding and dilation hold one value or one per spatial dim.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(2, input, weight, bias, stride, padding, null, dilation, groups);
    }

    /** {@code F.conv2d} with PyTorch's string padding, "same" or "valid". */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(2, input, weight, bias, stride, null, padding, dilation, groups);
    }

    /** {@code F.conv_transpose2d(input, weight)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight) {
        return convTranspose2d(input, weight, null);
    }

    /** {@code F.conv_transpose2d(input, weight, bias)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.convTranspose(2, input, weight, bias, ONE, ZERO, ZERO, 1, ONE);
    }

    /**
     * {@code F.conv_transpose2d} with every argument, in PyTorch's order (groups before dilation): weight
     * (C_in, C_out / groups, *kernel).
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                          int[] outputPadding, int groups, int[] dilation) {
        return Convolutions.convTranspose(2, input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.conv3d(input, weight)}: no bias, stride 1, no padding. */
    public static Tensor conv3d(Tensor input, Tensor weight) {
        return conv3d(input, weight, null);
    }

    /** {@code F.conv3d(input, weight, bias)}. */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.conv(3, input, weight, bias, ONE, ZERO, null, ONE, 1);
    }

    /**
     * {@code F.conv3d} with every argument: input (N, C_in, *) or unbatched (C_in, *), weight (C_out, C_in /
     * groups, *kernel); stride, padding and dilation hold one value or one per spatial dim.
     */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(3, input, weight, bias, stride, padding, null, dilation, groups);
    }

    /** {@code F.conv3d} with PyTorch's string padding, "same" or "valid". */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding,
                                 int[] dilation, int groups) {
        return Convolutions.conv(3, input, weight, bias, stride, null, padding, dilation, groups);
    }

    /** {@code F.conv_transpose3d(input, weight)}. */
    public static Tensor convTranspose3d(Tensor input, Tensor weight) {
        return convTranspose3d(input, weight, null);
    }

    /** {@code F.conv_transpose3d(input, weight, bias)}. */
    public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias) {
        return Convolutions.convTranspose(3, input, weight, bias, ONE, ZERO, ZERO, 1, ONE);
    }

    /**
     * {@code F.conv_transpose3d} with every argument, in PyTorch's order (groups before dilation): weight
     * (C_in, C_out / groups, *kernel).
     */
    public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                          int[] outputPadding, int groups, int[] dilation) {
        return Convolutions.convTranspose(3, input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /**
     * The output padding that makes a transposed convolution of input produce outputSize (its spatial sizes or
     * the whole shape; null returns defaultPadding), checked against the reachable sizes as
     * {@code _ConvTransposeNd._output_padding} does.
     */
    public static int[] convTransposeOutputPadding(Tensor input, int[] outputSize, int[] stride, int[] padding,
                                                   int[] kernelSize, int[] dilation, int[] defaultPadding) {
        return Convolutions.outputPadding(input, outputSize, stride, padding, kernelSize, dilation, defaultPadding);
    }

    /** {@code F.unfold(input, kernel_size)}: sliding blocks as columns (N, C * prod(kernel), L). */
    public static Tensor unfold(Tensor input, int... kernelSize) {
        return unfold(input, kernelSize, ONE, ZERO, ONE);
    }

    /** {@code F.unfold} with every argument. */
    public static Tensor unfold(Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Convolutions.unfold(input, kernelSize, dilation, padding, stride);
    }

    /** {@code F.fold(input, output_size, kernel_size)}: sums columns back into (N, C, output_size). */
    public static Tensor fold(Tensor input, int[] outputSize, int... kernelSize) {
        return fold(input, outputSize, kernelSize, ONE, ZERO, ONE);
    }

    /** {@code F.fold} with every argument. */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding,
                              int[] stride) {
        return Convolutions.fold(input, outputSize, kernelSize, dilation, padding, stride);
    }


    // ------------------------------------------------------------------ pooling

    /** {@code F.max_pool1d(input, kernel_size)}: stride = kernel_size. */
    public static Tensor maxPool1d(Tensor input, int... kernelSize) {
        return maxPool1d(input, kernelSize, null, ZERO, ONE, false);
    }

    /** {@code F.max_pool1d} with every argument (stride null: the kernel size). */
    public static Tensor maxPool1d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                    boolean ceilMode) {
        return Pooling.maxPool(1, input, kernelSize, stride, padding, dilation, ceilMode, false)[0];
    }

    /** {@code F.max_pool1d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] maxPool1dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
                                                 int[] dilation, boolean ceilMode) {
        return Pooling.maxPool(1, input, kernelSize, stride, padding, dilation, ceilMode, true);
    }

    /** {@code F.avg_pool1d(input, kernel_size)}. */
    public static Tensor avgPool1d(Tensor input, int... kernelSize) {
        return avgPool1d(input, kernelSize, null, ZERO, false, true);
    }

    /** {@code F.avg_pool1d} with every argument (stride null: the kernel size). */
    public static Tensor avgPool1d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return Pooling.avgPool(1, input, kernelSize, stride, padding, ceilMode, countIncludePad, null);
    }

    /** {@code F.adaptive_avg_pool1d}: output size per spatial dim (one value for all; null keeps the input's). */
    public static Tensor adaptiveAvgPool1d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveAvgPool(input, Pooling.adaptiveSize(input, outputSize, 1));
    }

    /** {@code F.adaptive_max_pool1d}. */
    public static Tensor adaptiveMaxPool1d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 1), false)[0];
    }

    /** {@code F.adaptive_max_pool1d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] adaptiveMaxPool1dWithIndices(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 1), true);
    }

    /**
     * {@code F.max_unpool1d}: each value of input written at its index of a zero output (stride null: the
     * kernel size; outputSize null: PyTorch's default size).
     */
    public static Tensor maxUnpool1d(Tensor input, Tensor indices, int[] kernelSize, int[] stride, int[] padding,
                                      int[] outputSize) {
        return Pooling.maxUnpool(1, input, indices, kernelSize, stride, padding, outputSize);
    }

    /** {@code F.max_pool2d(input, kernel_size)}: stride = kernel_size. */
    public static Tensor maxPool2d(Tensor input, int... kernelSize) {
        return maxPool2d(input, kernelSize, null, ZERO, ONE, false);
    }

    /** {@code F.max_pool2d} with every argument (stride null: the kernel size). */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                    boolean ceilMode) {
        return Pooling.maxPool(2, input, kernelSize, stride, padding, dilation, ceilMode, false)[0];
    }

    /** {@code F.max_pool2d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
                                                 int[] dilation, boolean ceilMode) {
        return Pooling.maxPool(2, input, kernelSize, stride, padding, dilation, ceilMode, true);
    }

    /** {@code F.avg_pool2d(input, kernel_size)}. */
    public static Tensor avgPool2d(Tensor input, int... kernelSize) {
        return avgPool2d(input, kernelSize, null, ZERO, false, true, null);
    }

    /** {@code F.avg_pool2d} with every argument (stride null: the kernel size; divisorOverride may be null). */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                    boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool(2, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool2d}: output size per spatial dim (one value for all; null keeps the input's). */
    public static Tensor adaptiveAvgPool2d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveAvgPool(input, Pooling.adaptiveSize(input, outputSize, 2));
    }

    /** {@code F.adaptive_max_pool2d}. */
    public static Tensor adaptiveMaxPool2d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 2), false)[0];
    }

    /** {@code F.adaptive_max_pool2d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] adaptiveMaxPool2dWithIndices(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 2), true);
    }

    /**
     * {@code F.max_unpool2d}: each value of input written at its index of a zero output (stride null: the
     * kernel size; outputSize null: PyTorch's default size).
     */
    public static Tensor maxUnpool2d(Tensor input, Tensor indices, int[] kernelSize, int[] stride, int[] padding,
                                      int[] outputSize) {
        return Pooling.maxUnpool(2, input, indices, kernelSize, stride, padding, outputSize);
    }

    /** {@code F.max_pool3d(input, kernel_size)}: stride = kernel_size. */
    public static Tensor maxPool3d(Tensor input, int... kernelSize) {
        return maxPool3d(input, kernelSize, null, ZERO, ONE, false);
    }

    /** {@code F.max_pool3d} with every argument (stride null: the kernel size). */
    public static Tensor maxPool3d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                    boolean ceilMode) {
        return Pooling.maxPool(3, input, kernelSize, stride, padding, dilation, ceilMode, false)[0];
    }

    /** {@code F.max_pool3d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] maxPool3dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
                                                 int[] dilation, boolean ceilMode) {
        return Pooling.maxPool(3, input, kernelSize, stride, padding, dilation, ceilMode, true);
    }

    /** {@code F.avg_pool3d(input, kernel_size)}. */
    public static Tensor avgPool3d(Tensor input, int... kernelSize) {
        return avgPool3d(input, kernelSize, null, ZERO, false, true, null);
    }

    /** {@code F.avg_pool3d} with every argument (stride null: the kernel size; divisorOverride may be null). */
    public static Tensor avgPool3d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                    boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool(3, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool3d}: output size per spatial dim (one value for all; null keeps the input's). */
    public static Tensor adaptiveAvgPool3d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveAvgPool(input, Pooling.adaptiveSize(input, outputSize, 3));
    }

    /** {@code F.adaptive_max_pool3d}. */
    public static Tensor adaptiveMaxPool3d(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 3), false)[0];
    }

    /** {@code F.adaptive_max_pool3d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] adaptiveMaxPool3dWithIndices(Tensor input, Integer... outputSize) {
        return NnOps.adaptiveMaxPool(input, Pooling.adaptiveSize(input, outputSize, 3), true);
    }

    /**
     * {@code F.max_unpool3d}: each value of input written at its index of a zero output (stride null: the
     * kernel size; outputSize null: PyTorch's default size).
     */
    public static Tensor maxUnpool3d(Tensor input, Tensor indices, int[] kernelSize, int[] stride, int[] padding,
                                      int[] outputSize) {
        return Pooling.maxUnpool(3, input, indices, kernelSize, stride, padding, outputSize);
    }

    /** {@code F.lp_pool1d}: (sum of x^p over each window)^(1/p) (stride null: the kernel size). */
    public static Tensor lpPool1d(Tensor input, double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
        return Pooling.lpPool(1, input, normType, kernelSize, stride, ceilMode);
    }

    /** {@code F.lp_pool2d}: (sum of x^p over each window)^(1/p) (stride null: the kernel size). */
    public static Tensor lpPool2d(Tensor input, double normType, int[] kernelSize, int[] stride, boolean ceilMode) {
        return Pooling.lpPool(2, input, normType, kernelSize, stride, ceilMode);
    }

    /**
     * {@code F.fractional_max_pool2d}: exactly one of outputSize and outputRatio; randomSamples (N, C, 2) or
     * null to draw them from the default generator as PyTorch does.
     */
    public static Tensor fractionalMaxPool2d(Tensor input, int[] kernelSize, int[] outputSize, double[] outputRatio,
                                              Tensor randomSamples) {
        return Pooling.fractionalMaxPool(2, input, kernelSize, outputSize, outputRatio, false, randomSamples)[0];
    }

    /** {@code F.fractional_max_pool2d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] fractionalMaxPool2dWithIndices(Tensor input, int[] kernelSize, int[] outputSize,
                                                           double[] outputRatio, Tensor randomSamples) {
        return Pooling.fractionalMaxPool(2, input, kernelSize, outputSize, outputRatio, true, randomSamples);
    }

    /**
     * {@code F.fractional_max_pool3d}: exactly one of outputSize and outputRatio; randomSamples (N, C, 3) or
     * null to draw them from the default generator as PyTorch does.
     */
    public static Tensor fractionalMaxPool3d(Tensor input, int[] kernelSize, int[] outputSize, double[] outputRatio,
                                              Tensor randomSamples) {
        return Pooling.fractionalMaxPool(3, input, kernelSize, outputSize, outputRatio, false, randomSamples)[0];
    }

    /** {@code F.fractional_max_pool3d(..., return_indices=True)}: {values, indices}. */
    public static Tensor[] fractionalMaxPool3dWithIndices(Tensor input, int[] kernelSize, int[] outputSize,
                                                           double[] outputRatio, Tensor randomSamples) {
        return Pooling.fractionalMaxPool(3, input, kernelSize, outputSize, outputRatio, true, randomSamples);
    }

    // ------------------------------------------------------------------ padding

    /** {@code F.pad(input, pad)}: zeros; pad holds (left, right) pairs from the last dim backwards. */
    public static Tensor pad(Tensor input, int... pad) {
        return Padding.pad(input, pad, PadMode.CONSTANT, null);
    }

    /** {@code F.pad(input, pad, mode)}. */
    public static Tensor pad(Tensor input, int[] pad, PadMode mode) {
        return Padding.pad(input, pad, mode, null);
    }

    /** {@code F.pad(input, pad, mode, value)}: value only for CONSTANT. */
    public static Tensor pad(Tensor input, int[] pad, PadMode mode, double value) {
        return Padding.pad(input, pad, mode, value);
    }

    // ------------------------------------------------------------------ normalization

    /** {@code F.batch_norm(input, running_mean, running_var)}: eval mode, no affine, eps 1e-5. */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar) {
        return batchNorm(input, runningMean, runningVar, null, null, false, 0.1, 1e-5);
    }

    /**
     * {@code F.batch_norm} with every argument: in training (or without running statistics) the batch's
     * statistics normalise and update the given running statistics in place with momentum.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** {@code F.instance_norm(input)}: each (sample, channel) plane normalised by its own statistics. */
    public static Tensor instanceNorm(Tensor input) {
        return instanceNorm(input, null, null, null, null, true, 0.1, 1e-5);
    }

    /** {@code F.instance_norm} with every argument. */
    public static Tensor instanceNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                      boolean useInputStats, double momentum, double eps) {
        return Normalization.instanceNorm(input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    /** {@code F.layer_norm(input, normalized_shape)}: eps 1e-5, no affine. */
    public static Tensor layerNorm(Tensor input, int... normalizedShape) {
        return layerNorm(input, normalizedShape, null, null, 1e-5);
    }

    /** {@code F.layer_norm} with every argument (weight and bias of normalizedShape, or null). */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /** {@code F.group_norm(input, num_groups)}: eps 1e-5, no affine. */
    public static Tensor groupNorm(Tensor input, int numGroups) {
        return groupNorm(input, numGroups, null, null, 1e-5);
    }

    /** {@code F.group_norm} with every argument (weight and bias (C), or null). */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    /**
     * {@code F.rms_norm}: {@code x / sqrt(mean(x^2 over normalizedShape) + eps) * weight}; eps null is the
     * dtype's machine epsilon; weight may be null.
     */
    public static Tensor rmsNorm(Tensor input, int[] normalizedShape, Tensor weight, Double eps) {
        return Normalization.rmsNorm(input, normalizedShape, weight, eps);
    }

    /** {@code F.local_response_norm(input, size)}: alpha 1e-4, beta 0.75, k 1. */
    public static Tensor localResponseNorm(Tensor input, int size) {
        return localResponseNorm(input, size, 1e-4, 0.75, 1.0);
    }

    /** {@code F.local_response_norm} with every argument. */
    public static Tensor localResponseNorm(Tensor input, int size, double alpha, double beta, double k) {
        return Normalization.localResponseNorm(input, size, alpha, beta, k);
    }

    /** {@code F.normalize(input)}: unit L2 norm along dim 1. */
    public static Tensor normalize(Tensor input) {
        return normalize(input, 2, 1, 1e-12);
    }

    /** {@code F.normalize(input, p, dim, eps)}: {@code x / max(||x||_p, eps)} along dim. */
    public static Tensor normalize(Tensor input, double p, int dim, double eps) {
        return Normalization.normalize(input, p, dim, eps);
    }

    // ------------------------------------------------------------------ sparse and distance

    /** {@code F.embedding(input, weight)}: rows of weight at the int64 indices. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return embedding(input, weight, null, null, 2, false, false);
    }

    /**
     * {@code F.embedding} with every argument: paddingIdx (may be negative, null for none) gets no gradient;
     * maxNorm (null for none) renormalises the looked-up rows of weight in place; sparse must be false.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Long paddingIdx, Double maxNorm, double normType,
                                   boolean scaleGradByFreq, boolean sparse) {
        return Sparse.embedding(input, weight, paddingIdx, maxNorm, normType, scaleGradByFreq, sparse);
    }

    /** {@code F.embedding_bag(input, weight, offsets)}: means of the bags. */
    public static Tensor embeddingBag(Tensor input, Tensor weight, Tensor offsets) {
        return embeddingBag(input, weight, offsets, null, 2, false, EmbeddingBagMode.MEAN, false, null, false, null);
    }

    /** {@code F.embedding_bag} with every argument, in PyTorch's order. */
    public static Tensor embeddingBag(Tensor input, Tensor weight, Tensor offsets, Double maxNorm, double normType,
                                      boolean scaleGradByFreq, EmbeddingBagMode mode, boolean sparse,
                                      Tensor perSampleWeights, boolean includeLastOffset, Long paddingIdx) {
        return Sparse.embeddingBag(input, weight, offsets, maxNorm, normType, scaleGradByFreq, mode, sparse,
                perSampleWeights, includeLastOffset, paddingIdx);
    }

    /** {@code F.one_hot(tensor)}: as many classes as the largest index + 1. */
    public static Tensor oneHot(Tensor tensor) {
        return Sparse.oneHot(tensor, -1);
    }

    /** {@code F.one_hot(tensor, num_classes)}: int64 (*, numClasses). */
    public static Tensor oneHot(Tensor tensor, int numClasses) {
        return Sparse.oneHot(tensor, numClasses);
    }

    /** {@code F.cosine_similarity(x1, x2)}: along dim 1, eps 1e-8. */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2) {
        return cosineSimilarity(x1, x2, 1, 1e-8);
    }

    /** {@code F.cosine_similarity(x1, x2, dim, eps)} (inputs broadcast). */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        return Sparse.cosineSimilarity(x1, x2, dim, eps);
    }


    // ------------------------------------------------------------------ vision

    /** {@code F.pixel_shuffle}: (*, C r^2, H, W) to (*, C, H r, W r). */
    public static Tensor pixelShuffle(Tensor input, int upscaleFactor) {
        return Vision.pixelShuffle(input, upscaleFactor);
    }

    /** {@code F.pixel_unshuffle}: (*, C, H r, W r) to (*, C r^2, H, W). */
    public static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) {
        return Vision.pixelUnshuffle(input, downscaleFactor);
    }

    /** {@code F.channel_shuffle}: (N, g c, *) with the groups interleaved. */
    public static Tensor channelShuffle(Tensor input, int groups) {
        return Vision.channelShuffle(input, groups);
    }

    /**
     * {@code F.interpolate} with every argument: exactly one of size and scaleFactor (one value or one per
     * spatial dim); alignCorners and recomputeScaleFactor may be null (PyTorch's None).
     */
    public static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, InterpolationMode mode,
                                     Boolean alignCorners, Boolean recomputeScaleFactor) {
        return Vision.interpolate(input, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    /** {@code F.interpolate(input, size=size, mode=mode)}. */
    public static Tensor interpolate(Tensor input, int[] size, InterpolationMode mode) {
        return interpolate(input, size, null, mode, null, null);
    }

    /** {@code F.interpolate(input, scale_factor=scaleFactor, mode=mode)}. */
    public static Tensor interpolate(Tensor input, double scaleFactor, InterpolationMode mode) {
        return interpolate(input, null, new double[] {scaleFactor}, mode, null, null);
    }

    /** {@code F.upsample_nearest}: nearest interpolation to size or by scaleFactor (one of them null). */
    public static Tensor upsampleNearest(Tensor input, int[] size, double[] scaleFactor) {
        return interpolate(input, size, scaleFactor, InterpolationMode.NEAREST, null, null);
    }

    /** {@code F.upsample_bilinear}: bilinear interpolation with align_corners=True. */
    public static Tensor upsampleBilinear(Tensor input, int[] size, double[] scaleFactor) {
        return interpolate(input, size, scaleFactor, InterpolationMode.BILINEAR, true, null);
    }

    /** {@code F.grid_sample(input, grid)}: bilinear, zeros padding, align_corners=False. */
    public static Tensor gridSample(Tensor input, Tensor grid) {
        return gridSample(input, grid, GridSampleMode.BILINEAR, GridSamplePadding.ZEROS, false);
    }

    /**
     * {@code F.grid_sample} with every argument: input (N, C, H, W) with grid (N, H_out, W_out, 2), or (N, C, D,
     * H, W) with grid (N, D_out, H_out, W_out, 3), grid values in [-1, 1] (x first).
     */
    public static Tensor gridSample(Tensor input, Tensor grid, GridSampleMode mode, GridSamplePadding paddingMode,
                                    boolean alignCorners) {
        return Vision.gridSample(input, grid, mode, paddingMode, alignCorners);
    }

    /** {@code F.affine_grid}: theta (N, 2, 3) for size (N, C, H, W), or (N, 3, 4) for (N, C, D, H, W). */
    public static Tensor affineGrid(Tensor theta, int[] size, boolean alignCorners) {
        return Vision.affineGrid(theta, size, alignCorners);
    }

    // ------------------------------------------------------------------ attention

    /** {@code F.scaled_dot_product_attention(query, key, value)}: no mask, no dropout, scale 1 / sqrt(E). */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
        return Attention.scaledDotProductAttention(query, key, value, null, 0, false, null);
    }

    /** {@code F.scaled_dot_product_attention(query, key, value, attn_mask)}. */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, 0, false, null);
    }

    /** {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal)}; scale 1/sqrt(E). */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask,
                                                   double dropoutP, boolean isCausal) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, null);
    }

    /**
     * {@code F.scaled_dot_product_attention} (PyTorch 2): {@code softmax(query key^T * scale + mask) value}, computed
     * as one fused op (FlashAttention-2's key tiles with an online softmax: no (L, S) matrix in inference; the
     * backward recomputes the probabilities from each query row's log-sum-exp).
     *
     * <p>Args: {@code query}, {@code key}, {@code value}; {@code attnMask} (null for none) broadcastable to (N...,
     * L, S): bool, true where a position takes part, or float (float32 or the query's dtype), added to the scores
     * and differentiable; {@code dropoutP} the probability of dropping an attention weight, applied whenever it
     * is positive (PyTorch has no training flag here: pass 0 in evaluation), with the keep mask {@link #dropout}
     * would draw on the weights (same generator, same order); {@code isCausal} masks key j &gt; query i (top-left
     * aligned, as {@code torch.ones(L, S).tril()}; an error together with a mask); {@code scale} null for 1 /
     * sqrt(E). A query row that attends to nothing (all scores -inf) gives zeros and no gradient (PyTorch 2.5+).
     *
     * <p>Shape: query (N..., L, E), key (N..., S, E), value (N..., S, Ev), output (N..., L, Ev); the batch
     * dims N... (any number, also none) broadcast. float32, float64, and float16/bfloat16 computed in float32.
     *
     * <p>Example:
     * <pre>{@code
     * Tensor q = Torch.randn(2, 8, 128, 64), k = Torch.randn(2, 8, 128, 64), v = Torch.randn(2, 8, 128, 64);
     * Tensor y = F.scaledDotProductAttention(q, k, v, null, 0.0, true, null);   // causal, (2, 8, 128, 64)
     * }</pre>
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask,
                                                   double dropoutP, boolean isCausal, Double scale) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, scale);
    }

    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};
}
