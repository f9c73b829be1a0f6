package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The cyclical learning-rate policy, like {@code torch.optim.lr_scheduler.CyclicLR} (PyTorch 1.13): the lr
 * cycles between {@code baseLr} and {@code maxLr} (the amplitude scaled per policy), and the momentum inversely
 * between {@code maxMomentum} and {@code baseMomentum}. Step it after every batch.
 *
 * <p>Args: {@code optimizer}, and in {@link CyclicLROptions}: {@code baseLr}, {@code maxLr}, {@code stepSizeUp},
 * {@code stepSizeDown}, {@code mode}, {@code gamma}, {@code scaleFn}, {@code scaleMode}, {@code cycleMomentum},
 * {@code baseMomentum}, {@code maxMomentum}.
 *
 * <p>State dict: PyTorch's keys, but as PyTorch 2.x stores it: {@code _scale_fn_ref} (a weak reference to a bound
 * method in 1.13) is left out and {@code _scale_fn_custom} is null (functions are not saved).
 *
 * <p>Example: {@code new CyclicLR(opt, CyclicLR.options(0.001, 0.01).stepSizeUp(200).mode(CyclicLR.Mode.EXP_RANGE)
 * .gamma(0.999))}
 */
public class CyclicLR extends LRScheduler {
    /** The built-in scaling policies. */
    public enum Mode {
        /** No amplitude scaling. */
        TRIANGULAR("triangular"),
        /** The amplitude halves every cycle. */
        TRIANGULAR2("triangular2"),
        /** The amplitude scales by {@code gamma^iterations}. */
        EXP_RANGE("exp_range");

        private final String pytorchName;

        Mode(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        /** PyTorch's name ("triangular", "triangular2", "exp_range"). */
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
            throw new IllegalArgumentException("mode is invalid and scale_fn is None");
        }
    }

    /** What a scaling function is evaluated on. */
    public enum ScaleMode {
        /** The cycle number. */
        CYCLE("cycle"),
        /** The iterations since the start. */
        ITERATIONS("iterations");

        private final String pytorchName;

        ScaleMode(String pytorchName) {
            this.pytorchName = pytorchName;
        }

        /** PyTorch's name ("cycle", "iterations"). */
        public String pytorchName() {
            return pytorchName;
        }

        /** From PyTorch's name. */
        public static ScaleMode of(String name) {
            for (ScaleMode m : values()) {
                if (m.pytorchName.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("scale_mode must be 'cycle' or 'iterations', got " + name);
        }
    }

    private List<Double> maxLrs;
    private double totalSize;
    private double stepRatio;
    private Mode mode;
    private double gamma;
    private final DoubleUnaryOperator scaleFnCustom;
    private ScaleMode scaleMode;
    private boolean cycleMomentum;
    private List<Double> baseMomentums;
    private List<Double> maxMomentums;

    /** The options builder: {@code CyclicLR.options(0.001, 0.01).stepSizeUp(200)}. */
    public static CyclicLROptions options(double baseLr, double maxLr) {
        return new CyclicLROptions(baseLr, maxLr);
    }

    /** base_lr and max_lr, PyTorch's other defaults. */
    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr) {
        this(optimizer, new CyclicLROptions(baseLr, maxLr));
    }

    /** With the arguments of {@code options}. */
    public CyclicLR(Optimizer optimizer, CyclicLROptions options) {
        super(prepare(optimizer, options));
        int groups = optimizer.paramGroups().size();
        List<Double> baseLrsGiven = States.perGroup("base_lr", options.baseLr, groups);
        this.maxLrs = States.perGroup("max_lr", options.maxLr, groups);
        double up = options.stepSizeUp;
        double down = options.stepSizeDown != null ? options.stepSizeDown : up;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        this.mode = options.mode;
        this.gamma = options.gamma;
        this.scaleFnCustom = options.scaleFn;
        this.scaleMode = options.scaleFn != null ? options.scaleMode
                : options.mode == Mode.EXP_RANGE ? ScaleMode.ITERATIONS : ScaleMode.CYCLE;
        this.cycleMomentum = options.cycleMomentum;
        if (cycleMomentum) {
            this.baseMomentums = new ArrayList<>();
            for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
                baseMomentums.add(g.get("momentum"));
            }
            this.maxMomentums = States.perGroup("max_momentum", options.maxMomentum, groups);
        }
        initialStep();
        baseLrs.clear();
        baseLrs.addAll(baseLrsGiven);
    }

