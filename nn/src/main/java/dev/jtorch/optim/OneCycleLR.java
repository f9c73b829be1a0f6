package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy, like {@code torch.optim.lr_scheduler.OneCycleLR}: the lr rises from
 * {@code maxLr / divFactor} to {@code maxLr} over {@code pctStart} of the steps, then falls to
 * {@code initialLr / finalDivFactor} (with {@code threePhase}, back to the initial lr and then down), and the
 * momentum (SGD's "momentum", or Adam's beta1) moves inversely. Step it after every batch; stepping past
 * {@code totalSteps} fails.
 *
 * <p>Args: {@code optimizer}, and in {@link OneCycleLROptions}: {@code maxLr}, {@code totalSteps} (or
 * {@code epochs} and {@code stepsPerEpoch}), {@code pctStart}, {@code annealStrategy}, {@code cycleMomentum},
 * {@code baseMomentum}, {@code maxMomentum}, {@code divFactor}, {@code finalDivFactor}, {@code threePhase}.
 *
 * <p>State dict: PyTorch's keys, but as PyTorch 2.x stores it: {@code _anneal_func_type} ("cos" or "linear") in
 * place of 1.13's bound method {@code anneal_func}.
 *
 * <p>Example: {@code new OneCycleLR(opt, OneCycleLR.options(0.1).totalSteps(1000))}
 */
public class OneCycleLR extends LRScheduler {
    /** The annealing between the phase boundaries. */
    public enum AnnealStrategy {
        /** Cosine annealing. */
        COS("cos"),
        /** Linear annealing. */
        LINEAR("linear");

        private final String pytorchName;

        AnnealStrategy(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        /** PyTorch's name ("cos", "linear"). */
        public String pytorchName() {
            return pytorchName;
        }

        /** From PyTorch's name. */
        public static AnnealStrategy of(String name) {
            for (AnnealStrategy a : values()) {
                if (a.pytorchName.equals(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got "
                    + name);
        }
    }

    /** One phase: where it ends and the group keys of its start and end values. */
    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("end_step", endStep);
            m.put("start_lr", startLr);
            m.put("end_lr", endLr);
            m.put("start_momentum", startMomentum);
            m.put("end_momentum", endMomentum);
            return m;
        }
    }

    private int totalSteps;
    private List<Phase> phases;
    private AnnealStrategy anneal;
    private boolean cycleMomentum;
    private boolean useBeta1;

    /** The options builder: {@code OneCycleLR.options(0.1).totalSteps(1000)}. */
    public static OneCycleLROptions options(double maxLr) {
        return new OneCycleLROptions(maxLr);
    }

    /** With the arguments of {@code options}. */
    public OneCycleLR(Optimizer optimizer, OneCycleLROptions options) {
        super(prepare(optimizer, options));
        this.totalSteps = totalSteps(options);
        this.phases = phases(options, totalSteps);
        this.anneal = options.annealStrategy;
        this.cycleMomentum = options.cycleMomentum;
        this.useBeta1 = optimizer.defaults().containsKey("betas");
        initialStep();
    }

    private static int totalSteps(OneCycleLROptions o) {
        if (o.totalSteps != null) {
            if (o.totalSteps <= 0) {
                throw new IllegalArgumentException("Expected positive integer total_steps, but got " + o.totalSteps);
            }
            return o.totalSteps;
        }
        if (o.epochs == null || o.stepsPerEpoch == null) {
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        }
        if (o.epochs <= 0) {
            throw new IllegalArgumentException("Expected positive integer epochs, but got " + o.epochs);
        }
        if (o.stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got "
                    + o.stepsPerEpoch);
        }
        return Math.multiplyExact(o.epochs, o.stepsPerEpoch);
    }

