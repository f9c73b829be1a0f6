package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Parameter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LBFGS against PyTorch 1.13 (optim_extra.safetensors): without line search and with strong Wolfe, on the
 * quadratic-plus-quartic loss of the trajectory tests and on Rosenbrock from (-1.5, 2), several step(closure)
 * calls each: parameters, returned loss, func_evals, n_iter and the number of closure calls; a state dict taken
 * mid-run resumes the same run.
 */
class LbfgsTest {
    static final Map<String, Tensor> G = OptimExtraTest.G;
    static final Map<String, String> META = OptimExtraTest.META;

    record Case(boolean rosen, LBFGSOptions options, int steps) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("LBFGS_quad", new Case(false, LBFGS.options().lr(1).maxIter(5).historySize(3), 4));
        CASES.put("LBFGS_quad_wolfe", new Case(false, LBFGS.options().maxIter(10).historySize(4)
                .lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE), 3));
        CASES.put("LBFGS_quad_tol", new Case(false, LBFGS.options().lr(0.5).maxIter(30).maxEval(7)
                .toleranceGrad(1e-3).toleranceChange(1e-6), 4));
        CASES.put("LBFGS_rosen", new Case(true, LBFGS.options().lr(0.1).maxIter(20).historySize(10), 5));
        CASES.put("LBFGS_rosen_wolfe", new Case(true, LBFGS.options().lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE),
                5));
        CASES.put("LBFGS_rosen_wolfe_small", new Case(true, LBFGS.options().lr(0.5).maxIter(7).historySize(2)
                .lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE), 6));
    }

    static List<Parameter> params(Case c) {
        if (c.rosen()) {
            return List.of(new Parameter(G.get("rosen.x0").clone()));
        }
        return List.of(new Parameter(G.get("W").clone()), new Parameter(G.get("b").clone()));
    }

    static Tensor rosenbrock(Tensor x) {
        Tensor x0 = x.narrow(0, 0, 1);
        Tensor x1 = x.narrow(0, 1, 1);
        return x0.rsub(1).pow(2).add(x1.sub(x0.pow(2)).pow(2).mul(100)).sum();
    }

    /** The closure PyTorch's generator uses; counts its calls in {@code calls[0]}. */
    static Supplier<Tensor> closure(Case c, Optimizer opt, List<Parameter> ps, int[] calls) {
        return () -> {
            calls[0]++;
            opt.zeroGrad();
            Tensor loss = c.rosen() ? rosenbrock(ps.get(0)) : OptimExtraTest.loss(G, ps.get(0), ps.get(1));
            loss.backward();
            return loss;
        };
    }

    static void steps(String name, Case c, LBFGS opt, List<Parameter> ps, int from, int to, int[] calls) {
        double[] losses = G.get(name + ".loss").toDoubleArray();
        double[] evals = G.get(name + ".func_evals").toDoubleArray();
        double[] iters = G.get(name + ".n_iter").toDoubleArray();
        double[] ncalls = G.get(name + ".closure_calls").toDoubleArray();
        for (int step = from; step < to; step++) {
            double loss = opt.step(closure(c, opt, ps, calls)).item();
            String at = name + " step " + step;
            assertEquals(losses[step], loss, 1e-12 + 1e-9 * Math.abs(losses[step]), at + " loss");
            Map<String, Object> st = opt.stateDict().state().get(0);
            assertEquals((long) evals[step], st.get("func_evals"), at + " func_evals");
            assertEquals((long) iters[step], st.get("n_iter"), at + " n_iter");
            assertEquals((int) ncalls[step], calls[0], at + " closure calls");
            for (int i = 0; i < ps.size(); i++) {
                OptimExtraTest.close(at + " p" + i, G.get(name + ".p" + i + "." + step), ps.get(i), 1e-9);
            }
        }
    }

    @TestFactory
    List<DynamicTest> runsMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Case c = e.getValue();
                List<Parameter> ps = params(c);
                LBFGS opt = new LBFGS(ps, c.options());
                int[] calls = {0};
                steps(e.getKey(), c, opt, ps, 0, c.steps(), calls);
                Optimizer.StateDict sd = opt.stateDict();
                assertEquals(META.get(e.getKey() + ".state_keys"), String.join(",", sd.state().get(0).keySet()));
                List<String> group = new ArrayList<>(sd.paramGroups().get(0).keySet());
                assertEquals(Arrays.asList(META.get(e.getKey() + ".group_keys").split(",")), group);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> aStateDictTakenMidRunResumesIt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Case c = e.getValue();
                List<Parameter> ps = params(c);
                LBFGS first = new LBFGS(ps, c.options());
                int[] calls = {0};
                steps(e.getKey(), c, first, ps, 0, 2, calls);
                Optimizer.StateDict sd = first.stateDict();
                first.step(closure(c, first, ps, new int[1]));  // moves the first optimizer's state on, not sd's
                List<Parameter> again = params(c);
                LBFGS second = new LBFGS(again, c.options());
                for (int i = 0; i < ps.size(); i++) {
                    again.get(i).detach().copy_(G.get(e.getKey() + ".p" + i + ".1"));
                }
                second.loadStateDict(sd);
                steps(e.getKey(), c, second, again, 2, c.steps(), calls);
            }));
        }
        return tests;
    }

    @Test
    void float32ParametersConverge() {
        Parameter x = new Parameter(G.get("rosen.x0").to(DType.FLOAT32).clone());
        LBFGS opt = new LBFGS(List.of(x), LBFGS.options().lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE));
        Case c = CASES.get("LBFGS_rosen_wolfe");
        for (int i = 0; i < 5; i++) {
            opt.step(closure(c, opt, List.of(x), new int[1]));
        }
        assertEquals(DType.FLOAT32, x.dtype());
        OptimExtraTest.close("float32 Rosenbrock", G.get("LBFGS_rosen_wolfe.p0.4"), x, 1e-3);
    }

    @Test
    void misuseIsRefusedClearly() {
        Parameter x = new Parameter(Torch.ones(2));
        LBFGS opt = new LBFGS(List.of(x));
        var e = assertThrows(IllegalArgumentException.class, opt::step);
        assertTrue(e.getMessage().contains("needs a closure"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(() -> null));
        assertTrue(e.getMessage().contains("one-element tensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LBFGS.LineSearch.of("backtracking"));
        assertEquals("only 'strong_wolfe' is supported", e.getMessage());
        assertEquals(null, LBFGS.LineSearch.of(null));
        e = assertThrows(IllegalArgumentException.class, () -> new LBFGS(List.of(x), LBFGS.options().historySize(0)));
        assertEquals("history_size must be positive, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LBFGS(List.of(x), LBFGS.options().maxIter(0)));
        assertEquals("max_iter must be positive, got 0", e.getMessage());
        assertEquals(25, (int) new LBFGS(List.of(x), LBFGS.options().maxIter(20)).defaults().get("max_eval"));
    }

    @Test
    void aParameterWithoutAGradientCountsAsZeroGradient() {
        Parameter x = new Parameter(Torch.tensor(new double[] {3, -2}, 2));
        Parameter unused = new Parameter(Torch.ones(3));
        LBFGS opt = new LBFGS(List.of(x, unused), LBFGS.options().lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE));
        for (int i = 0; i < 3; i++) {
            opt.step(() -> {
                opt.zeroGrad();
                Tensor l = x.mul(x).sum();
                l.backward();
                return l;
            });
        }
        assertTrue(x.abs().max().item() < 1e-6, "the quadratic's minimum");
        assertTrue(unused.equal(Torch.ones(3)));
    }
}
