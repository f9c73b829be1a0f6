package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;

/**
 * The elementwise math API of {@link Tensor}, kept apart from the tensor's state by topic: users call these methods on
 * a
 * Tensor (the only subclass), and each body delegates to the ops class that implements it.
 */
abstract class TensorMath {
    /** The tensor itself. */
    abstract Tensor self();

    // ---------------------------------------------------------------- elementwise math

    /** {@code this + other}. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.binary(Op.ADD, self(), other, 1);
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return ElementwiseOps.binary(Op.ADD, self(), other, alpha);
    }

    /** {@code this + s}. */
    public Tensor add(double s) {
        return ElementwiseOps.binary(Op.ADD, self(), Torch.scalar(s), 1);
    }

    /** {@code this + s} with an integer scalar (keeps int64). */
    public Tensor add(long s) {
        return ElementwiseOps.binary(Op.ADD, self(), Torch.scalar(s), 1);
    }

    /** {@code this - other}. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.binary(Op.SUB, self(), other, 1);
    }

    /** {@code this - alpha * other}. */
    public Tensor sub(Tensor other, double alpha) {
        return ElementwiseOps.binary(Op.SUB, self(), other, alpha);
    }

    /** {@code this - s}. */
    public Tensor sub(double s) {
        return ElementwiseOps.binary(Op.SUB, self(), Torch.scalar(s), 1);
    }

    /** {@code this - s} with an integer scalar. */
    public Tensor sub(long s) {
        return ElementwiseOps.binary(Op.SUB, self(), Torch.scalar(s), 1);
    }

    /** {@code s - this} ({@code torch.rsub}). */
    public Tensor rsub(double s) {
        return ElementwiseOps.binary(Op.SUB, Torch.scalar(s), self(), 1);
    }

    /** {@code this * other}. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.binary(Op.MUL, self(), other, 1);
    }

    /** {@code this * s}. */
    public Tensor mul(double s) {
        return ElementwiseOps.binary(Op.MUL, self(), Torch.scalar(s), 1);
    }

    /** {@code this * s} with an integer scalar. */
    public Tensor mul(long s) {
        return ElementwiseOps.binary(Op.MUL, self(), Torch.scalar(s), 1);
    }

    /** {@code this / other} (true division: integers give float32). */
    public Tensor div(Tensor other) {
        return ElementwiseOps.binary(Op.DIV, self(), other, 1);
    }

    /** {@code this / s}. */
    public Tensor div(double s) {
        return ElementwiseOps.binary(Op.DIV, self(), Torch.scalar(s), 1);
    }

    /** {@code this ** other}. */
    public Tensor pow(Tensor other) {
        return ElementwiseOps.binary(Op.POW, self(), other, 1);
    }

    /** {@code this ** exponent}. */
    public Tensor pow(double exponent) {
        return ElementwiseOps.powScalar(self(), exponent);
    }

    /** Elementwise maximum, propagating NaN. */
    public Tensor maximum(Tensor other) {
        return ElementwiseOps.binary(Op.MAXIMUM, self(), other, 1);
    }

    /** Elementwise minimum, propagating NaN. */
    public Tensor minimum(Tensor other) {
        return ElementwiseOps.binary(Op.MINIMUM, self(), other, 1);
    }