    private static List<Phase> phases(OneCycleLROptions o, int total) {
        if (o.threePhase) {
            return List.of(
                    new Phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * o.pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        }
        return List.of(
                new Phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    /** Checks every argument, then writes each group's initial_lr, max_lr, min_lr (and momentum boundaries), as
     * PyTorch does before the base class reads initial_lr. */
    private static Optimizer prepare(Optimizer optimizer, OneCycleLROptions o) {
        Optimizer.given(o, "OneCycleLR");
        int groups = LambdaLR.groupCount(optimizer);
        totalSteps(o);
        if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + o.pctStart);
        }
        if (o.annealStrategy == null) {
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got null");
        }
        List<Double> maxLrs = States.perGroup("max_lr", o.maxLr, groups);
        List<Double> maxMomentums = null;
        List<Double> baseMomentums = null;
        boolean useBeta1 = optimizer.defaults().containsKey("betas");
        if (o.cycleMomentum) {
            if (!optimizer.defaults().containsKey("momentum") && !useBeta1) {
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option "
                        + "enabled");
            }
            maxMomentums = States.perGroup("max_momentum", o.maxMomentum, groups);
            baseMomentums = States.perGroup("base_momentum", o.baseMomentum, groups);
        }
        for (int i = 0; i < groups; i++) {
            Optimizer.ParamGroup g = optimizer.paramGroups().get(i);
            double initial = maxLrs.get(i) / o.divFactor;
            g.set("initial_lr", initial);
            g.set("max_lr", maxLrs.get(i));
            g.set("min_lr", initial / o.finalDivFactor);
            if (maxMomentums != null) {
                setMomentum(g, useBeta1, maxMomentums.get(i));
                g.set("max_momentum", maxMomentums.get(i));
                g.set("base_momentum", baseMomentums.get(i));
            }
        }
        return optimizer;
    }

    private static void setMomentum(Optimizer.ParamGroup g, boolean useBeta1, double m) {
        if (useBeta1) {
            g.set("betas", List.of(m, g.pair("betas")[1]));
        } else {
            g.set("momentum", m);
        }
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == AnnealStrategy.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    /** Advances one step; fails (changing nothing) past {@code total_steps}. */
    @Override
    public void step() {
        if (lastEpoch + 1 > totalSteps) {
            throw new IllegalStateException("Tried to step " + (lastEpoch + 2) + " times. The specified number of "
                    + "total steps is " + totalSteps);
        }
        super.step();
    }

    @Override
    protected List<Double> computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + (stepNum + 1) + " times. The specified number of "
                    + "total steps is " + totalSteps);
        }
        List<Double> lrs = new ArrayList<>();
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            double startStep = 0;
            double lr = 0;
            double momentum = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                    lr = anneal(g.get(phase.startLr()), g.get(phase.endLr()), pct);
                    if (cycleMomentum) {
                        momentum = anneal(g.get(phase.startMomentum()), g.get(phase.endMomentum()), pct);
                    }
                    break;
                }
                startStep = phase.endStep();
            }
            lrs.add(lr);
            if (cycleMomentum) {
                setMomentum(g, useBeta1, momentum);
            }
        }
        return lrs;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("total_steps", totalSteps);
        List<Map<String, Object>> ph = new ArrayList<>();
        for (Phase p : phases) {
            ph.add(p.toMap());
        }
        sd.put("_schedule_phases", ph);
        sd.put("_anneal_func_type", anneal.pytorchName());
        sd.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            sd.put("use_beta1", useBeta1);
        }
    }

    @Override
    List<String> ignoredKeys() {
        return List.of("anneal_func", "use_beta1");
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "total_steps", v -> totalSteps = States.toInt("total_steps", v));
        States.ifPresent(sd, "_schedule_phases", v -> {
            if (!(v instanceof List<?> l)) {
                throw new IllegalArgumentException("state dict entry '_schedule_phases' should be a list of phases, "
                        + "got " + v);
            }
            List<Phase> out = new ArrayList<>();
            for (Object o : l) {
                Map<String, Object> m = States.stringMap("_schedule_phases", o);
                out.add(new Phase(States.toDouble("end_step", m.get("end_step")),
                        States.toStr("start_lr", m.get("start_lr")), States.toStr("end_lr", m.get("end_lr")),
                        States.toStr("start_momentum", m.get("start_momentum")),
                        States.toStr("end_momentum", m.get("end_momentum"))));
            }
            phases = out;
        });
        States.ifPresent(sd, "_anneal_func_type", v -> anneal = AnnealStrategy.of(States.toStr("_anneal_func_type",
                v)));
        States.ifPresent(sd, "cycle_momentum", v -> cycleMomentum = States.toBool("cycle_momentum", v));
        States.ifPresent(sd, "use_beta1", v -> useBeta1 = States.toBool("use_beta1", v));
    }
}
