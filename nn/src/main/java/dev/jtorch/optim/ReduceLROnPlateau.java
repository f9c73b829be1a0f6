package dev.jtorch.optim;

import dev.jtorch.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces each group's lr by {@code factor} when a metric has not improved for {@code patience} epochs, like
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}; stepped with the metric: {@code scheduler.step(valLoss)}.
 * As in PyTorch 1.13 it is not an {@link LRScheduler}; {@link #getLastLr()} is there from construction (as in
 * PyTorch 2.x).
 *
 * <p>Args: {@code optimizer}, and in {@link ReduceLROnPlateauOptions}: {@code mode}, {@code factor},
 * {@code patience}, {@code threshold}, {@code thresholdMode}, {@code cooldown}, {@code minLr}, {@code eps}.
 *
 * <p>Example:
 * <pre>{@code
 * ReduceLROnPlateau s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(5));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);
 *     s.step(validate(...));
 * }
 * }</pre>
 */
public class ReduceLROnPlateau {
    /** Whether the monitored quantity should fall or rise. */
    public enum Mode {
        /** Reduce when the metric stops decreasing. */
        MIN("min"),
        /** Reduce when the metric stops increasing. */
        MAX("max");

        private final String pytorchName;

        Mode(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        /** PyTorch's name ("min", "max"). */
        public String pytorchName() {
            return pytorchName;
        }

        /** From PyTorch's name. */
        public static Mode of(String name) {
            for (Mode m : values()) {
                if (m.pytorchName.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode " + name + " is unknown!");
        }
    }

    /** How the threshold compares a metric with the best so far. */
    public enum ThresholdMode {
        /** {@code best * (1 -+ threshold)}. */
        REL("rel"),
        /** {@code best -+ threshold}. */
        ABS("abs");

        private final String pytorchName;

        ThresholdMode(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        /** PyTorch's name ("rel", "abs"). */
        public String pytorchName() {
            return pytorchName;
        }

        /** From PyTorch's name. */
        public static ThresholdMode of(String name) {
            for (ThresholdMode m : values()) {
                if (m.pytorchName.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("threshold mode " + name + " is unknown!");
        }
    }

    private final Optimizer optimizer;
    private double factor;
    private List<Double> minLrs;
    private int patience;
    private int cooldown;
    private int cooldownCounter;
    private Mode mode;
    private double threshold;
    private ThresholdMode thresholdMode;
    private double best;
    private int numBadEpochs;
    private double modeWorse;
    private double eps;
    private int lastEpoch;
    private List<Double> lastLr;

    /** The options builder with PyTorch's defaults: {@code ReduceLROnPlateau.options().patience(3)}. */
    public static ReduceLROnPlateauOptions options() {
        return new ReduceLROnPlateauOptions();
    }

    /** With PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, new ReduceLROnPlateauOptions());
    }

    /** With the arguments of {@code options}. */
    public ReduceLROnPlateau(Optimizer optimizer, ReduceLROnPlateauOptions o) {
        Optimizer.given(o, "ReduceLROnPlateau");
        if (o.factor >= 1.0) {
            throw new IllegalArgumentException("Factor should be < 1.0.");
        }
        int groups = LambdaLR.groupCount(optimizer);
        if (o.minLr instanceof List<?> l && l.size() != groups) {
            throw new IllegalArgumentException("expected " + groups + " min_lrs, got " + l.size());
        }
        if (o.mode == null) {
            throw new IllegalArgumentException("mode null is unknown!");
        }
        if (o.thresholdMode == null) {
            throw new IllegalArgumentException("threshold mode null is unknown!");
        }
        this.optimizer = optimizer;
        this.factor = o.factor;
        this.minLrs = States.perGroup("min_lr", o.minLr, groups);
        this.patience = o.patience;
        this.cooldown = o.cooldown;
        this.mode = o.mode;
        this.threshold = o.threshold;
        this.thresholdMode = o.thresholdMode;
        this.eps = o.eps;
        this.modeWorse = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.best = modeWorse;
        this.lastLr = currentLrs();
    }

    /** The scheduled optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** One epoch with this value of the monitored metric. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            for (int i = 0; i < optimizer.paramGroups().size(); i++) {
                Optimizer.ParamGroup g = optimizer.paramGroups().get(i);
                double oldLr = g.get("lr");
                double newLr = Math.max(oldLr * factor, minLrs.get(i));
                if (oldLr - newLr > eps) {
                    g.set("lr", newLr);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    /** {@link #step(double)} with a one-element tensor's value. */
    public void step(Tensor metric) {
        step(metric.item());
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
    }

    private List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get("lr"));
        }
        return List.copyOf(out);
    }

    /** The groups' lr after the last step (at construction: their lr then). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** Whether a reduction happened less than {@code cooldown} epochs ago. */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /** The state with PyTorch's keys (its attributes but the optimizer). */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("factor", factor);
        sd.put("min_lrs", new ArrayList<>(minLrs));
        sd.put("patience", patience);
        sd.put("verbose", false);
        sd.put("cooldown", cooldown);
        sd.put("cooldown_counter", cooldownCounter);
        sd.put("mode", mode.pytorchName());
        sd.put("threshold", threshold);
        sd.put("threshold_mode", thresholdMode.pytorchName());
        sd.put("best", best);
        sd.put("num_bad_epochs", numBadEpochs);
        sd.put("mode_worse", modeWorse);
        sd.put("eps", eps);
        sd.put("last_epoch", lastEpoch);
        sd.put("_last_lr", new ArrayList<>(lastLr));
        return sd;
    }

    /** Restores the entries present in {@code sd}; an unknown key or a wrong value changes nothing. */
    public void loadStateDict(Map<String, ?> sd) {
        Map<String, Object> known = stateDict();
        for (String k : sd.keySet()) {
            if (!known.containsKey(k)) {
                throw new IllegalArgumentException("unexpected key '" + k + "' in the state dict of "
                        + "ReduceLROnPlateau (expected " + known.keySet() + ")");
            }
        }
        try {
            restore(sd);
        } catch (IllegalArgumentException e) {
            restore(known);
            throw e;
        }
    }

    private void restore(Map<String, ?> sd) {
        States.ifPresent(sd, "factor", v -> factor = States.toDouble("factor", v));
        States.ifPresent(sd, "min_lrs", v -> minLrs = States.doubles("min_lrs", v));
        States.ifPresent(sd, "patience", v -> patience = States.toInt("patience", v));
        States.ifPresent(sd, "cooldown", v -> cooldown = States.toInt("cooldown", v));
        States.ifPresent(sd, "cooldown_counter", v -> cooldownCounter = States.toInt("cooldown_counter", v));
        States.ifPresent(sd, "mode", v -> mode = Mode.of(States.toStr("mode", v)));
        States.ifPresent(sd, "threshold", v -> threshold = States.toDouble("threshold", v));
        States.ifPresent(sd, "threshold_mode", v -> thresholdMode = ThresholdMode.of(States.toStr("threshold_mode",
                v)));
        States.ifPresent(sd, "best", v -> best = States.toDouble("best", v));
        States.ifPresent(sd, "num_bad_epochs", v -> numBadEpochs = States.toInt("num_bad_epochs", v));
        States.ifPresent(sd, "mode_worse", v -> modeWorse = States.toDouble("mode_worse", v));
        States.ifPresent(sd, "eps", v -> eps = States.toDouble("eps", v));
        States.ifPresent(sd, "last_epoch", v -> lastEpoch = States.toInt("last_epoch", v));
        States.ifPresent(sd, "_last_lr", v -> lastLr = List.copyOf(States.doubles("_last_lr", v)));
    }
}