    /** Checks every argument, then sets each group's lr to base_lr (and momentum to base_momentum), as PyTorch
     * does before the base class records the initial lr. */
    private static Optimizer prepare(Optimizer optimizer, CyclicLROptions o) {
        Optimizer.given(o, "CyclicLR");
        int groups = LambdaLR.groupCount(optimizer);
        List<Double> base = States.perGroup("base_lr", o.baseLr, groups);
        States.perGroup("max_lr", o.maxLr, groups);
        if (o.mode == null && o.scaleFn == null) {
            throw new IllegalArgumentException("mode is invalid and scale_fn is None");
        }
        if (o.scaleFn != null && o.scaleMode == null) {
            throw new IllegalArgumentException("scale_mode must be 'cycle' or 'iterations', got null");
        }
        List<Double> baseMomentum = null;
        if (o.cycleMomentum) {
            if (!optimizer.defaults().containsKey("momentum")) {
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option "
                        + "enabled");
            }
            baseMomentum = States.perGroup("base_momentum", o.baseMomentum, groups);
            States.perGroup("max_momentum", o.maxMomentum, groups);
        }
        for (int i = 0; i < groups; i++) {
            optimizer.paramGroups().get(i).set("lr", base.get(i));
            if (baseMomentum != null) {
                optimizer.paramGroups().get(i).set("momentum", baseMomentum.get(i));
            }
        }
        return optimizer;
    }

    private double scaleFn(double x) {
        if (scaleFnCustom != null) {
            return scaleFnCustom.applyAsDouble(x);
        }
        return switch (mode) {
            case TRIANGULAR -> 1.0;
            case TRIANGULAR2 -> 1 / Math.pow(2.0, x - 1);
            case EXP_RANGE -> Math.pow(gamma, x);
        };
    }

    @Override
    protected List<Double> computeLr() {
        double cycle = Math.floor(1 + lastEpoch / totalSize);
        double x = 1. + lastEpoch / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = scaleFn(scaleMode == ScaleMode.CYCLE ? cycle : lastEpoch);
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < baseLrs.size(); i++) {
            double baseHeight = (maxLrs.get(i) - baseLrs.get(i)) * scaleFactor;
            lrs.add(baseLrs.get(i) + baseHeight * scale);
        }
        if (cycleMomentum) {
            for (int i = 0; i < baseMomentums.size(); i++) {
                double baseHeight = (maxMomentums.get(i) - baseMomentums.get(i)) * scaleFactor;
                optimizer.paramGroups().get(i).set("momentum", maxMomentums.get(i) - baseHeight * scale);
            }
        }
        return lrs;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("max_lrs", new ArrayList<>(maxLrs));
        sd.put("total_size", totalSize);
        sd.put("step_ratio", stepRatio);
        sd.put("mode", mode == null ? null : mode.pytorchName());
        sd.put("gamma", gamma);
        sd.put("_scale_fn_custom", null);
        sd.put("scale_mode", scaleMode.pytorchName());
        sd.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            sd.put("base_momentums", new ArrayList<>(baseMomentums));
            sd.put("max_momentums", new ArrayList<>(maxMomentums));
        }
    }

    @Override
    List<String> ignoredKeys() {
        return List.of("_scale_fn_ref", "base_momentums", "max_momentums");
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "max_lrs", v -> maxLrs = States.doubles("max_lrs", v));
        States.ifPresent(sd, "total_size", v -> totalSize = States.toDouble("total_size", v));
        States.ifPresent(sd, "step_ratio", v -> stepRatio = States.toDouble("step_ratio", v));
        States.ifPresent(sd, "mode", v -> mode = v == null ? null : Mode.of(States.toStr("mode", v)));
        States.ifPresent(sd, "gamma", v -> gamma = States.toDouble("gamma", v));
        States.ifPresent(sd, "scale_mode", v -> scaleMode = ScaleMode.of(States.toStr("scale_mode", v)));
        States.ifPresent(sd, "cycle_momentum", v -> cycleMomentum = States.toBool("cycle_momentum", v));
        States.ifPresent(sd, "base_momentums", v -> baseMomentums = States.doubles("base_momentums", v));
        States.ifPresent(sd, "max_momentums", v -> maxMomentums = States.doubles("max_momentums", v));
    }
}
