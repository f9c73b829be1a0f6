package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In-place ops: same values as the out-of-place op, versions bumped, and on a non-leaf the gradient of the
 * out-of-place composition (checked with gradcheck).
 */
class InplaceTest {
    interface Op {
        Tensor apply(Tensor t);
    }

    static void same(String name, Op inplace, Op outOfPlace, double... v) {
        Tensor x = Torch.tensor(v);
        Tensor expected = outOfPlace.apply(x);
        Tensor y = x.clone();
        int before = y.storage().version();
        Tensor r = inplace.apply(y);
        assertTrue(r == y, name + " returns this");
        assertEquals(before + 1, y.storage().version(), name + " bumps the version");
        assertArrayEquals(expected.toDoubleArray(), y.toDoubleArray(), 0, name);
        // through autograd on a non-leaf: gradcheck of the composition
        Tensor leaf = Torch.tensor(v).requiresGrad_(true);
        assertTrue(Autograd.gradcheck(in -> inplace.apply(in[0].mul(1.0)), leaf), name + " gradcheck");
    }

    @Test
    void unaryInplaceOps() {
        double[] pos = {0.3, 1.7, 2.2, 0.9};
        double[] any = {-0.7, 0.4, 1.3, -2.1};
        same("exp_", Tensor::exp_, Tensor::exp, any);
        same("log_", Tensor::log_, Tensor::log, pos);
        same("sqrt_", Tensor::sqrt_, Tensor::sqrt, pos);
        same("reciprocal_", Tensor::reciprocal_, Tensor::reciprocal, pos);
        same("sin_", Tensor::sin_, Tensor::sin, any);
        same("cos_", Tensor::cos_, Tensor::cos, any);
        same("tanh_", Tensor::tanh_, Tensor::tanh, any);
        same("sigmoid_", Tensor::sigmoid_, Tensor::sigmoid, any);
        same("relu_", Tensor::relu_, Tensor::relu, any);
        same("neg_", Tensor::neg_, Tensor::neg, any);
        same("abs_", Tensor::abs_, Tensor::abs, any);
        same("pow_", t -> t.pow_(3), t -> t.pow(3), any);
        same("clamp_", t -> t.clamp_(-0.5, 1.0), t -> t.clamp(-0.5, 1.0), any);
        same("clampMin_", t -> t.clampMin_(0.0), t -> t.clampMin(0.0), any);
        same("maskedFill_", t -> t.maskedFill_(t.gt(0.5), 2.0), t -> t.maskedFill(t.gt(0.5), 2.0), any);
        same("add_", t -> t.add_(t.mul(2.0)), t -> t.add(t.mul(2.0)), any);
        same("mul_", t -> t.mul_(3.0), t -> t.mul(3.0), any);
        same("div_", t -> t.div_(4.0), t -> t.div(4.0), any);
        same("sub_", t -> t.sub_(1.0), t -> t.sub(1.0), any);
    }

    @Test
    void scatterAndCopyInPlace() {
        Tensor x = Torch.zeros(DType.FLOAT64, 2, 3);
        Tensor idx = Torch.tensor(new long[] {2, 0}, 2, 1);
        Tensor src = Torch.tensor(new double[] {5, 7}, 2, 1).requiresGrad_(true);
        Tensor base = x.mul(1.0);
        base.scatter_(1, idx, src);
        assertArrayEquals(new double[] {0, 0, 5, 7, 0, 0}, base.toDoubleArray());
        base.sum().backward();
        assertArrayEquals(new double[] {1, 1}, src.grad().toDoubleArray());

        Tensor a = Torch.zeros(DType.FLOAT64, 3);
        Tensor b = Torch.tensor(new double[] {1, 2, 3}).requiresGrad_(true);
        a.copy_(b.mul(2.0));
        assertTrue(a.requiresGrad());
        a.sum().backward();
        assertArrayEquals(new double[] {2, 2, 2}, b.grad().toDoubleArray());
    }

    @Test
    void inPlaceThatWouldChangeDtypeFails() {
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.arange(3).exp_());
        assertTrue(e.getMessage().contains("can't be cast to the desired output type Long"), e.getMessage());
    }

    @Test
    void inPlaceOnAViewOfATensorThatRequiresGradIsRefused() {
        Tensor x = Torch.ones(DType.FLOAT64, 4).requiresGrad_(true).mul(1.0);
        var e = assertThrows(UnsupportedOperationException.class, () -> x.narrow(0, 0, 2).mul_(2.0));
        assertTrue(e.getMessage().contains("view"), e.getMessage());
        try (var _ = Autograd.noGrad()) {
            x.narrow(0, 0, 2).mul_(2.0);
        }
        assertArrayEquals(new double[] {2, 2, 1, 1}, x.toDoubleArray());
    }

    @Test
    void uniformOnALeafThatRequiresGradNeedsNoGrad() {
        Tensor w = Torch.empty(3).requiresGrad_(true);
        assertThrows(IllegalStateException.class, () -> w.uniform_(0, 1));
        try (var _ = Autograd.noGrad()) {
            w.uniform_(0, 1);
        }
        assertTrue(w.min().item() >= 0 && w.max().item() < 1);
    }
}
