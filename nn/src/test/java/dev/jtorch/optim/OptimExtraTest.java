package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Parameter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop and more hyperparameter sets of SGD, Adam, AdamW, RMSprop and Adagrad
 * follow PyTorch's 10-step float64 trajectories (optim_extra.safetensors, tools/parity/gen_optim_goldens.py; NAdam
 * against PyTorch 2.x's formula), built through the options objects; the older cases of optim.safetensors built
 * through options too; state-dict round trips mid-run; PyTorch 1.13's messages for bad hyperparameters.
 */
class OptimExtraTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;
    static final Map<String, Tensor> OLD;

    static {
        try (InputStream in = OptimExtraTest.class.getResourceAsStream("/goldens/optim_extra.safetensors");
             InputStream old = OptimExtraTest.class.getResourceAsStream("/goldens/optim.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
            OLD = SafeTensors.open(old.readAllBytes()).all();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final Map<String, Function<List<Parameter>, Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("Adadelta", ps -> new Adadelta(ps));
        CASES.put("Adadelta_wd_maximize", ps -> new Adadelta(ps, Adadelta.options().lr(0.5).rho(0.8).eps(1e-5)
                .weightDecay(0.1).maximize(true)));
        CASES.put("Adamax", ps -> new Adamax(ps, 0.05));
        CASES.put("Adamax_wd_maximize", ps -> new Adamax(ps, Adamax.options().lr(0.05).betas(0.8, 0.9).eps(1e-6)
                .weightDecay(0.1).maximize(true)));
        CASES.put("NAdam", ps -> new NAdam(ps, 0.05));
        CASES.put("NAdam_wd", ps -> new NAdam(ps, NAdam.options().lr(0.05).betas(0.8, 0.95).eps(1e-6)
                .weightDecay(0.1).momentumDecay(0.01)));
        CASES.put("RAdam", ps -> new RAdam(ps, 0.05));
        CASES.put("RAdam_wd", ps -> new RAdam(ps, RAdam.options().lr(0.05).betas(0.8, 0.9).eps(1e-6)
                .weightDecay(0.1)));
        CASES.put("ASGD", ps -> new ASGD(ps, 0.05));
        CASES.put("ASGD_t0_wd", ps -> new ASGD(ps, ASGD.options().lr(0.05).lambd(1e-2).alpha(0.5).t0(3)
                .weightDecay(0.1)));
        CASES.put("ASGD_maximize", ps -> new ASGD(ps, ASGD.options().lr(0.02).t0(5).maximize(true)));
        CASES.put("Rprop", ps -> new Rprop(ps));
        CASES.put("Rprop_custom_maximize", ps -> new Rprop(ps, Rprop.options().lr(0.02).etas(0.3, 1.5)
                .stepSizes(1e-3, 0.05).maximize(true)));
        CASES.put("Adam_maximize_wd", ps -> new Adam(ps, Adam.options().lr(0.05).weightDecay(0.05).maximize(true)));
        CASES.put("AdamW_maximize", ps -> new AdamW(ps, AdamW.options().lr(0.05).betas(0.85, 0.99).maximize(true)));
        CASES.put("SGD_wd_dampening", ps -> new SGD(ps, SGD.options(0.05).momentum(0.5).dampening(0.5)
                .weightDecay(0.1)));
        CASES.put("RMSprop_momentum_maximize", ps -> new RMSprop(ps, RMSprop.options().lr(0.01).momentum(0.3)
                .maximize(true)));
        CASES.put("RMSprop_centered_wd", ps -> new RMSprop(ps, RMSprop.options().lr(0.01).alpha(0.95).eps(1e-6)
                .weightDecay(0.1).centered(true)));
        CASES.put("Adagrad_maximize", ps -> new Adagrad(ps, Adagrad.options().lr(0.1).eps(1e-6).maximize(true)));
        CASES.put("Adamax_groups", ps -> {
            Optimizer o = new Adamax(ps.subList(0, 1), 0.05);
            o.addParamGroup(new Optimizer.ParamGroup(ps.subList(1, 2), opts("lr", 0.1, "weight_decay", 0.2)));
            return o;
        });
        CASES.put("RAdam_groups", ps -> {
            Optimizer o = new RAdam(ps.subList(0, 1), RAdam.options().lr(0.05).betas(0.8, 0.9));
            o.addParamGroup(new Optimizer.ParamGroup(ps.subList(1, 2), opts("betas", List.of(0.9, 0.999))));
            return o;
        });
        CASES.put("Rprop_groups", ps -> {
            Optimizer o = new Rprop(ps.subList(0, 1));
            o.addParamGroup(new Optimizer.ParamGroup(ps.subList(1, 2), opts("lr", 0.05, "etas", List.of(0.4, 1.3))));
            return o;
        });
    }

    /** The cases of optim.safetensors (OptimTest builds them with positional constructors), through options. */
    static final Map<String, Function<List<Parameter>, Optimizer>> OPTIONS_FORM = new LinkedHashMap<>();

    static {
        OPTIONS_FORM.put("SGD", ps -> new SGD(ps, SGD.options(0.1)));
        OPTIONS_FORM.put("SGD_momentum", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9).dampening(0.1)
                .weightDecay(0.01)));
        OPTIONS_FORM.put("SGD_nesterov_maximize", ps -> new SGD(ps, SGD.options(0.05).momentum(0.8).nesterov(true)
                .maximize(true)));
        OPTIONS_FORM.put("Adam", ps -> new Adam(ps, Adam.options().lr(0.05)));
        OPTIONS_FORM.put("Adam_amsgrad_wd", ps -> new Adam(ps, Adam.options().lr(0.05).betas(0.8, 0.95).eps(1e-6)
                .weightDecay(0.1).amsgrad(true)));
        OPTIONS_FORM.put("AdamW", ps -> new AdamW(ps, AdamW.options().lr(0.05)));
        OPTIONS_FORM.put("AdamW_amsgrad", ps -> new AdamW(ps, AdamW.options().lr(0.05).weightDecay(0.2)
                .amsgrad(true)));
        OPTIONS_FORM.put("RMSprop", ps -> new RMSprop(ps, RMSprop.options().lr(0.01)));
        OPTIONS_FORM.put("RMSprop_centered_momentum", ps -> new RMSprop(ps, RMSprop.options().lr(0.01).alpha(0.9)
                .weightDecay(0.05).momentum(0.5).centered(true)));
        OPTIONS_FORM.put("Adagrad", ps -> new Adagrad(ps, Adagrad.options().lr(0.1)));
        OPTIONS_FORM.put("Adagrad_decay", ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.05)
                .weightDecay(0.1).initialAccumulatorValue(0.2)));
    }

    static Tensor loss(Map<String, Tensor> g, Tensor w, Tensor b) {
        Tensor r = g.get("X").to(w.dtype()).matmul(w.t()).add(b).sub(g.get("Y").to(w.dtype()));
        return r.mul(r).mean().add(w.pow(4).sum().mul(0.05));
    }

    static void close(String what, Tensor e, Tensor a, double rtol) {
        double[] x = e.toDoubleArray();
        double[] y = a.toDoubleArray();
        assertEquals(x.length, y.length, what);
        for (int i = 0; i < x.length; i++) {
            if (!(Math.abs(x[i] - y[i]) <= rtol * 1e-2 + rtol * Math.abs(x[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + x[i] + " got " + y[i]);
            }
        }
    }

    /** Steps {@code from..to-1}, checking W and b against {@code golden}'s steps when a name is given. */
    static void run(Map<String, Tensor> golden, Optimizer opt, Parameter w, Parameter b, int from, int to,
                    String name, double rtol) {
        for (int step = from; step < to; step++) {
            opt.zeroGrad();
            loss(golden, w, b).backward();
            opt.step();
            if (name != null) {
                close(name + " W step " + step, golden.get(name + ".W." + step), w, rtol);
                close(name + " b step " + step, golden.get(name + ".b." + step), b, rtol);
            }
        }
    }

    static Parameter[] fresh(Map<String, Tensor> golden, DType dtype) {
        return new Parameter[] {new Parameter(golden.get("W").to(dtype).clone()),
                new Parameter(golden.get("b").to(dtype).clone())};
    }

    static List<String> torchGroupKeys(String name) {
        List<String> keys = new ArrayList<>(Arrays.asList(META.get(name + ".group_keys").split(",")));
        keys.removeAll(Set.of("foreach", "capturable", "differentiable", "fused", "params"));
        return keys;
    }

    @TestFactory
    List<DynamicTest> trajectoriesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Parameter[] p = fresh(G, DType.FLOAT64);
                Optimizer opt = e.getValue().apply(List.of(p));
                run(G, opt, p[0], p[1], 0, 10, e.getKey(), 1e-10);
                Optimizer.StateDict sd = opt.stateDict();
                assertEquals(META.get(e.getKey() + ".state_keys"), String.join(",", sd.state().get(0).keySet()));
                if (META.containsKey(e.getKey() + ".group_keys")) {
                    List<String> keys = new ArrayList<>(sd.paramGroups().get(0).keySet());
                    keys.remove("params");
                    if (e.getKey().endsWith("_groups")) {
                        // groups built with addParamGroup list the options in another order than PyTorch's dicts
                        assertEquals(new LinkedHashSet<>(torchGroupKeys(e.getKey())), new LinkedHashSet<>(keys));
                    } else {
                        assertEquals(torchGroupKeys(e.getKey()), keys);
                    }
                    assertEquals(Integer.parseInt(META.get(e.getKey() + ".groups")), sd.paramGroups().size());
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> optionsFormOfTheOlderOptimizersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : OPTIONS_FORM.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Parameter[] p = fresh(OLD, DType.FLOAT64);
                run(OLD, e.getValue().apply(List.of(p)), p[0], p[1], 0, 10, e.getKey(), 1e-10);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> stateDictMidRunResumesTheSameTrajectory() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Parameter[] p = fresh(G, DType.FLOAT64);
                Optimizer first = e.getValue().apply(List.of(p));
                run(G, first, p[0], p[1], 0, 5, null, 0);
                Optimizer.StateDict sd = first.stateDict();
                Optimizer second = e.getValue().apply(List.of(p));
                second.loadStateDict(sd);
                // the loaded state is a copy: the first optimizer stepping on does not move the second
                for (Map.Entry<String, Object> s : sd.state().get(0).entrySet()) {
                    if (s.getValue() instanceof Tensor t) {
                        assertNotSame(t, second.stateDict().state().get(0).get(s.getKey()));
                    }
                }
                run(G, second, p[0], p[1], 5, 10, e.getKey(), 1e-10);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> float32FollowsTheFloat64Trajectory() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Parameter[] p = fresh(G, DType.FLOAT32);
                Optimizer opt = e.getValue().apply(List.of(p));
                run(G, opt, p[0], p[1], 0, 10, null, 0);
                assertEquals(DType.FLOAT32, p[0].dtype());
                // Rprop's sign tests can flip on rounding near zero; every other rule is smooth
                double tol = e.getKey().startsWith("Rprop") ? 5e-3 : 1e-4;
                close(e.getKey() + " W float32", G.get(e.getKey() + ".W.9"), p[0], tol);
                close(e.getKey() + " b float32", G.get(e.getKey() + ".b.9"), p[1], tol);
            }));
        }
        return tests;
    }

    @Test
    void stepWithAClosureReturnsItsLossAndTakesTheSameStep() {
        Parameter[] p = fresh(G, DType.FLOAT64);
        Parameter[] q = fresh(G, DType.FLOAT64);
        Optimizer a = new NAdam(List.of(p), 0.05);
        Optimizer b = new NAdam(List.of(q), 0.05);
        for (int i = 0; i < 3; i++) {
            Tensor l = a.step(() -> {
                a.zeroGrad();
                Tensor x = loss(G, p[0], p[1]);
                x.backward();
                return x;
            });
            b.zeroGrad();
            Tensor expected = loss(G, q[0], q[1]);
            expected.backward();
            assertSame(null, b.step(null));
            assertEquals(expected.item(), l.item(), 0);
            assertTrue(p[0].equal(q[0]) && p[1].equal(q[1]));
        }
    }

    @Test
    void parametersWithoutAGradientAreSkipped() {
        Parameter w = new Parameter(Torch.ones(3));
        Parameter unused = new Parameter(Torch.ones(2));
        for (Optimizer o : List.of(new Adadelta(List.of(w, unused)), new Adamax(List.of(w, unused)),
                new NAdam(List.of(w, unused)), new RAdam(List.of(w, unused)), new ASGD(List.of(w, unused)),
                new Rprop(List.of(w, unused)))) {
            o.zeroGrad();
            w.mul(w).sum().backward();
            o.step();
            assertEquals(1, o.stateDict().state().size(), o.getClass().getSimpleName());
            assertTrue(unused.equal(Torch.ones(2)));
        }
    }

    @TestFactory
    List<DynamicTest> badHyperparametersRaisePyTorchsMessages() {
        List<Parameter> ps = List.of(new Parameter(Torch.zeros(2)));
        Map<String, Executable> bad = new LinkedHashMap<>();
        bad.put("Adadelta_lr", () -> new Adadelta(ps, -0.5));
        bad.put("Adadelta_rho", () -> new Adadelta(ps, Adadelta.options().rho(1.5)));
        bad.put("Adadelta_eps", () -> new Adadelta(ps, Adadelta.options().eps(-0.5)));
        bad.put("Adadelta_wd", () -> new Adadelta(ps, Adadelta.options().weightDecay(-0.5)));
        bad.put("Adamax_lr", () -> new Adamax(ps, -0.5));
        bad.put("Adamax_eps", () -> new Adamax(ps, Adamax.options().eps(-0.5)));
        bad.put("Adamax_beta0", () -> new Adamax(ps, Adamax.options().betas(1.0, 0.9)));
        bad.put("Adamax_beta1", () -> new Adamax(ps, Adamax.options().betas(0.9, -0.5)));
        bad.put("Adamax_wd", () -> new Adamax(ps, Adamax.options().weightDecay(-0.5)));
        bad.put("NAdam_lr", () -> new NAdam(ps, -0.5));
        bad.put("NAdam_eps", () -> new NAdam(ps, NAdam.options().eps(-0.5)));
        bad.put("NAdam_beta0", () -> new NAdam(ps, NAdam.options().betas(1.5, 0.9)));
        bad.put("NAdam_beta1", () -> new NAdam(ps, NAdam.options().betas(0.9, 1.0)));
        bad.put("NAdam_wd", () -> new NAdam(ps, NAdam.options().weightDecay(-0.5)));
        bad.put("NAdam_momentum_decay", () -> new NAdam(ps, NAdam.options().momentumDecay(-0.5)));
        bad.put("RAdam_lr", () -> new RAdam(ps, -0.5));
        bad.put("RAdam_eps", () -> new RAdam(ps, RAdam.options().eps(-0.5)));
        bad.put("RAdam_beta0", () -> new RAdam(ps, RAdam.options().betas(-0.5, 0.9)));
        bad.put("RAdam_beta1", () -> new RAdam(ps, RAdam.options().betas(0.9, 1.5)));
        bad.put("RAdam_wd", () -> new RAdam(ps, RAdam.options().weightDecay(-0.5)));
        bad.put("ASGD_lr", () -> new ASGD(ps, -0.5));
        bad.put("ASGD_wd", () -> new ASGD(ps, ASGD.options().weightDecay(-0.5)));
        bad.put("Rprop_lr", () -> new Rprop(ps, -0.5));
        bad.put("Rprop_etas_low", () -> new Rprop(ps, Rprop.options().etas(1.5, 1.2)));
        bad.put("Rprop_etas_high", () -> new Rprop(ps, Rprop.options().etas(0.5, 0.75)));
        bad.put("Rprop_etas_zero", () -> new Rprop(ps, Rprop.options().etas(0.0, 1.2)));
        bad.put("SGD_momentum", () -> new SGD(ps, SGD.options(0.1).momentum(-0.5)));
        bad.put("SGD_wd", () -> new SGD(ps, SGD.options(0.1).weightDecay(-0.5)));
        bad.put("Adam_beta1", () -> new Adam(ps, Adam.options().betas(0.9, 1.0)));
        bad.put("Adam_eps", () -> new Adam(ps, Adam.options().eps(-0.5)));
        bad.put("RMSprop_alpha", () -> new RMSprop(ps, RMSprop.options().alpha(-0.5)));
        bad.put("RMSprop_momentum", () -> new RMSprop(ps, RMSprop.options().momentum(-0.5)));
        bad.put("Adagrad_lr_decay", () -> new Adagrad(ps, Adagrad.options().lrDecay(-0.5)));
        bad.put("Adagrad_init", () -> new Adagrad(ps, Adagrad.options().initialAccumulatorValue(-0.5)));
        bad.put("LBFGS_groups", () -> new LBFGS(ps).addParamGroup(
                new Optimizer.ParamGroup(List.of(new Parameter(Torch.zeros(1))), Map.of())));
        bad.put("empty", () -> new Adamax(List.of()));
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : bad.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                var ex = assertThrows(IllegalArgumentException.class, e.getValue());
                assertEquals(META.get("err." + e.getKey()), ex.getMessage());
            }));
        }
        long inGoldens = META.keySet().stream().filter(k -> k.startsWith("err.")).count();
        assertEquals(inGoldens, bad.size(), "every message in the goldens is checked");
        return tests;
    }
}