    /** In-place {@code this += other}. */
    public Tensor add_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.ADD, self(), other, 1);
    }

    /** In-place {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) {
        return ElementwiseOps.binaryInplace(Op.ADD, self(), other, alpha);
    }

    /** In-place {@code this += s}. */
    public Tensor add_(double s) {
        return ElementwiseOps.binaryInplace(Op.ADD, self(), Torch.scalar(s), 1);
    }

    /** In-place {@code this += s} with an integer (keeps an int64 tensor int64, as Python's int does). */
    public Tensor add_(long s) {
        return ElementwiseOps.binaryInplace(Op.ADD, self(), Torch.scalar(s), 1);
    }

    /** In-place {@code this -= other}. */
    public Tensor sub_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.SUB, self(), other, 1);
    }

    /** In-place {@code this -= s}. */
    public Tensor sub_(double s) {
        return ElementwiseOps.binaryInplace(Op.SUB, self(), Torch.scalar(s), 1);
    }

    /** In-place {@code this *= other}. */
    public Tensor mul_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.MUL, self(), other, 1);
    }

    /** In-place {@code this *= s}. */
    public Tensor mul_(double s) {
        return ElementwiseOps.binaryInplace(Op.MUL, self(), Torch.scalar(s), 1);
    }

    /** In-place {@code this /= other}. */
    public Tensor div_(Tensor other) {
        return ElementwiseOps.binaryInplace(Op.DIV, self(), other, 1);
    }

    /** In-place {@code this /= s}. */
    public Tensor div_(double s) {
        return ElementwiseOps.binaryInplace(Op.DIV, self(), Torch.scalar(s), 1);
    }

    /** In-place {@code this **= s}. */
    public Tensor pow_(double s) {
        return ElementwiseOps.inplace(self(), "pow_", t -> t.pow(s));
    }

    /** In-place clamp. */
    public Tensor clamp_(double min, double max) {
        return ElementwiseOps.inplace(self(), "clamp_", t -> t.clamp(min, max));
    }

    /** In-place {@link #clampMin}. */
    public Tensor clampMin_(double min) {
        return clamp_(min, Double.NaN);
    }

    /** In-place {@link #clampMax}. */
    public Tensor clampMax_(double max) {
        return clamp_(Double.NaN, max);
    }

    /** In-place {@link #neg}. */
    public Tensor neg_() {
        return ElementwiseOps.inplace(self(), "neg_", Tensor::neg);
    }

    /** In-place {@link #abs}. */
    public Tensor abs_() {
        return ElementwiseOps.inplace(self(), "abs_", Tensor::abs);
    }

    /** In-place {@link #exp}. */
    public Tensor exp_() {
        return ElementwiseOps.inplace(self(), "exp_", Tensor::exp);
    }

    /** In-place {@link #log}. */
    public Tensor log_() {
        return ElementwiseOps.inplace(self(), "log_", Tensor::log);
    }

    /** In-place {@link #sqrt}. */
    public Tensor sqrt_() {
        return ElementwiseOps.inplace(self(), "sqrt_", Tensor::sqrt);
    }

    /** In-place {@link #reciprocal}. */
    public Tensor reciprocal_() {
        return ElementwiseOps.inplace(self(), "reciprocal_", Tensor::reciprocal);
    }

    /** In-place {@link #sin}. */
    public Tensor sin_() {
        return ElementwiseOps.inplace(self(), "sin_", Tensor::sin);
    }

    /** In-place {@link #cos}. */
    public Tensor cos_() {
        return ElementwiseOps.inplace(self(), "cos_", Tensor::cos);
    }

    /** In-place {@link #tanh}. */
    public Tensor tanh_() {
        return ElementwiseOps.inplace(self(), "tanh_", Tensor::tanh);
    }

    /** In-place {@link #sigmoid}. */
    public Tensor sigmoid_() {
        return ElementwiseOps.inplace(self(), "sigmoid_", Tensor::sigmoid);
    }

    /** In-place {@link #relu}. */
    public Tensor relu_() {
        return ElementwiseOps.inplace(self(), "relu_", Tensor::relu);
    }

    /** In-place {@link #floor}. */
    public Tensor floor_() {
        return ElementwiseOps.inplace(self(), "floor_", Tensor::floor);
    }

    /** In-place {@link #round}. */
    public Tensor round_() {
        return ElementwiseOps.inplace(self(), "round_", Tensor::round);
    }

    /** Fills with uniform values in [from, to) from {@code generator} (null: the global one). */
    public Tensor uniform_(double from, double to, Generator generator) {
        self().checkInplace();
        return Torch.uniform_(self(), from, to, generator);
    }

    /** {@code uniform_(from, to)} from the global generator. */
    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, null);
    }

    /** Fills with normal values from {@code generator} (null: the global one). */
    public Tensor normal_(double mean, double std, Generator generator) {
        self().checkInplace();
        return Torch.normal_(self(), mean, std, generator);
    }

    /** {@code normal_(mean, std)} from the global generator. */
    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, null);
    }

    /** Fills with 1 (probability p) or 0, as PyTorch's bernoulli_(p): uniform double draw &lt; p. */
    public Tensor bernoulli_(double p, Generator generator) {
        self().checkInplace();
        return Torch.bernoulli_(self(), p, generator);
    }

    /** {@code bernoulli_(p)} from the global generator. */
    public Tensor bernoulli_(double p) {
        return bernoulli_(p, null);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return ElementwiseOps.unary(Op.NEG, self(), 0, 0);
    }

    /** {@code |this|}. */
    public Tensor abs() {
        return ElementwiseOps.unary(Op.ABS, self(), 0, 0);
    }

    /** -1, 0 or 1 by sign. */
    public Tensor sign() {
        return ElementwiseOps.unary(Op.SIGN, self(), 0, 0);
    }

    /** e^x. */
    public Tensor exp() {
        return ElementwiseOps.unary(Op.EXP, self(), 0, 0);
    }

    /** e^x - 1. */
    public Tensor expm1() {
        return ElementwiseOps.unary(Op.EXPM1, self(), 0, 0);
    }

    /** Natural log. */
    public Tensor log() {
        return ElementwiseOps.unary(Op.LOG, self(), 0, 0);
    }

    /** ln(1 + x). */
    public Tensor log1p() {
        return ElementwiseOps.unary(Op.LOG1P, self(), 0, 0);
    }

    /** Square root. */
    public Tensor sqrt() {
        return ElementwiseOps.unary(Op.SQRT, self(), 0, 0);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return ElementwiseOps.unary(Op.RSQRT, self(), 0, 0);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return ElementwiseOps.unary(Op.RECIPROCAL, self(), 0, 0);
    }

    /** x * x. */
    public Tensor square() {
        return mul(self());
    }

    /** Sine. */
    public Tensor sin() {
        return ElementwiseOps.unary(Op.SIN, self(), 0, 0);
    }

    /** Cosine. */
    public Tensor cos() {
        return ElementwiseOps.unary(Op.COS, self(), 0, 0);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return ElementwiseOps.unary(Op.TANH, self(), 0, 0);
    }

    /** Logistic sigmoid. */
    public Tensor sigmoid() {
        return ElementwiseOps.unary(Op.SIGMOID, self(), 0, 0);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return ElementwiseOps.unary(Op.RELU, self(), 0, 0);
    }

    /** x for x &gt; 0, slope * x otherwise. */
    public Tensor leakyRelu(double negativeSlope) {
        return ElementwiseOps.unary(Op.LEAKY_RELU, self(), negativeSlope, 0);
    }

    /** Gauss error function. */
    public Tensor erf() {
        return ElementwiseOps.unary(Op.ERF, self(), 0, 0);
    }

    /** GELU, exact ({@code approximate="none"}) or tanh approximation. */
    public Tensor gelu(boolean tanhApproximation) {
        return ElementwiseOps.unary(tanhApproximation ? Op.GELU_TANH : Op.GELU, self(), 0, 0);
    }

    /** {@code log(1 + exp(beta x)) / beta}, linear above {@code threshold}. */
    public Tensor softplus(double beta, double threshold) {
        return ElementwiseOps.unary(Op.SOFTPLUS, self(), beta, threshold);
    }

    /** Rounds down. */
    public Tensor floor() {
        return ElementwiseOps.unary(Op.FLOOR, self(), 0, 0);
    }

    /** Rounds up. */
    public Tensor ceil() {
        return ElementwiseOps.unary(Op.CEIL, self(), 0, 0);
    }

    /** Rounds half to even. */
    public Tensor round() {
        return ElementwiseOps.unary(Op.ROUND, self(), 0, 0);
    }

    /** Rounds toward zero. */
    public Tensor trunc() {
        return ElementwiseOps.unary(Op.TRUNC, self(), 0, 0);
    }

    /** Clamps into [min, max]; NaN for no bound. */
    public Tensor clamp(double min, double max) {
        return ElementwiseOps.clamp(self(), min, max);
    }

    /** {@code clamp(min, NaN)}. */
    public Tensor clampMin(double min) {
        return clamp(min, Double.NaN);
    }

    /** {@code clamp(NaN, max)}. */
    public Tensor clampMax(double max) {
        return clamp(Double.NaN, max);
    }

    /** Logical not (bool result). */
    public Tensor logicalNot() {
        return ElementwiseOps.unary(Op.LOGICAL_NOT, self(), 0, 0);
    }

    /** True where NaN. */
    public Tensor isnan() {
        return ElementwiseOps.unary(Op.ISNAN, self(), 0, 0);
    }

    /** Logical and (bool result). */
    public Tensor logicalAnd(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_AND, self(), other, 1);
    }

    /** Logical or (bool result). */
    public Tensor logicalOr(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_OR, self(), other, 1);
    }

    /** Logical xor (bool result). */
    public Tensor logicalXor(Tensor other) {
        return ElementwiseOps.binary(Op.LOGICAL_XOR, self(), other, 1);
    }

    /** {@code this == other} (bool). */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.binary(Op.EQ, self(), other, 1);
    }

    /** {@code this == s} (bool). */
    public Tensor eq(double s) {
        return ElementwiseOps.binary(Op.EQ, self(), Torch.scalar(s), 1);
    }

    /** {@code this != other} (bool). */
    public Tensor ne(Tensor other) {
        return ElementwiseOps.binary(Op.NE, self(), other, 1);
    }

    /** {@code this != s} (bool). */
    public Tensor ne(double s) {
        return ElementwiseOps.binary(Op.NE, self(), Torch.scalar(s), 1);
    }

    /** {@code this < other} (bool). */
    public Tensor lt(Tensor other) {
        return ElementwiseOps.binary(Op.LT, self(), other, 1);
    }

    /** {@code this < s} (bool). */
    public Tensor lt(double s) {
        return ElementwiseOps.binary(Op.LT, self(), Torch.scalar(s), 1);
    }

    /** {@code this <= other} (bool). */
    public Tensor le(Tensor other) {
        return ElementwiseOps.binary(Op.LE, self(), other, 1);
    }

    /** {@code this <= s} (bool). */
    public Tensor le(double s) {
        return ElementwiseOps.binary(Op.LE, self(), Torch.scalar(s), 1);
    }

    /** {@code this > other} (bool). */
    public Tensor gt(Tensor other) {
        return ElementwiseOps.binary(Op.GT, self(), other, 1);
    }

    /** {@code this > s} (bool). */
    public Tensor gt(double s) {
        return ElementwiseOps.binary(Op.GT, self(), Torch.scalar(s), 1);
    }

    /** {@code this >= other} (bool). */
    public Tensor ge(Tensor other) {
        return ElementwiseOps.binary(Op.GE, self(), other, 1);
    }

    /** {@code this >= s} (bool). */
    public Tensor ge(double s) {
        return ElementwiseOps.binary(Op.GE, self(), Torch.scalar(s), 1);
    }

    /** True when shapes match and every element is equal ({@code torch.equal}). */
    public boolean equal(Tensor other) {
        return java.util.Arrays.equals(self().shape, other.shape)
                && (self().numel() == 0 || eq(other).all().item() != 0);
    }

    /** {@code |this - other| <= atol + rtol |other|} everywhere (NaN unequal), as torch.allclose. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        try (var _ = Autograd.noGrad()) {
            Tensor a = self().to(DType.FLOAT64);
            Tensor b = other.to(DType.FLOAT64);
            return a.sub(b).abs().le(b.abs().mul(rtol).add(atol)).all().item() != 0;
        }
    }

}
