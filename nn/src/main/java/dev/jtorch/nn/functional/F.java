package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;

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
            int rows = input.numel() / Math.max(1, input.size(-1));
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x"
                    + input.size(-1) + " and " + weight.size(1) + "x" + weight.size(0) + ")");
        }
        if (input.dim() == 2 && bias != null) {
            return bias.addmm(input, weight.t());
        }
        Tensor y = input.matmul(weight.t());
        return bias == null ? y : y.add(bias);
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
        Tensor n = Torch.tensor(noise).reshape(x.shape()).to(x.dtype());
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
        try (var g = Autograd.noGrad()) {
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
        try (var g = Autograd.noGrad()) {
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
}
