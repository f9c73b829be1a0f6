package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Parameter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every optimizer and scheduler follows PyTorch's 10-step trajectory (optim.safetensors), in float64. */
class OptimTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = OptimTest.class.getResourceAsStream("/goldens/optim.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Case(Function<List<Parameter>, Optimizer> opt, Function<Optimizer, LRScheduler> sched) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("SGD", new Case(ps -> new SGD(ps, 0.1), null));
        CASES.put("SGD_momentum", new Case(ps -> new SGD(ps, 0.05, 0.9, 0.1, 0.01, false, false), null));
        CASES.put("SGD_nesterov_maximize", new Case(ps -> new SGD(ps, 0.05, 0.8, 0, 0, true, true), null));
        CASES.put("Adam", new Case(ps -> new Adam(ps, 0.05), null));
        CASES.put("Adam_amsgrad_wd", new Case(ps -> new Adam(ps, 0.05, 0.8, 0.95, 1e-6, 0.1, true, false), null));
        CASES.put("AdamW", new Case(ps -> new AdamW(ps, 0.05), null));
        CASES.put("AdamW_amsgrad", new Case(ps -> new AdamW(ps, 0.05, 0.9, 0.999, 1e-8, 0.2, true, false), null));
        CASES.put("RMSprop", new Case(ps -> new RMSprop(ps, 0.01), null));
        CASES.put("RMSprop_centered_momentum",
                new Case(ps -> new RMSprop(ps, 0.01, 0.9, 1e-8, 0.05, 0.5, true, false), null));
        CASES.put("Adagrad", new Case(ps -> new Adagrad(ps, 0.1), null));
        CASES.put("Adagrad_decay", new Case(ps -> new Adagrad(ps, 0.1, 0.05, 0.1, 0.2, 1e-10, false), null));
        CASES.put("SGD_StepLR", new Case(ps -> new SGD(ps, 0.1, 0.5, 0, 0, false, false), o -> new StepLR(o, 3, 0.5)));
        CASES.put("Adam_ExponentialLR", new Case(ps -> new Adam(ps, 0.05), o -> new ExponentialLR(o, 0.9)));
        CASES.put("SGD_CosineAnnealingLR", new Case(ps -> new SGD(ps, 0.1), o -> new CosineAnnealingLR(o, 4, 0.01)));
    }

    static Tensor loss(Parameter w, Parameter b) {
        Tensor r = G.get("X").matmul(w.t()).add(b).sub(G.get("Y"));
        return r.mul(r).mean().add(w.pow(4).sum().mul(0.05));
    }

    static void run(Optimizer opt, LRScheduler sched, Parameter w, Parameter b, int from, int to, String name) {
        for (int step = from; step < to; step++) {
            opt.zeroGrad();
            loss(w, b).backward();
            opt.step();
            if (sched != null) {
                sched.step();
            }
            if (name != null) {
                close(name + " W step " + step, G.get(name + ".W." + step), w);
                close(name + " b step " + step, G.get(name + ".b." + step), b);
                assertEquals(G.get(name + ".lr." + step).item(), opt.paramGroups().get(0).get("lr"), 1e-15,
                        name + " lr step " + step);
            }
        }
    }

    static void close(String what, Tensor e, Tensor a) {
        double[] x = e.toDoubleArray();
        double[] y = a.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (!(Math.abs(x[i] - y[i]) <= 1e-12 + 1e-10 * Math.abs(x[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + x[i] + " got " + y[i]);
            }
        }
    }

    @TestFactory
    List<DynamicTest> trajectoriesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Parameter w = new Parameter(G.get("W").clone());
                Parameter b = new Parameter(G.get("b").clone());
                Optimizer opt = e.getValue().opt().apply(List.of(w, b));
                LRScheduler s = e.getValue().sched() == null ? null : e.getValue().sched().apply(opt);
                run(opt, s, w, b, 0, 10, e.getKey());
                Optimizer.StateDict sd = opt.stateDict();
                assertEquals(META.get(e.getKey() + ".state_keys"), String.join(",", sd.state().get(0).keySet()));
                List<String> torchGroup = new ArrayList<>(Arrays.asList(META.get(e.getKey() + ".group_keys").split(",")));
                torchGroup.removeAll(Set.of("foreach", "capturable", "differentiable", "fused"));
                assertEquals(torchGroup, new ArrayList<>(sd.paramGroups().get(0).keySet()));
            }));
        }
        return tests;
    }

    @Test
    void stateDictResumesTheSameTrajectory() {
        for (var e : CASES.entrySet()) {
            if (e.getValue().sched() != null) {
                continue;
            }
            Parameter w = new Parameter(G.get("W").clone());
            Parameter b = new Parameter(G.get("b").clone());
            Optimizer first = e.getValue().opt().apply(List.of(w, b));
            run(first, null, w, b, 0, 5, null);
            Optimizer.StateDict sd = first.stateDict();
            Optimizer second = e.getValue().opt().apply(List.of(w, b));
            second.loadStateDict(sd);
            run(second, null, w, b, 5, 10, e.getKey());
        }
    }

    @Test
    void badArguments() {
        List<Parameter> ps = List.of(new Parameter(Torch.ones(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1));
        assertEquals("Invalid learning rate: -1.0", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, 0, 0, true, false));
        assertEquals("Nesterov momentum requires a momentum and zero dampening", e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.9, 1e-8, 0, false, false));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        Optimizer o = new SGD(ps, 0.1);
        var e3 = assertThrows(IllegalArgumentException.class, () -> o.addParamGroup(
                new Optimizer.ParamGroup(ps, Map.of())));
        assertTrue(e3.getMessage().contains("more than one parameter group"));
        ps.get(0).sum().backward();
        o.zeroGrad();
        assertEquals(null, ps.get(0).grad());
        assertArrayEquals(new float[] {1, 1}, ps.get(0).toFloatArray());
    }
}
