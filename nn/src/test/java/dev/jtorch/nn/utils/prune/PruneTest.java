package dev.jtorch.nn.utils.prune;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Stateless;
import dev.jtorch.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.jtorch.nn.utils.prune.PruneGoldenTest.META;
import static dev.jtorch.nn.utils.prune.PruneGoldenTest.assertClose;
import static dev.jtorch.nn.utils.prune.PruneGoldenTest.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torch.nn.utils.prune's behaviour: the reparametrization (the same Parameter object, a computed attribute kept
 * current), remove, isPruned, checks before changes with PyTorch's messages (prune.safetensors err.*),
 * functional calls, concurrent forwards, and the random methods' properties.
 */
class PruneTest {
    static Linear lin() {
        Torch.manualSeed(3);
        Linear l = new Linear(5, 4);
        l.float64();
        return l;
    }

    static double zeros(Tensor t) {
        return t.eq(0.0).to(DType.FLOAT64).sum().item();
    }

    @Test
    void reparametrizationKeepsTheSameParameterObject() {
        Linear l = lin();
        Parameter w = l.weight;
        Prune.l1Unstructured(l, "weight", 5);
        assertSame(w, l.parameter("weight_orig"));
        assertSame(w, l.weight);
        assertFalse(l.namedParameters().containsKey("weight"));
        assertEquals(List.of("bias", "weight_orig"), new ArrayList<>(l.namedParameters().keySet()));
        assertEquals(5.0, zeros(l.buffer("weight_mask")));
        // module.attr("weight") follows weight_orig at once (PyTorch updates module.weight at the next forward)
        try (var _ = Autograd.noGrad()) {
            w.fill_(2.0);
        }
        assertExact(l.buffer("weight_mask").mul(2.0), l.attr("weight"), "attr after changing orig");
    }

    @Test
    void optimizerHoldingTheOriginalKeepsTraining() {
        Linear l = lin();
        SGD opt = new SGD(l.parameters(), 0.1);
        Prune.l1Unstructured(l, "weight", 0.5);
        Tensor before = l.parameter("weight_orig").detach().clone();
        Tensor x = Torch.randn(3, 5).float64();
        l.call(x).sum().backward();
        opt.step();
        Tensor mask = l.buffer("weight_mask");
        Tensor moved = l.parameter("weight_orig").sub(before).abs();
        assertEquals(0.0, moved.mul(mask.neg().add(1.0)).sum().item(), 0.0, "pruned entries get no update");
        assertTrue(moved.mul(mask).sum().item() > 0, "kept entries are updated");
    }

    @Test
    void removeMakesThePruningPermanent() {
        Linear l = lin();
        Parameter w = l.weight;
        Prune.lnStructured(l, "weight", 1, 2, 0, null);
        Tensor pruned = l.attr("weight").detach().clone();
        assertTrue(Prune.isPruned(l));
        Prune.remove(l, "weight");
        assertFalse(Prune.isPruned(l));
        assertSame(w, l.parameter("weight"));
        assertSame(w, l.attr("weight"));
        assertExact(pruned, w, "values after remove");
        assertEquals(List.of("bias", "weight"), new ArrayList<>(l.stateDict().keySet()));
        assertTrue(l.namedBuffers().isEmpty());
        // pruning again starts afresh
        Prune.l1Unstructured(l, "weight", 0);
        assertEquals(List.of("bias", "weight_orig", "weight_mask"), new ArrayList<>(l.stateDict().keySet()));
    }

    @Test
    void isPrunedLooksAtSubmodules() {
        Sequential net = new Sequential(new Linear(3, 3), new ReLU(), new Sequential(new Linear(3, 2)));
        assertFalse(Prune.isPruned(net));
        Prune.randomUnstructured(net.getSubmodule("2.0"), "bias", 1);
        assertTrue(Prune.isPruned(net));
        assertFalse(Prune.isPruned(net.child("0")));
        Prune.remove(net.getSubmodule("2.0"), "bias");
        assertFalse(Prune.isPruned(net));
    }

    @Test
    void iterativePruningBuildsAContainer() {
        Linear l = lin();
        Prune.l1Unstructured(l, "weight", 3);
        assertTrue(BasePruningMethod.applied(l, "weight") instanceof L1Unstructured);
        Prune.randomUnstructured(l, "weight", 2);
        BasePruningMethod m = BasePruningMethod.applied(l, "weight");
        PruningContainer c = (PruningContainer) m;
        assertEquals(2, c.size());
        Prune.lnStructured(l, "weight", 1, 1, 1, null);
        assertSame(c, BasePruningMethod.applied(l, "weight"));
        assertEquals(3, c.size());
        assertTrue(c.get(2) instanceof LnStructured);
        assertEquals("weight", c.tensorName());
    }

    @Test
    void containerRefusesAMethodForAnotherTensor() {
        Linear l = lin();
        BasePruningMethod w = BasePruningMethod.apply(l, "weight", new Identity(), null);
        BasePruningMethod b = BasePruningMethod.apply(l, "bias", new Identity(), null);
        PruningContainer c = new PruningContainer(w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.addPruningMethod(b));
        assertTrue(e.getMessage().startsWith("Can only add pruning methods acting on the parameter named 'weight' to "
                + "PruningContainer"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" Found 'bias'"), e.getMessage());
    }

    static void assertMessage(String key, Throwable e) {
        assertEquals(META.get("err." + key), e.getMessage());
    }

