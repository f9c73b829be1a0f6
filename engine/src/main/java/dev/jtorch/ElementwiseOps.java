package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Op;

import java.util.Arrays;

/**
 * Elementwise ops on tensors: dtype promotion, broadcasting, device checks, output allocation, the backend
 * call, and the backward rule of each op (kept together here, one case per op).
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    // ------------------------------------------------------------ dtype and device rules

    static void checkDevices(Tensor a, Tensor b) {
        if (!a.wrappedNumber && !b.wrappedNumber && !a.device().equals(b.device())) {
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least"
                    + " two devices, " + a.device() + " and " + b.device() + "!");
        }
    }

    private static DType participant(Tensor t) {
        if (t.wrappedNumber) {
            return t.dtype.isFloatingPoint() ? DType.FLOAT32 : t.dtype;
        }
        return t.dtype;
    }

    private static DType promote(DType a, DType b) {
        return a == null ? b : b == null ? a : DType.promoteTypes(a, b);
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null || higher.isFloatingPoint()) {
            return higher;
        }
        if (higher == DType.BOOL || lower.isFloatingPoint()) {
            return DType.promoteTypes(higher, lower);
        }
        return higher;
    }

    /** {@code torch.result_type}: dimensioned tensors, then 0-dim tensors, then Java numbers. */
    static DType resultType(Tensor... ts) {
        DType dimR = null;
        DType zeroR = null;
        DType wrapR = null;
        for (Tensor t : ts) {
            if (t.wrappedNumber) {
                wrapR = promote(wrapR, participant(t));
            } else if (t.dim() == 0) {
                zeroR = promote(zeroR, t.dtype);
            } else {
                dimR = promote(dimR, t.dtype);
            }
        }
        return combine(dimR, combine(zeroR, wrapR));
    }

    static boolean canCast(DType from, DType to) {
        return from.category() <= to.category();
    }

    private static String typeWord(DType d) {
        return switch (d) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case INT64 -> "Long";
            case BOOL -> "Bool";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
        };
    }

    /** A view of t broadcast to shape (stride 0 on new or size-1 dims), outside autograd. */
    static Tensor broadcastView(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape, shape)) {
            return t;
        }
        int n = shape.length;
        int[] st = new int[n];
        for (int i = 0; i < n; i++) {
            int j = t.shape.length - n + i;
            st[i] = j < 0 || t.shape[j] == 1 ? 0 : t.stride[j];
        }
        return new Tensor(t.storage, shape, st, t.offset);
    }

    /** Sums a broadcast gradient back to {@code shape} and converts it to {@code dtype}. */
    static Tensor reduceGrad(Tensor g, int[] shape, DType dtype) {
        if (!Arrays.equals(g.shape, shape)) {
            int lead = g.dim() - shape.length;
            int[] dims = new int[g.dim()];
            int k = 0;
            for (int i = 0; i < g.dim(); i++) {
                if (i < lead || (shape[i - lead] == 1 && g.shape[i] != 1)) {
                    dims[k++] = i;
                }
            }
            if (k > 0) {
                g = g.sum(Arrays.copyOf(dims, k), true);
            }
            g = g.view(shape);
        }
        return g.dtype == dtype ? g : g.to(dtype);
    }

    static Tensor detachedZeros(Tensor like) {
        return like.newEmptyShared(like.dtype, like.shape);
    }

    static void checkNoGradView(Tensor self, String op, Tensor... others) {
        if (!Autograd.isGradEnabled() || self.base == null) {
            return;
        }
        boolean grads = self.requiresGrad() || self.base.requiresGrad();
        for (Tensor o : others) {
            grads |= o != null && o.requiresGrad();
        }
        if (grads) {
            throw new UnsupportedOperationException(op + ": in-place operations on a view of a tensor that "
                    + "requires grad (or writing a tensor that requires grad into a view) are not supported by "
                    + "jtorch's autograd yet; use the out-of-place form (or Torch.cat) instead");
        }
    }

    // ------------------------------------------------------------ binary

    private static boolean isComparison(Op op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
            default -> false;
        };
    }

    /**
     * A Java-number operand as a 0-dim tensor of the computation's dtype on the other operand's device (the
     * number is rounded to the dtype first, as PyTorch does). Other tensors are returned as they are.
     */
    private static Tensor castScalar(Tensor s, DType dt, Tensor other) {
        if (!s.wrappedNumber || (s.dtype == dt && s.device().equals(other.device()))) {
            return s;
        }
        Tensor t = other.newFull(Shapes.SCALAR, s.wrappedValue, dt);
        t.wrappedNumber = true;
        t.wrappedValue = s.wrappedValue;
        return t;
    }

    static Tensor binary(Op op, Tensor a, Tensor b, double alpha) {
        checkDevices(a, b);
        DType rt = a.dtype == b.dtype && !a.wrappedNumber && !b.wrappedNumber ? a.dtype : resultType(a, b);
        if (op == Op.DIV && !rt.isFloatingPoint()) {
            rt = DType.FLOAT32;
        }
        if ((op == Op.SUB || op == Op.NEG) && rt == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not "
                    + "supported. Use the `^` or `logical_xor()` operator instead.");
        }
        Tensor a0 = a;
        a = castScalar(a, rt, b);
        b = castScalar(b, rt, a0);
        DType outT = isComparison(op) ? DType.BOOL : rt;
        int[] shape = Shapes.broadcast(a.shape, b.shape);
        Tensor out = a.newEmptyShared(outT, shape);
        Dispatch.binary(op, broadcastView(a, shape), broadcastView(b, shape), out, alpha);
        if (!(a.requiresGrad() || b.requiresGrad()) || !outT.isFloatingPoint() || !Autograd.isGradEnabled()) {
            return out;
        }
        return recordBinary(op, a, b, alpha, out);
    }

    private static Tensor recordBinary(Op op, Tensor a, Tensor b, double alpha, Tensor out) {
        int[] sa = a.shape;
        int[] sb = b.shape;
        DType da = a.dtype;
        DType db = b.dtype;
        boolean na = a.requiresGrad();
        boolean nb = b.requiresGrad();
        Tensor[] in = {a, b};
        return switch (op) {
            case ADD -> FnNode.recordChecked("AddBackward0", out, in, (g, s) -> new Tensor[] {
                na ? reduceGrad(g, sa, da) : null,
                nb ? reduceGrad(alpha == 1 ? g : g.mul(alpha), sb, db) : null});
            case SUB -> FnNode.recordChecked("SubBackward0", out, in, (g, s) -> new Tensor[] {
                na ? reduceGrad(g, sa, da) : null,
                nb ? reduceGrad(g.mul(-alpha), sb, db) : null});
            case MUL -> FnNode.recordChecked("MulBackward0", out, in, (g, s) -> new Tensor[] {
                na ? reduceGrad(g.mul(s[1]), sa, da) : null,
                nb ? reduceGrad(g.mul(s[0]), sb, db) : null}, nb ? a : null, na ? b : null);
            case DIV -> FnNode.recordChecked("DivBackward0", out, in, (g, s) -> new Tensor[] {
                na ? reduceGrad(g.div(s[1]), sa, da) : null,
                nb ? reduceGrad(g.neg().mul(s[0]).div(s[1].mul(s[1])), sb, db) : null}, nb ? a : null, b);
            case POW -> FnNode.recordChecked("PowBackward1", out, in, (g, s) -> new Tensor[] {
                na ? reduceGrad(g.mul(s[1]).mul(s[0].pow(s[1].sub(1.0))), sa, da) : null,
                nb ? reduceGrad(g.mul(s[2].mul(s[0].log()).maskedFill(
                        s[0].eq(0.0).logicalAnd(s[1].ge(0.0)), 0)), sb, db) : null}, a, b, out);
            case MAXIMUM, MINIMUM -> FnNode.recordChecked(op == Op.MAXIMUM ? "MaximumBackward0" : "MinimumBackward0",
                out, in, (g, s) -> {
                    // ties share the gradient equally, as PyTorch
                    Tensor first = op == Op.MAXIMUM ? s[0].gt(s[1]) : s[0].lt(s[1]);
                    Tensor tie = s[0].eq(s[1]);
                    Tensor half = g.mul(0.5);
                    Tensor zero = g.mul(0.0);
                    Tensor ga = Torch.where(tie, half, Torch.where(first, g, zero));
                    Tensor gb = Torch.where(tie, half, Torch.where(first, zero, g));
                    return new Tensor[] {na ? reduceGrad(ga, sa, da) : null, nb ? reduceGrad(gb, sb, db) : null};
                }, a, b);
            case SIGMOID_BACKWARD, TANH_BACKWARD, GELU_BACKWARD, GELU_TANH_BACKWARD ->
                throw new UnsupportedOperationException("double backward of " + op + " is not supported");
            default -> out;
        };
    }

    static Tensor binaryInplace(Op op, Tensor self, Tensor other, double alpha) {
        checkDevices(self, other);
        self.checkInplace();
        DType rt = resultType(self, other);
        if (op == Op.DIV && !rt.isFloatingPoint()) {
            rt = DType.FLOAT32;
        }
        if (!canCast(rt, self.dtype)) {
            throw new IllegalArgumentException("result type " + typeWord(rt) + " can't be cast to the desired "
                    + "output type " + typeWord(self.dtype));
        }
        int[] shape = Shapes.broadcast(self.shape, other.shape);
        if (!Arrays.equals(shape, self.shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(self.shape) + " doesn't match the "
                    + "broadcast shape " + Shapes.str(shape));
        }
        if (Autograd.needsRecording(self, other)) {
            checkNoGradView(self, op.name().toLowerCase() + "_", other);
            Tensor snapshot = op == Op.ADD || op == Op.SUB ? self : self.clone();
            Tensor r = binary(op, snapshot, other, alpha);
            Dispatch.copy(r, self);
            self.storage.bumpVersion();
            self.setHistory(r.gradFn(), r.outputNr());
            return self;
        }
        other = castScalar(other, self.dtype.computeType() == self.dtype ? self.dtype : DType.FLOAT32, self);
        Dispatch.binary(op, self, broadcastView(other, shape), self, alpha);
        self.storage.bumpVersion();
        return self;
    }

    /**
     * An in-place op computed out of place and written back: {@code self = op(self)}. When self's history
     * must be kept, op runs on a clone (so tensors the op saves are not the ones overwritten) and self takes
     * the result's history.
     */
    static Tensor inplace(Tensor self, String name, java.util.function.UnaryOperator<Tensor> op) {
        self.checkInplace();
        boolean grad = Autograd.isGradEnabled();
        Tensor r = op.apply(grad && self.requiresGrad() ? self.clone() : self);
        if (!canCast(r.dtype, self.dtype)) {
            throw new IllegalArgumentException("result type " + typeWord(r.dtype) + " can't be cast to the desired "
                    + "output type " + typeWord(self.dtype) + " (" + name + ")");
        }
        if (!java.util.Arrays.equals(r.shape, self.shape)) {
            throw new IllegalArgumentException(name + ": output with shape " + Shapes.str(self.shape) + " doesn't "
                    + "match the broadcast shape " + Shapes.str(r.shape));
        }
        boolean record = grad && r.requiresGrad() && self.dtype.isFloatingPoint();
        if (record) {
            checkNoGradView(self, name, r);
        }
        Dispatch.copy(r, self);
        self.storage.bumpVersion();
        if (record) {
            self.setHistory(r.gradFn(), r.outputNr());
        }
        return self;
    }

    static Tensor copyInto(Tensor self, Tensor src) {
        if (!src.device().equals(self.device())) {
            src = src.to(self.device());   // copy_ crosses devices, as in PyTorch (differentiably)
        }
        self.checkInplace();
        int[] shape = Shapes.broadcast(self.shape, src.shape);
        if (!Arrays.equals(shape, self.shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(self.shape) + " doesn't match the "
                    + "broadcast shape " + Shapes.str(shape));
        }
        boolean record = Autograd.needsRecording(self, src) && self.dtype.isFloatingPoint();
        if (record) {
            checkNoGradView(self, "copy_", src);
        }
        Tensor s = src;
        if (src.storage == self.storage) {
            try (var _ = Autograd.noGrad()) {
                s = src.clone();
            }
        }
        Dispatch.copy(broadcastView(s, shape), self);
        self.storage.bumpVersion();
        if (record) {
            int[] ss = src.shape;
            DType sd = src.dtype;
            boolean ns = src.requiresGrad();
            Tensor marker = detachedZeros(self);
            FnNode.record("CopyBackwards", marker, new Tensor[] {self, src},
                    (g, x) -> new Tensor[] {null, ns ? reduceGrad(g, ss, sd) : null});
            self.setHistory(marker.gradFn(), 0);
        }
        return self;
    }

    // ------------------------------------------------------------ unary

    private static boolean floatResult(Op op) {
        return switch (op) {
            case EXP, EXPM1, LOG, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID, ERF, GELU, GELU_TANH,
                 SOFTPLUS, LEAKY_RELU -> true;
            default -> false;
        };
    }

    static Tensor unary(Op op, Tensor x, double p0, double p1) {
        DType outT = x.dtype;
        if (floatResult(op) && !outT.isFloatingPoint()) {
            outT = DType.FLOAT32;
        } else if (op == Op.LOGICAL_NOT || op == Op.ISNAN) {
            outT = DType.BOOL;
        } else if (op == Op.NEG && outT == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you"
                    + " are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        Tensor out = x.newEmptyShared(outT, x.shape);
        Dispatch.unary(op, x, out, p0, p1);
        if (!outT.isFloatingPoint() || !x.requiresGrad() || !Autograd.isGradEnabled()) {
            return out;
        }
        return recordUnary(op, x, p0, p1, out);
    }

    private static Tensor recordUnary(Op op, Tensor x, double p0, double p1, Tensor out) {
        return switch (op) {
            case NEG -> FnNode.record1("NegBackward0", out, x, (g, s) -> new Tensor[] {g.neg()});
            case ABS -> FnNode.record1("AbsBackward0", out, x, (g, s) -> new Tensor[] {g.mul(s[0].sign())}, x);
            case SIGN -> FnNode.record1("SignBackward0", out, x, (g, s) -> new Tensor[] {g.mul(0.0)});
            case EXP -> FnNode.record1("ExpBackward0", out, x, (g, s) -> new Tensor[] {g.mul(s[0])}, out);
            case EXPM1 -> FnNode.record1("Expm1Backward0", out, x,
                    (g, s) -> new Tensor[] {g.mul(s[0].add(1.0))}, out);
            case LOG -> FnNode.record1("LogBackward0", out, x, (g, s) -> new Tensor[] {g.div(s[0])}, x);
            case LOG1P -> FnNode.record1("Log1PBackward0", out, x,
                    (g, s) -> new Tensor[] {g.div(s[0].add(1.0))}, x);
            case SQRT -> FnNode.record1("SqrtBackward0", out, x,
                    (g, s) -> new Tensor[] {g.div(s[0].mul(2.0))}, out);
            case RSQRT -> FnNode.record1("RsqrtBackward0", out, x,
                    (g, s) -> new Tensor[] {g.mul(s[0].pow(3.0)).mul(-0.5)}, out);
            case RECIPROCAL -> FnNode.record1("ReciprocalBackward0", out, x,
                    (g, s) -> new Tensor[] {g.neg().mul(s[0].mul(s[0]))}, out);
            case SIN -> FnNode.record1("SinBackward0", out, x, (g, s) -> new Tensor[] {g.mul(s[0].cos())}, x);
            case COS -> FnNode.record1("CosBackward0", out, x,
                    (g, s) -> new Tensor[] {g.mul(s[0].sin().neg())}, x);
            case TANH -> FnNode.record1("TanhBackward0", out, x,
                    (g, s) -> new Tensor[] {binaryRaw(Op.TANH_BACKWARD, s[0], g)}, out);
            case SIGMOID -> FnNode.record1("SigmoidBackward0", out, x,
                    (g, s) -> new Tensor[] {binaryRaw(Op.SIGMOID_BACKWARD, s[0], g)}, out);
            case RELU -> FnNode.record1("ReluBackward0", out, x,
                    (g, s) -> new Tensor[] {g.mul(s[0].gt(0.0))}, out);
            case LEAKY_RELU -> FnNode.record1("LeakyReluBackward0", out, x,
                    (g, s) -> new Tensor[] {Torch.where(s[0].gt(0.0), g, g.mul(p0))}, x);
            case ERF -> FnNode.record1("ErfBackward0", out, x, (g, s) -> new Tensor[] {
                g.mul(s[0].mul(s[0]).neg().exp().mul(2 / Math.sqrt(Math.PI)))}, x);
            case GELU -> FnNode.record1("GeluBackward0", out, x,
                    (g, s) -> new Tensor[] {binaryRaw(Op.GELU_BACKWARD, s[0], g)}, x);
            case GELU_TANH -> FnNode.record1("GeluBackward0", out, x,
                    (g, s) -> new Tensor[] {binaryRaw(Op.GELU_TANH_BACKWARD, s[0], g)}, x);
            case SOFTPLUS -> FnNode.record1("SoftplusBackward0", out, x, (g, s) -> {
                Tensor bx = s[0].mul(p0);
                return new Tensor[] {Torch.where(bx.gt(p1), g, g.mul(bx.sigmoid()))};
            }, x);
            case FLOOR -> FnNode.record1("FloorBackward0", out, x, (g, s) -> new Tensor[] {g.mul(0.0)});
            case CEIL -> FnNode.record1("CeilBackward0", out, x, (g, s) -> new Tensor[] {g.mul(0.0)});
            case ROUND -> FnNode.record1("RoundBackward0", out, x, (g, s) -> new Tensor[] {g.mul(0.0)});
            case TRUNC -> FnNode.record1("TruncBackward0", out, x, (g, s) -> new Tensor[] {g.mul(0.0)});
            default -> out;
        };
    }

    /** An elementwise backward op (inputs y or x, and dy) without broadcasting or recording. */
    static Tensor binaryRaw(Op op, Tensor a, Tensor g) {
        DType dt = a.dtype;
        Tensor gg = g.dtype == dt && g.isContiguous() ? g : g.to(dt).contiguous();
        Tensor out = a.newEmptyShared(dt, a.shape);
        Dispatch.binary(op, a.contiguous(), gg, out, 1);
        return out;
    }

    static Tensor powScalar(Tensor x, double p) {
        DType outT = x.dtype;
        if (!outT.isFloatingPoint() && (p != Math.rint(p) || p < 0)) {
            if (p < 0 && p == Math.rint(p)) {
                throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
            }
            outT = DType.FLOAT32;
        }
        Tensor out = x.newEmptyShared(outT, x.shape);
        Dispatch.unary(Op.POW_SCALAR, x, out, p, 0);
        if (!outT.isFloatingPoint()) {
            return out;
        }
        return FnNode.record1("PowBackward0", out, x, (g, s) -> new Tensor[] {
            p == 0 ? g.mul(0.0) : g.mul(s[0].pow(p - 1).mul(p))}, x);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        DType outT = x.dtype;
        if (!outT.isFloatingPoint() && ((!Double.isNaN(min) && min != Math.rint(min))
                || (!Double.isNaN(max) && max != Math.rint(max)))) {
            outT = DType.FLOAT32;
        }
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        }
        Tensor out = x.newEmptyShared(outT, x.shape);
        Dispatch.unary(Op.CLAMP, x, out, min, max);
        if (!outT.isFloatingPoint()) {
            return out;
        }
        return FnNode.record1("ClampBackward1", out, x, (g, s) -> {
            Tensor mask = Double.isNaN(min) ? s[0].le(max)
                    : Double.isNaN(max) ? s[0].ge(min) : s[0].ge(min).logicalAnd(s[0].le(max));
            return new Tensor[] {g.mul(mask)};
        }, x);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkDevices(cond, a);
        checkDevices(a, b);
        if (cond.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor "
                    + "with dtype " + typeWord(cond.dtype));
        }
        DType rt = resultType(a, b);
        Tensor a0 = a;
        a = castScalar(a, rt, b.wrappedNumber ? cond : b);
        b = castScalar(b, rt, a0.wrappedNumber ? cond : a0);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape, a.shape), b.shape);
        Tensor out = a.newEmptyShared(rt, shape);
        Dispatch.where(broadcastView(cond, shape), broadcastView(a, shape), broadcastView(b, shape), out);
        if (!rt.isFloatingPoint() || !Autograd.needsRecording(a, b)) {
            return out;
        }
        int[] sa = a.shape;
        int[] sb = b.shape;
        DType da = a.dtype;
        DType db = b.dtype;
        boolean na = a.requiresGrad();
        boolean nb = b.requiresGrad();
        return FnNode.record("WhereBackward0", out, new Tensor[] {a, b}, (g, s) -> {
            Tensor zero = g.newEmptyShared(g.dtype, Shapes.SCALAR);
            return new Tensor[] {
                na ? reduceGrad(Torch.where(s[0], g, zero), sa, da) : null,
                nb ? reduceGrad(Torch.where(s[0], zero, g), sb, db) : null};
        }, cond);
    }
}
