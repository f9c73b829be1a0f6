package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.RemovableHandle;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph recording, backward, accumulation, hooks, grad mode, version counters and graph freeing. */
class AutogradTest {
    static Tensor leaf(double... v) {
        return Torch.tensor(v).requiresGrad_(true);
    }

    @Test
    void noGradRecordsNothing() {
        Tensor w = leaf(1, 2, 3);
        try (var _ = Autograd.noGrad()) {
            Tensor y = w.mul(2.0).exp().sum();
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            assertFalse(Autograd.isGradEnabled());
            try (var _ = Autograd.enableGrad()) {
                assertNotNull(w.mul(2.0).gradFn());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertEquals("MulBackward0", w.mul(2.0).gradFn().name());
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        try (var _ = Autograd.noGrad()) {
            AtomicReference<Boolean> other = new AtomicReference<>();
            Thread t = new Thread(() -> other.set(Autograd.isGradEnabled()));
            t.start();
            t.join();
            assertTrue(other.get());
        }
    }

    @Test
    void inputsWithoutGradRecordNothing() {
        Tensor a = Torch.tensor(new double[] {1, 2});
        assertNull(a.exp().gradFn());
        assertTrue(a.exp().isLeaf());
    }

    @Test
    void accumulatesIntoLeavesAcrossBackwards() {
        Tensor x = leaf(1, 2);
        x.mul(3.0).sum().backward();
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {3 + 2, 3 + 4}, x.grad().toDoubleArray());
    }

    @Test
    void fanOutSumsGradients() {
        Tensor x = leaf(2);
        Tensor y = x.mul(x).add(x.exp()).add(x);
        y.backward();
        assertEquals(4 + Math.exp(2) + 1, x.grad().item(), 1e-12);
    }

    @Test
    void secondBackwardWithoutRetainGraphFails() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backwardNeedsGradientForNonScalar() {
        Tensor y = leaf(1, 2).exp();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar outputs"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Torch.ones(DType.FLOAT64, 3)));
        assertTrue(e2.getMessage().contains("Mismatch in shape"), e2.getMessage());
    }

    @Test
    void backwardWithOutputGradient() {
        Tensor x = leaf(1, 2, 3);
        x.mul(2.0).backward(Torch.tensor(new double[] {1, 10, 100}));
        assertArrayEquals(new double[] {2, 20, 200}, x.grad().toDoubleArray());
    }

    @Test
    void retainGradKeepsNonLeafGradient() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3.0);
        h.retainGrad();
        Tensor h2 = x.mul(4.0);
        h.mul(h).sum().add(h2.sum()).backward();
        assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray());
        assertNull(h2.grad());
        assertTrue(h.retainsGrad());
    }

    @Test
    void tensorHooksSeeAndReplaceGradients() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(2.0);
        AtomicInteger calls = new AtomicInteger();
        RemovableHandle handle = h.registerHook(g -> {
            calls.incrementAndGet();
            return g.mul(10.0);
        });
        h.sum().backward();
        assertEquals(1, calls.get());
        assertArrayEquals(new double[] {20, 20}, x.grad().toDoubleArray());
        handle.remove();
        x.setGrad(null);
        x.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());

        Tensor leafHooked = leaf(1);
        leafHooked.registerHook(g -> g.mul(-1.0));
        leafHooked.mul(5.0).sum().backward();
        assertEquals(-5, leafHooked.grad().item());
        assertThrows(IllegalStateException.class, () -> Torch.ones(2).registerHook(g -> g));
    }

    @Test
    void inPlaceChangeOfSavedTensorFailsAtBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp();
        Tensor z = y.mul(y).sum();
        try (var _ = Autograd.noGrad()) {
            y.add_(1.0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        assertTrue(e.getMessage().contains("is at version 1; expected version 0"), e.getMessage());
        assertTrue(e.getMessage().contains("MulBackward0"), e.getMessage());
    }

    @Test
    void inPlaceOnLeafThatRequiresGradFails() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalStateException.class, () -> x.add_(1.0));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
        try (var _ = Autograd.noGrad()) {
            x.add_(1.0);
        }
        assertArrayEquals(new double[] {2, 3}, x.toDoubleArray());
    }

    @Test
    void inPlaceOnNonLeafIsDifferentiable() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2.0);
        y.mul_(y.detach().add(1.0)).add_(x);
        y.sum().backward();
        // y = 2x * (2x + 1) + x with the (2x+1) factor constant
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(2 * (2 * (i + 1) + 1) + 1, g[i], 1e-12);
        }
        assertEquals(2, y.storage().version());
    }

    @Test
    void longChainDoesNotOverflowASmallStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = leaf(1, 2);
                Tensor y = x;
                for (int i = 0; i < 100_000; i++) {
                    y = y.mul(1.0);
                }
                y.sum().backward();
                assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void savedTensorsAreReleasedAfterBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp();
        Tensor z = y.sum();
        var node = y.gradFn();
        z.backward();
        var e = assertThrows(IllegalStateException.class, () -> node.apply(new Tensor[] {Torch.onesLike(y)}));
        assertTrue(e.getMessage().contains("already been freed"), e.getMessage());
    }

    @Test
    void autogradGradDoesNotTouchGrad() {
        Tensor x = leaf(1, 2);
        Tensor w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, false, false);
        assertArrayEquals(new double[] {3, 4}, g[0].toDoubleArray());
        assertNull(x.grad());
        assertNull(w.grad());
    }

    @Test
    void gradFnNamesAndNextFunctions() {
        Tensor b = leaf(1, 2);
        Tensor w = Torch.tensor(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad_(true);
        Tensor x = Torch.tensor(new double[] {1, 1}, 1, 2);
        Tensor y = b.addmm(x, w);
        assertEquals("AddmmBackward0", y.gradFn().name());
        assertEquals(3, y.gradFn().nextFunctions().size());
        assertEquals("AccumulateGrad", y.gradFn().nextFunctions().get(0).name());
        assertNull(y.gradFn().nextFunctions().get(1));
        assertTrue(y.toString().endsWith("grad_fn=<AddmmBackward0>)"), y.toString());
    }

    @Test
    void requiresGradOnlyForFloats() {
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.arange(3).requiresGrad_(true));
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
        Tensor y = leaf(1).exp();
        assertThrows(IllegalStateException.class, () -> y.requiresGrad_(false));
    }

    @Test
    void detachCutsTheGraphButSharesStorage() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2.0);
        Tensor d = y.detach();
        assertNull(d.gradFn());
        assertFalse(d.requiresGrad());
        assertSame(y.storage(), d.storage());
    }

    @Test
    void multipleRootsAndDiamond() {
        Tensor x = leaf(2);
        Tensor a = x.mul(3.0);
        Tensor b = a.exp();
        Tensor c = a.sin();
        Autograd.backward(new Tensor[] {b, c}, null, false);
        assertEquals(3 * Math.exp(6) + 3 * Math.cos(6), x.grad().item(), 1e-9);
    }
}
