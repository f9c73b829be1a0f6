package dev.jtorch.nn.init;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.internal.Numel;
import dev.jtorch.nn.internal.InitDraws;

/**
 * {@code torch.nn.init}: in-place initialisers, with PyTorch's formulas and its order of random draws, so
 * that after the same {@code manualSeed} a layer gets PyTorch's initial values. All run without recording
 * a graph and return the tensor.
 *
 * <p>Example: {@code Init.kaimingUniform_(linear.weight, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu");}
 */
public final class Init {
    private Init() {
    }

    /** Which fan {@link #kaimingUniform_} and {@link #kaimingNormal_} scale by. */
    public enum FanMode {
        /** Preserve the variance of activations (forward pass). */
        FAN_IN,
        /** Preserve the variance of gradients (backward pass). */
        FAN_OUT
    }

    /**
     * The recommended gain for a nonlinearity ({@code calculate_gain}): linear, conv*, sigmoid 1; tanh 5/3;
     * relu sqrt(2); leaky_relu sqrt(2 / (1 + slope^2)) (slope default 0.01); selu 3/4.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid" -> {
                return 1;
            }
            case "tanh" -> {
                return 5.0 / 3;
            }
            case "relu" -> {
                return Math.sqrt(2.0);
            }
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> {
                return 3.0 / 4;
            }
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@code calculateGain(nonlinearity, null)}. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** {fanIn, fanOut} of a weight of at least 2 dims (receptive field included). */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions");
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) {
            receptive *= t.size(d);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** Uniform in [a, b). */
    public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
        if (g == null && InitDraws.skipping()) {
            return t;   // a module built as a copy of another (nn internal): no draws, values overwritten
        }
        try (var _ = Autograd.noGrad()) {
            return t.uniform_(a, b, g);
        }
    }

    /** Uniform in [a, b) from the global generator. */
    public static Tensor uniform_(Tensor t, double a, double b) {
        return uniform_(t, a, b, null);
    }

    /** Normal(mean, std). */
    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        if (g == null && InitDraws.skipping()) {
            return t;   // as uniform_
        }
        try (var _ = Autograd.noGrad()) {
            return t.normal_(mean, std, g);
        }
    }

    /** Normal(mean, std) from the global generator. */
    public static Tensor normal_(Tensor t, double mean, double std) {
        return normal_(t, mean, std, null);
    }

    /** Every element {@code value}. */
    public static Tensor constant_(Tensor t, double value) {
        try (var _ = Autograd.noGrad()) {
            return t.fill_(value);
        }
    }

    /** Ones. */
    public static Tensor ones_(Tensor t) {
        return constant_(t, 1);
    }

    /** Zeros. */
    public static Tensor zeros_(Tensor t) {
        return constant_(t, 0);
    }

    /** The identity of a 2-D tensor. */
    public static Tensor eye_(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("Only tensors with 2 dimensions are supported");
        }
        try (var _ = Autograd.noGrad()) {
            return t.copy_(Torch.eye(t.size(0), t.size(1), t.dtype()));
        }
    }

    /** The Dirac delta of a 3-, 4- or 5-D convolution weight, in {@code groups} groups. */
    public static Tensor dirac_(Tensor t, int groups) {
        int d = t.dim();
        if (d < 3 || d > 5) {
            throw new IllegalArgumentException("Only tensors with 3, 4, or 5 dimensions are supported");
        }
        int[] s = t.shape();
        if (s[0] % groups != 0) {
            throw new IllegalArgumentException("dim 0 must be divisible by groups");
        }
        int outPerGroup = s[0] / groups;
        int minDim = Math.min(outPerGroup, s[1]);
        try (var _ = Autograd.noGrad()) {
            t.zero_();
            for (int g = 0; g < groups; g++) {
                for (int k = 0; k < minDim; k++) {
                    Tensor e = t.select(0, g * outPerGroup + k).select(0, k);
                    for (int q = 2; q < d; q++) {
                        e = e.select(0, s[q] / 2);
                    }
                    e.fill_(1);
                }
            }
        }
        return t;
    }

    /** Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        int[] f = calculateFanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a);
    }

    /** Glorot normal: N(0, gain^2 * 2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        int[] f = calculateFanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        return normal_(t, 0, std);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, String nonlinearity) {
        int[] f = calculateFanInAndFanOut(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("Initializing zero-element tensors is a no-op");
        }
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** He uniform: U(-b, b) with b = gain * sqrt(3 / fan) ({@code kaiming_uniform_}). */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        if (t.numel() == 0) {
            return t;
        }
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound);
    }

    /** He normal: N(0, gain^2 / fan) ({@code kaiming_normal_}). */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        if (t.numel() == 0) {
            return t;
        }
        return normal_(t, 0, kaimingStd(t, a, mode, nonlinearity));
    }

    /**
     * Normal(mean, std) truncated to [a, b], by PyTorch's inverse-CDF method (uniform draws mapped through
     * erfinv).
     */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b) {
        double l = normCdf((a - mean) / std);
        double u = normCdf((b - mean) / std);
        try (var _ = Autograd.noGrad()) {
            t.uniform_(2 * l - 1, 2 * u - 1);
            double[] v = t.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                double x = erfinv(t.dtype() == DType.FLOAT64 ? v[i] : (float) v[i]);
                if (t.dtype() != DType.FLOAT64) {
                    x = (float) x;
                    x = (float) (x * (float) (std * Math.sqrt(2.0))) + (float) mean;
                } else {
                    x = x * (std * Math.sqrt(2.0)) + mean;
                }
                v[i] = Math.min(Math.max(x, a), b);
            }
            return t.copy_(Torch.tensor(v).reshape(t.shape()));
        }
    }

    private static double normCdf(double x) {
        double[] e = {x / Math.sqrt(2.0)};
        return (1.0 + erf(e[0])) / 2.0;
    }

    static double erf(double x) {
        Tensor r = Torch.tensor(new double[] {x}).erf();
        return r.item();
    }

    /** Inverse error function in double: a rational first guess refined by Newton steps on erf. */
    static double erfinv(double y) {
        if (y <= -1) {
            return y == -1 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        if (y >= 1) {
            return y == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        double w = -Math.log((1.0 - y) * (1.0 + y));
        double x;
        if (w < 5.0) {
            w -= 2.5;
            double p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
            x = p * y;
        } else {
            w = Math.sqrt(w) - 3.0;
            double p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
            x = p * y;
        }
        for (int i = 0; i < 2; i++) {
            double err = erf(x) - y;
            x -= err / (2.0 / Math.sqrt(Math.PI) * Math.exp(-x * x));
        }
        return x;
    }

    /**
     * A (semi-)orthogonal matrix scaled by gain, by PyTorch's method: a normal matrix, its QR decomposition
     * (Householder, in double), Q's columns signed by R's diagonal.
     */
    public static Tensor orthogonal_(Tensor t, double gain) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported");
        }
        if (t.numel() == 0) {
            return t;
        }
        int rows = t.size(0);
        int cols = Numel.of(t) / rows;
        try (var _ = Autograd.noGrad()) {
            Tensor flat = t.newEmpty(t.dtype(), rows, cols).normal_(0, 1);
            if (rows < cols) {
                flat = flat.t();
            }
            int m = flat.size(0);
            int n = flat.size(1);
            double[] q = Householder.orthonormalColumns(flat.contiguous().toDoubleArray(), m, n);
            Tensor qt = Torch.tensor(q, m, n);
            if (rows < cols) {
                qt = qt.t();
            }
            t.copy_(qt.contiguous().view(t.shape()).to(t.dtype()));
            t.mul_(gain);
        }
        return t;
    }

    /**
     * A 2-D tensor with N(0, std) entries and a fraction {@code sparsity} of each column zeroed
     * ({@code sparse_}); rows chosen by {@link Torch#randperm}.
     */
    public static Tensor sparse_(Tensor t, double sparsity, double std) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("Only tensors with 2 dimensions are supported");
        }
        int rows = t.size(0);
        int cols = t.size(1);
        int zeros = (int) Math.ceil(sparsity * rows);
        try (var _ = Autograd.noGrad()) {
            t.normal_(0, std);
            for (int c = 0; c < cols; c++) {
                long[] perm = Torch.randperm(rows).toLongArray();
                for (int i = 0; i < zeros; i++) {
                    t.select(1, c).select(0, (int) perm[i]).fill_(0);
                }
            }
        }
        return t;
    }
}