    @Test
    void badAmountsFailWithPyTorchsMessages() {
        Linear l = lin();
        assertMessage("neg_int", assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "weight", -1)));
        assertMessage("frac_above", assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "weight", 1.5)));
        assertMessage("frac_below", assertThrows(IllegalArgumentException.class,
                () -> Prune.randomUnstructured(l, "weight", -0.1)));
        assertMessage("int_too_big", assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "weight", 21)));
        assertFalse(Prune.isPruned(l), "nothing changed");
        assertEquals(List.of("weight", "bias"), new ArrayList<>(l.stateDict().keySet()));
        assertMessage("structured_1d", assertThrows(IllegalArgumentException.class,
                () -> Prune.lnStructured(l, "bias", 1, 2, 0, null)));
        assertMessage("structured_dim", assertThrows(IndexOutOfBoundsException.class,
                () -> Prune.randomStructured(l, "weight", 1, 2)));
        assertMessage("remove_unpruned", assertThrows(IllegalArgumentException.class,
                () -> Prune.remove(l, "weight")));
        assertMessage("no_attribute", assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "foo", 1)));
        assertThrows(IllegalArgumentException.class, () -> Prune.l1Unstructured(l, "weight", Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "weight", 2, Torch.randn(5, 4).float64()));
        assertEquals(List.of("weight", "bias"), new ArrayList<>(l.stateDict().keySet()));
        PruneTestConv.conv(c -> assertMessage("channels_too_big", assertThrows(IllegalArgumentException.class,
                () -> Prune.lnStructured(c, "weight", 5, 2, 0, null))));
    }

    @Test
    void aFailedSecondPruneLeavesTheFirstInPlace() {
        Linear l = lin();
        Prune.l1Unstructured(l, "weight", 5);
        Tensor mask = l.buffer("weight_mask").clone();
        assertMessage("int_too_big_left", assertThrows(IllegalArgumentException.class,
                () -> Prune.l1Unstructured(l, "weight", 16)));
        assertTrue(BasePruningMethod.applied(l, "weight") instanceof L1Unstructured);
        assertExact(mask, l.buffer("weight_mask"), "mask kept");
        Prune.l1Unstructured(l, "weight", 15);
        assertEquals(20.0, zeros(l.buffer("weight_mask")));
    }

    @Test
    void globalUnstructuredRefusesStructuredMethods() {
        Linear l = lin();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prune.globalUnstructured(
                List.of(Map.entry(l, "weight")), a -> new LnStructured(a, 2, 0), null, 1));
        String expected = META.get("err.global_structured");
        String head = expected.substring(0, expected.indexOf("Found method"));
        assertTrue(e.getMessage().startsWith(head), e.getMessage());
        assertTrue(e.getMessage().endsWith("LnStructured of type structured"), e.getMessage());
        assertFalse(Prune.isPruned(l));
    }

    @Test
    void functionalCallSeesTheGivenOriginal() {
        Linear l = lin();
        Prune.l1Unstructured(l, "weight", 0.4);
        Tensor mask = l.buffer("weight_mask");
        Tensor x = Torch.randn(3, 5).float64();
        Tensor w2 = Torch.randn(4, 5).float64().requiresGrad_(true);
        Tensor y = Stateless.functionalCall(l, Map.of("weight_orig", w2), x);
        assertClose(F.linear(x, w2.detach().mul(mask), l.bias), y, "functional call with weight_orig");
        y.sum().backward();
        assertClose(Torch.ones(DType.FLOAT64, 3, 4).t().matmul(x).mul(mask), w2.grad(), "gradient to the given orig");
        Tensor m2 = Torch.onesLike(mask);
        Tensor y2 = Stateless.functionalCall(l, Map.of("weight_orig", w2, "weight_mask", m2), x);
        assertClose(F.linear(x, w2.detach(), l.bias), y2, "functional call with weight_orig and weight_mask");
        assertClose(F.linear(x, l.weight.detach().mul(mask), l.bias), l.call(x), "the module's own values after");
    }

    @Test
    void concurrentEvalForwardsAgree() throws Exception {
        Linear l = lin();
        Prune.l1Unstructured(l, "weight", 0.5);
        l.eval();
        Tensor x = Torch.randn(8, 5).float64();
        Tensor expected;
        try (var _ = Autograd.noGrad()) {
            expected = l.call(x);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> outs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                outs.add(pool.submit(() -> {
                    try (var _ = Autograd.noGrad()) {
                        return l.call(x);
                    }
                }));
            }
            for (Future<Tensor> f : outs) {
                assertExact(expected, f.get(), "concurrent forward");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void randomMethodsPruneExactlyTheAmount() {
        Torch.manualSeed(5);
        PruneTestConv.conv(c -> {
            Prune.randomUnstructured(c, "weight", 0.25);   // round(27) of 108
            Tensor m1 = c.buffer("weight_mask");
            assertEquals(27.0, zeros(m1));
            assertEquals(108.0, m1.eq(0.0).to(DType.FLOAT64).add(m1.eq(1.0).to(DType.FLOAT64)).sum().item());
            Prune.randomStructured(c, "weight", 1, 0);      // one whole output channel more
            Tensor m2 = c.buffer("weight_mask");
            Tensor perChannel = m2.sum(new int[] {1, 2, 3}, false);
            assertEquals(1.0, zeros(perChannel));
            assertEquals(0.0, m2.sub(m1).clamp(0, 1).sum().item(), "a pruned entry stays pruned");
            Prune.randomUnstructured(c, "weight", 10);      // ten more, among the entries left
            assertEquals(zeros(m2) + 10, zeros(c.buffer("weight_mask")));
        });
    }

    @Test
    void pruneMethodOnATensor() {
        Tensor t = Torch.tensor(new double[] {3, -1, 0.5, 2, -4}, 5);
        Tensor expected = t.mul(Torch.tensor(new double[] {1, 0, 0, 1, 1}, 5));
        assertExact(expected, new L1Unstructured(2).prune(t), "prune(t)");
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, new Identity().prune(t).div(t).toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new L1Unstructured(1).prune(t, null, Torch.ones(4)));
    }
}
