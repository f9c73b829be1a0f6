package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.parallel.DataParallel;
import dev.jtorch.nn.utils.Parametrizations.OrthogonalMap;
import dev.jtorch.nn.utils.Parametrizations;
import dev.jtorch.nn.utils.Parametrize;
import dev.jtorch.nn.utils.SpectralNorm;
import dev.jtorch.nn.utils.Stateless;
import dev.jtorch.nn.utils.prune.L1Unstructured;
import dev.jtorch.nn.utils.prune.BasePruningMethod;
import dev.jtorch.nn.utils.prune.Prune;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges a review of parametrize, prune, functional calls and DataParallel found: each case failed (wrong
 * gradients, a hang, a NullPointerException, a half-changed module) before its fix.
 */
class ReparametrizationEdgeTest {

    static Tensor rn(int... shape) {
        return Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, shape);
    }

    static void close(String what, Tensor e, Tensor a) {
        assertArrayEquals(e.shape(), a.shape(), what);
        double[] x = e.toDoubleArray();
        double[] y = a.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-12 + 1e-10 * Math.abs(x[i]), what + " " + i);
        }
    }

    /** A parametrized module's DataParallel gradient inside a cached() scope that already holds its weight. */
    @Test
    void dataParallelInsideCachedGetsEveryReplicasGradient() {
        Torch.manualSeed(1);
        Linear a = (Linear) new Linear(4, 3).float64();
        Parametrize.registerParametrization(a, "weight", new Tanh());
        Linear b = (Linear) new Linear(4, 3).float64();
        Parametrize.registerParametrization(b, "weight", new Tanh());
        b.loadStateDict(a.stateDict());
        Tensor x = rn(6, 4);
        DataParallel dp = new DataParallel(b, new int[] {0, 1});
        a.call(x).sum().backward();
        try (var _ = Parametrize.cached()) {
            b.attr("weight");   // cached from the module's own original before the replicas run
            dp.call(x).sum().backward();
        }
        close("original's gradient", a.getParameter("parametrizations.weight.original").grad(),
                b.getParameter("parametrizations.weight.original").grad());
    }

    @Test
    void aFunctionalCallOfAComputedNameThroughDataParallel() {
        Torch.manualSeed(2);
        Linear lin = (Linear) new Linear(4, 3).float64();
        Prune.identity(lin, "weight");
        Tensor x = rn(5, 4);
        Tensor w1 = rn(3, 4).requiresGrad_(true);
        Tensor w2 = w1.detach().clone().requiresGrad_(true);
        Tensor y1 = Stateless.functionalCall(lin, Map.of("weight", w1), x);
        Tensor y2 = Stateless.functionalCall(new DataParallel(lin, new int[] {0, 1}), Map.of("module.weight", w2), x);
        close("output", y1, y2);
        y1.sum().backward();
        y2.sum().backward();
        close("the given weight's gradient", w1.grad(), w2.grad());
    }

    @Test
    void oneDeviceGivesTheModulesOwnOutput() {
        Module loss = new Module() {
            final Linear lin = registerModule("lin", new Linear(3, 1));

            @Override
            public Tensor forward(Tensor x) {
                return lin.call(x).sum();
            }
        }.float64();
        Tensor y = new DataParallel(loss, new int[] {0}).call(rn(4, 3));
        assertEquals(0, y.dim());
        y.backward();
    }

    @Test
    void anEvalCallDrawsNothingFromTheGlobalGenerator() {
        Module m = new Sequential(new Linear(3, 4), new Dropout(0.5)).float64().eval();
        Tensor x = rn(4, 3);
        Torch.manualSeed(7);
        long expected = Torch.defaultGenerator().random64();
        Torch.manualSeed(7);
        try (var _ = Autograd.noGrad()) {
            new DataParallel(m, new int[] {0, 1}).call(x);
        }
        assertEquals(expected, Torch.defaultGenerator().random64());
    }

    @Test
    void inputsSplitIntoFewerChunksGetAFullSizeGradient() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor a, Tensor b) {
                return a.sum(0).add(b.sum(0)).unsqueeze(0);
            }
        };
        Tensor a = rn(2, 3).requiresGrad_(true);
        Tensor b = rn(5, 3).requiresGrad_(true);
        new DataParallel(m, new int[] {0, 1, 2}).call(a, b).sum().backward();
        assertArrayEquals(new int[] {5, 3}, b.grad().shape());
        assertEquals(0.0, b.grad().narrow(0, 4, 1).abs().sum().item(), "the unused chunk's gradient is zero");
    }

    @Test
    void anInfiniteWeightGivesNaNRatherThanAHang() {
        Linear lin = (Linear) new Linear(4, 4).float64();
        Parametrizations.orthogonal(lin, "weight", OrthogonalMap.MATRIX_EXP, false);
        try (var _ = Autograd.noGrad()) {
            lin.getParameter("parametrizations.weight.original").fill_(Double.POSITIVE_INFINITY);
        }
        assertTrue(Double.isNaN(lin.attr("weight").sum().item()));
    }

    @Test
    void onePruningMethodCannotPruneTwoTensors() {
        Linear lin = new Linear(4, 3);
        L1Unstructured m = new L1Unstructured(0.25);
        BasePruningMethod.apply(lin, "weight", m, null);
        assertThrows(IllegalArgumentException.class, () -> BasePruningMethod.apply(lin, "bias", m, null));
        Prune.remove(lin, "weight");
        assertNotNull(lin.parameter("weight"));
    }

    @Test
    void aComputedNameCannotBeRegisteredAgain() {
        Linear lin = new Linear(4, 3);
        Prune.identity(lin, "weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lin.registerParameter("weight", new Parameter(Torch.zeros(3, 4))));
        assertEquals("attribute 'weight' already exists", e.getMessage());
    }

    @Test
    void badArgumentsFailBeforeTheModuleChanges() {
        Linear lin = new Linear(3, 4);
        assertThrows(IllegalArgumentException.class, () -> SpectralNorm.spectralNorm(lin, "weight", 1, 1e-12, -1));
        assertThrows(IllegalArgumentException.class, () -> SpectralNorm.spectralNorm(lin, "weight", 1, 1e-12, 2));
        lin.registerBuffer("weight_u", Torch.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> SpectralNorm.spectralNorm(lin));
        assertNotNull(lin.parameter("weight"), "the weight is still a parameter");
        Parametrizations.spectralNorm(lin);
        Parametrizations.orthogonal(lin, "weight", OrthogonalMap.HOUSEHOLDER, true);
        assertThrows(IllegalStateException.class, () -> lin.attr("weight"));
        Module withNullChild = new Sequential();
        withNullChild.registerModule("a", null);
        assertThrows(IllegalArgumentException.class,
                () -> Stateless.functionalCall(withNullChild, Map.of("a.b.weight", Torch.zeros(1)), Torch.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> Stateless.functionalCall(lin,
                (java.util.List<Map<String, Tensor>>) null, Torch.zeros(1)));
    }

    @Test
    void aCachedScopeClosedOnAnotherThreadLeavesThatThreadAlone() throws Exception {
        Linear lin = (Linear) new Linear(2, 2).float64();
        Parametrize.registerParametrization(lin, "weight", new Tanh());
        Parametrize.Cached scope = Parametrize.cached();
        Thread t = new Thread(scope::close);
        t.start();
        t.join();
        Thread u = new Thread(() -> {
            Tensor before = lin.attr("weight");
            Tensor after = lin.attr("weight");
            assertTrue(before != after, "no cache on a thread that opened no scope");
        });
        u.start();
        u.join();
        scope.close();
    }
}
