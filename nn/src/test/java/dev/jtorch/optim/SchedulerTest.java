package dev.jtorch.optim;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scheduler's lr (and cycled momentum or beta1) per group after construction and after each step, against
 * PyTorch 1.13 (schedulers.safetensors, tools/parity/gen_optim_goldens.py); get_last_lr; the keys and the numeric
 * entries of the state dict at the end; a state dict taken mid-run (with the optimizer's) resumes the same
 * sequence; CosineAnnealingWarmRestarts at fractional epochs; PyTorch's messages for bad arguments.
 */
class SchedulerTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = SchedulerTest.class.getResourceAsStream("/goldens/schedulers.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PyTorch's sgd2(): two groups, lr 0.1 and 0.05, momentum 0.9. */
    static Optimizer sgd2() {
        Optimizer o = new SGD(List.of(new Parameter(Torch.zeros(2))), SGD.options(0.1).momentum(0.9));
        o.addParamGroup(new Optimizer.ParamGroup(List.of(new Parameter(Torch.zeros(3))), Map.of("lr", 0.05)));
        return o;
    }

    /** PyTorch's adam2(): two groups, lr 0.01 and 0.02 (betas 0.8, 0.99). */
    static Optimizer adam2() {
        Optimizer o = new Adam(List.of(new Parameter(Torch.zeros(2))), 0.01);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("lr", 0.02);
        g.put("betas", List.of(0.8, 0.99));
        o.addParamGroup(new Optimizer.ParamGroup(List.of(new Parameter(Torch.zeros(3))), g));
        return o;
    }

    record Case(Supplier<Optimizer> opt, Function<Optimizer, Object> sched, int steps, String momentum) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static void add(String name, Supplier<Optimizer> opt, Function<Optimizer, Object> sched, int steps, String mom) {
        CASES.put(name, new Case(opt, sched, steps, mom));
    }

    static {
        List<IntToDoubleFunction> perGroup = List.of(e -> 1.0 / (e + 1), e -> Math.pow(0.9, e));
        List<IntToDoubleFunction> mult = List.of(e -> 0.9, e -> e % 2 != 0 ? 0.95 : 1.0);
        add("LambdaLR", SchedulerTest::sgd2, o -> new LambdaLR(o, e -> Math.pow(0.95, e)), 20, null);
        add("LambdaLR_groups", SchedulerTest::sgd2, o -> new LambdaLR(o, perGroup), 20, null);
        add("MultiplicativeLR", SchedulerTest::sgd2, o -> new MultiplicativeLR(o, e -> 0.9), 20, null);
        add("MultiplicativeLR_groups", SchedulerTest::sgd2, o -> new MultiplicativeLR(o, mult), 20, null);
        add("StepLR", SchedulerTest::sgd2, o -> new StepLR(o, 3, 0.5), 20, null);
        add("MultiStepLR", SchedulerTest::sgd2, o -> new MultiStepLR(o, List.of(2, 5, 5, 9), 0.5), 20, null);
        add("ConstantLR", SchedulerTest::sgd2, ConstantLR::new, 20, null);
        add("ConstantLR_half", SchedulerTest::sgd2, o -> new ConstantLR(o, 0.5, 3), 20, null);
        add("LinearLR", SchedulerTest::sgd2, LinearLR::new, 20, null);
        add("LinearLR_custom", SchedulerTest::sgd2, o -> new LinearLR(o, 0.25, 0.75, 6), 20, null);
        add("ExponentialLR", SchedulerTest::sgd2, o -> new ExponentialLR(o, 0.9), 20, null);
        add("PolynomialLR", SchedulerTest::sgd2, PolynomialLR::new, 20, null);
        add("PolynomialLR_power", SchedulerTest::sgd2, o -> new PolynomialLR(o, 8, 2.0), 20, null);
        add("CosineAnnealingLR", SchedulerTest::sgd2, o -> new CosineAnnealingLR(o, 6, 0.001), 30, null);
        add("CosineAnnealingWarmRestarts", SchedulerTest::sgd2, o -> new CosineAnnealingWarmRestarts(o, 4), 30, null);
        add("CosineAnnealingWarmRestarts_mult", SchedulerTest::sgd2,
                o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.01), 30, null);
        add("CyclicLR", SchedulerTest::sgd2, o -> new CyclicLR(o, CyclicLR.options(0.01, 0.1).stepSizeUp(4)), 30,
                "momentum");
        add("CyclicLR_triangular2", SchedulerTest::sgd2, o -> new CyclicLR(o, CyclicLR.options(0.01, 0.1)
                .baseLr(List.of(0.01, 0.02)).maxLr(List.of(0.1, 0.2)).stepSizeUp(3).stepSizeDown(5)
                .mode(CyclicLR.Mode.TRIANGULAR2).baseMomentum(List.of(0.7, 0.75)).maxMomentum(0.95)), 30, "momentum");
        add("CyclicLR_exp_range", SchedulerTest::sgd2, o -> new CyclicLR(o, CyclicLR.options(0.01, 0.1).stepSizeUp(4)
                .mode(CyclicLR.Mode.EXP_RANGE).gamma(0.9)), 30, "momentum");
        add("CyclicLR_scale_fn", SchedulerTest::sgd2, o -> new CyclicLR(o, CyclicLR.options(0.01, 0.1).stepSizeUp(2)
                .scaleFn(x -> Math.pow(0.5, x), CyclicLR.ScaleMode.ITERATIONS).cycleMomentum(false)), 30, null);
        add("CyclicLR_adam", SchedulerTest::adam2, o -> new CyclicLR(o, CyclicLR.options(0.001, 0.01).stepSizeUp(3)
                .cycleMomentum(false)), 30, null);
        add("OneCycleLR", SchedulerTest::sgd2, o -> new OneCycleLR(o, OneCycleLR.options(0.1).totalSteps(25)), 25,
                "momentum");
        add("OneCycleLR_linear_three_phase", SchedulerTest::sgd2, o -> new OneCycleLR(o, OneCycleLR.options(0.1)
                .maxLr(List.of(0.1, 0.2)).epochs(5).stepsPerEpoch(5).pctStart(0.4)
                .annealStrategy(OneCycleLR.AnnealStrategy.LINEAR).divFactor(10).finalDivFactor(100).threePhase(true)
                .baseMomentum(List.of(0.8, 0.85)).maxMomentum(0.9)), 25, "momentum");
        add("OneCycleLR_adam", SchedulerTest::adam2, o -> new OneCycleLR(o, OneCycleLR.options(0.01).totalSteps(20)
                .pctStart(0.25)), 20, "betas");
        add("OneCycleLR_no_momentum", SchedulerTest::sgd2, o -> new OneCycleLR(o, OneCycleLR.options(0.1)
                .totalSteps(16).cycleMomentum(false)), 16, "momentum");
        add("ReduceLROnPlateau", SchedulerTest::sgd2, o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.options()
                .patience(2)), 30, null);
        add("ReduceLROnPlateau_max_abs", SchedulerTest::sgd2, o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.options()
                .mode(ReduceLROnPlateau.Mode.MAX).factor(0.5).patience(1).threshold(0.1)
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS).cooldown(2).minLr(List.of(0.01, 0.002))), 30, null);
        add("ReduceLROnPlateau_min_abs_eps", SchedulerTest::sgd2, o -> new ReduceLROnPlateau(o,
                ReduceLROnPlateau.options().factor(0.5).patience(0).threshold(0.05)
                        .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS).minLr(0.02).eps(0.004)), 30, null);
        add("ReduceLROnPlateau_max_rel", SchedulerTest::sgd2, o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.options()
                .mode(ReduceLROnPlateau.Mode.MAX).factor(0.3).patience(3).threshold(0.01).cooldown(1)), 30, null);
        add("SequentialLR", SchedulerTest::sgd2, o -> new SequentialLR(o, List.of(new ConstantLR(o, 0.1, 2),
                new ExponentialLR(o, 0.9)), List.of(2)), 20, null);
        add("SequentialLR_three", SchedulerTest::sgd2, o -> new SequentialLR(o, List.of(new LinearLR(o, 0.2, 1.0, 4),
                new CosineAnnealingLR(o, 5), new StepLR(o, 2, 0.5)), List.of(4, 10)), 20, null);
        add("ChainedScheduler", SchedulerTest::sgd2, o -> new ChainedScheduler(List.of(new ConstantLR(o, 0.1, 2),
                new ExponentialLR(o, 0.9))), 20, null);
        add("ChainedScheduler_linear_multistep", SchedulerTest::sgd2, o -> new ChainedScheduler(List.of(
                new LinearLR(o, 0.5, 1.0, 4), new MultiStepLR(o, List.of(3, 6), 0.5))), 20, null);
    }

    static void step(Object s, int i) {
        if (s instanceof ReduceLROnPlateau r) {
            r.step(G.get("metrics").toDoubleArray()[i]);
        } else {
            ((LRScheduler) s).step();
        }
    }

    static List<Double> lastLr(Object s) {
        return s instanceof ReduceLROnPlateau r ? r.getLastLr() : ((LRScheduler) s).getLastLr();
    }

    static Map<String, Object> stateDict(Object s) {
        return s instanceof ReduceLROnPlateau r ? r.stateDict() : ((LRScheduler) s).stateDict();
    }

    static void loadStateDict(Object s, Map<String, Object> sd) {
        if (s instanceof ReduceLROnPlateau r) {
            r.loadStateDict(sd);
        } else {
            ((LRScheduler) s).loadStateDict(sd);
        }
    }

    static double momentum(Optimizer.ParamGroup g, String key) {
        return key.equals("betas") ? g.pair("betas")[0] : g.get("momentum");
    }

    static void check(String name, Case c, Optimizer opt, Object s, int row) {
        int groups = opt.paramGroups().size();
        double[] lr = G.get(name + ".lr").toDoubleArray();
        double[] last = G.get(name + ".last_lr").toDoubleArray();
        double[] mom = c.momentum() == null ? null : G.get(name + ".momentum").toDoubleArray();
        for (int g = 0; g < groups; g++) {
            String at = name + " step " + row + " group " + g;
            double e = lr[row * groups + g];
            assertEquals(e, opt.paramGroups().get(g).get("lr"), 1e-15 + 1e-12 * Math.abs(e), at + " lr");
            assertEquals(last[row * groups + g], lastLr(s).get(g), 1e-15 + 1e-12 * Math.abs(e), at + " last lr");
            if (mom != null) {
                assertEquals(mom[row * groups + g], momentum(opt.paramGroups().get(g), c.momentum()), 1e-12,
                        at + " momentum");
            }
        }
    }

    /** PyTorch 1.13's state-dict keys, with the callables jtorch stores as PyTorch 2.x does. */
    static List<String> torchStateKeys(String name) {
        List<String> keys = new ArrayList<>(Arrays.asList(META.get(name + ".state_keys").split(",")));
        keys.remove("_scale_fn_ref");
        keys.replaceAll(k -> k.equals("anneal_func") ? "_anneal_func_type" : k);
        return keys;
    }

    @TestFactory
    List<DynamicTest> lrSequencesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                String name = e.getKey();
                Case c = e.getValue();
                Optimizer opt = c.opt().get();
                Object s = c.sched().apply(opt);
                check(name, c, opt, s, 0);
                for (int i = 0; i < c.steps(); i++) {
                    opt.step();
                    step(s, i);
                    check(name, c, opt, s, i + 1);
                }
                List<String> groupKeys = new ArrayList<>(opt.paramGroups().get(0).options().keySet());
                List<String> torchGroup = new ArrayList<>(Arrays.asList(META.get(name + ".group_keys").split(",")));
                torchGroup.removeAll(Set.of("foreach", "capturable", "differentiable", "fused"));
                assertEquals(torchGroup, groupKeys);
                int compared = compareState(name, stateDict(s));
                assertTrue(compared >= 2, name + ": state entries compared");
            }));
        }
        return tests;
    }

    /** The keys of a state dict and its entries that the goldens hold (numbers, lists of numbers, strings), with
     * the state dicts of the schedulers a SequentialLR or ChainedScheduler holds; returns how many were compared. */
    @SuppressWarnings("unchecked")
    static int compareState(String name, Map<String, Object> sd) {
        assertEquals(torchStateKeys(name), new ArrayList<>(sd.keySet()), name);
        int compared = 0;
        for (String k : sd.keySet()) {
            Tensor t = G.get(name + ".sd." + k);
            if (k.equals("_schedulers")) {
                List<Map<String, Object>> subs = (List<Map<String, Object>>) sd.get(k);
                for (int i = 0; i < subs.size(); i++) {
                    compared += compareState(name + ".sd._schedulers." + i, subs.get(i));
                }
            } else if (t != null) {
                double[] expected = t.toDoubleArray();
                double[] actual = numbers(sd.get(k));
                assertEquals(expected.length, actual.length, name + " " + k);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])),
                            name + " state " + k);
                }
                compared++;
            } else if (META.containsKey(name + ".sd." + k)) {
                assertEquals(META.get(name + ".sd." + k), sd.get(k), name + " state " + k);
                compared++;
            }
        }
        return compared;
    }

    static double[] numbers(Object v) {
        if (v instanceof Boolean b) {
            return new double[] {b ? 1 : 0};
        }
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        List<?> l = (List<?>) v;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).doubleValue();
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> aStateDictTakenMidRunResumesTheSequence() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                String name = e.getKey();
                Case c = e.getValue();
                int k = c.steps() / 3 + 1;
                Optimizer opt = c.opt().get();
                Object s = c.sched().apply(opt);
                for (int i = 0; i < k; i++) {
                    opt.step();
                    step(s, i);
                }
                Optimizer.StateDict osd = opt.stateDict();
                Map<String, Object> ssd = stateDict(s);
                step(s, k);  // the first scheduler moves on; the saved state does not
                Optimizer opt2 = c.opt().get();
                Object s2 = c.sched().apply(opt2);
                opt2.loadStateDict(osd);
                loadStateDict(s2, ssd);
                check(name, c, opt2, s2, k);
                for (int i = k; i < c.steps(); i++) {
                    opt2.step();
                    step(s2, i);
                    check(name, c, opt2, s2, i + 1);
                }
            }));
        }
        return tests;
    }

    @Test
    void cosineAnnealingWarmRestartsAtFractionalEpochs() {
        Optimizer opt = sgd2();
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(opt, 3, 2, 0.001);
        double[] epochs = G.get("CAWR_fractional.epochs").toDoubleArray();
        double[] lr = G.get("CAWR_fractional.lr").toDoubleArray();
        for (int i = 0; i < epochs.length; i++) {
            s.step(epochs[i]);
            for (int g = 0; g < 2; g++) {
                assertEquals(lr[2 * i + g], opt.paramGroups().get(g).get("lr"), 1e-15, "epoch " + epochs[i]);
            }
        }
    }

    @Test
    void loadingABadStateDictChangesNothing() {
        Optimizer opt = sgd2();
        StepLR s = new StepLR(opt, 3, 0.5);
        s.step();
        Map<String, Object> before = s.stateDict();
        Map<String, Object> bad = new LinkedHashMap<>(before);
        bad.put("gamma", 0.25);
        bad.put("last_epoch", "seven");
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertEquals("state dict entry 'last_epoch' should be an int, got String seven", e.getMessage());
        assertEquals(before, s.stateDict());
        Map<String, Object> unknown = Map.of("gamma", 0.25, "step_sizes", 3);
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(unknown));
        assertTrue(e.getMessage().startsWith("unexpected key 'step_sizes' in the state dict of StepLR"));
        assertEquals(before, s.stateDict());
        Map<String, Object> longs = new LinkedHashMap<>(before);
        longs.put("last_epoch", 5L);  // as TorchLoad reads Python ints
        s.loadStateDict(longs);
        assertEquals(5, s.stateDict().get("last_epoch"));
    }

    @TestFactory
    List<DynamicTest> badArgumentsRaisePyTorchsMessages() {
        Map<String, Executable> bad = new LinkedHashMap<>();
        bad.put("ConstantLR_factor", () -> new ConstantLR(sgd2(), 1.5, 5));
        bad.put("LinearLR_start", () -> new LinearLR(sgd2(), -0.5, 1.0, 5));
        bad.put("LinearLR_end", () -> new LinearLR(sgd2(), 1.0 / 3, 1.5, 5));
        bad.put("LambdaLR_count", () -> new LambdaLR(sgd2(), List.of(e -> 1.0)));
        bad.put("MultiplicativeLR_count", () -> new MultiplicativeLR(sgd2(), List.of(e -> 1.0, e -> 1.0, e -> 1.0)));
        bad.put("CAWR_T0", () -> new CosineAnnealingWarmRestarts(sgd2(), 0));
        bad.put("CAWR_Tmult", () -> new CosineAnnealingWarmRestarts(sgd2(), 3, 0, 0));
        bad.put("CAWR_epoch", () -> new CosineAnnealingWarmRestarts(sgd2(), 3).step(-1));
        bad.put("CyclicLR_momentum", () -> new CyclicLR(adam2(), 0.01, 0.1));
        bad.put("CyclicLR_max_lr", () -> new CyclicLR(sgd2(), CyclicLR.options(0.01, 0.1)
                .maxLr(List.of(0.1, 0.2, 0.3))));
        bad.put("CyclicLR_base_lr", () -> new CyclicLR(sgd2(), CyclicLR.options(0.01, 0.1).baseLr(List.of(0.01))));
        bad.put("CyclicLR_mode", () -> CyclicLR.Mode.of("foo"));
        bad.put("OneCycleLR_none", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1)));
        bad.put("OneCycleLR_total", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1).totalSteps(0)));
        bad.put("OneCycleLR_epochs", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1).epochs(0)
                .stepsPerEpoch(3)));
        bad.put("OneCycleLR_spe", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1).epochs(3).stepsPerEpoch(-2)));
        bad.put("OneCycleLR_pct", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1).totalSteps(10)
                .pctStart(1.5)));
        bad.put("OneCycleLR_anneal", () -> OneCycleLR.AnnealStrategy.of("foo"));
        bad.put("OneCycleLR_max_lr", () -> new OneCycleLR(sgd2(), OneCycleLR.options(0.1).maxLr(List.of(0.1))
                .totalSteps(10)));
        bad.put("OneCycleLR_momentum", () -> new OneCycleLR(new Adagrad(List.of(new Parameter(Torch.zeros(1))),
                0.01), OneCycleLR.options(0.1).totalSteps(10)));
        bad.put("ReduceLROnPlateau_factor", () -> new ReduceLROnPlateau(sgd2(), ReduceLROnPlateau.options()
                .factor(1.0)));
        bad.put("ReduceLROnPlateau_mode", () -> ReduceLROnPlateau.Mode.of("foo"));
        bad.put("ReduceLROnPlateau_threshold_mode", () -> ReduceLROnPlateau.ThresholdMode.of("foo"));
        bad.put("ReduceLROnPlateau_min_lr", () -> new ReduceLROnPlateau(sgd2(), ReduceLROnPlateau.options()
                .minLr(List.of(0.1, 0.2, 0.3))));
        bad.put("SequentialLR_milestones", () -> {
            Optimizer o = sgd2();
            new SequentialLR(o, List.of(new ConstantLR(o), new ExponentialLR(o, 0.9)), List.of(2, 3));
        });
        bad.put("SequentialLR_optimizer", () -> {
            Optimizer o = sgd2();
            new SequentialLR(o, List.of(new ConstantLR(o), new ExponentialLR(sgd2(), 0.9)), List.of(2));
        });
        bad.put("ChainedScheduler_optimizer", () -> new ChainedScheduler(List.of(new ConstantLR(sgd2()),
                new ExponentialLR(sgd2(), 0.9))));
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : bad.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                var ex = assertThrows(IllegalArgumentException.class, e.getValue());
                assertEquals(META.get("err." + e.getKey()), ex.getMessage());
            }));
        }
        tests.add(DynamicTest.dynamicTest("OneCycleLR_overrun", () -> {
            OneCycleLR s = new OneCycleLR(sgd2(), OneCycleLR.options(0.1).totalSteps(3));
            for (int i = 0; i < 3; i++) {
                s.step();
            }
            Map<String, Object> before = s.stateDict();
            var ex = assertThrows(IllegalStateException.class, s::step);
            assertEquals(META.get("err.OneCycleLR_overrun"), ex.getMessage());
            assertEquals(before, s.stateDict(), "nothing changed");
        }));
        long inGoldens = META.keySet().stream().filter(k -> k.startsWith("err.")).count();
        assertEquals(inGoldens, bad.size() + 1, "every message in the goldens is checked");
        return tests;
    }
}
