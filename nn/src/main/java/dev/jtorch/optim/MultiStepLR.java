package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's lr by gamma at each milestone epoch (a milestone given twice multiplies by gamma
 * twice), like {@code torch.optim.lr_scheduler.MultiStepLR}.
 *
 * <p>Args: {@code optimizer}, {@code milestones} (epoch indices, increasing), {@code gamma} (default 0.1).
 *
 * <p>State dict: {@code milestones} is PyTorch's {@code Counter}, a map from milestone to its count.
 *
 * <p>Example: {@code new MultiStepLR(opt, List.of(30, 80), 0.1)}
 */
public class MultiStepLR extends LRScheduler {
    private Map<Integer, Integer> milestones;
    private double gamma;

    /** gamma 0.1. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) {
        this(optimizer, milestones, 0.1);
    }

    /** With every argument. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        this.milestones = count(milestones);
        this.gamma = gamma;
        initialStep();
    }

    private static Map<Integer, Integer> count(List<?> milestones) {
        if (milestones == null) {
            throw new IllegalArgumentException("milestones must be a list of epochs, got null");
        }
        Map<Integer, Integer> c = new LinkedHashMap<>();
        for (int m : States.ints("milestones", milestones)) {
            c.merge(m, 1, Integer::sum);
        }
        return c;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        Integer n = milestones.get(lastEpoch);
        if (n == null) {
            return lrs;
        }
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) {
            out.add(lr * Math.pow(gamma, n));
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        int passed = 0;
        for (Map.Entry<Integer, Integer> e : milestones.entrySet()) {
            if (e.getKey() <= lastEpoch) {
                passed += e.getValue();
            }
        }
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * Math.pow(gamma, passed));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("milestones", new LinkedHashMap<>(milestones));
        sd.put("gamma", gamma);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "milestones", v -> {
            Map<Integer, Integer> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : States.map("milestones", v).entrySet()) {
                m.put(States.toInt("milestones", e.getKey()), States.toInt("milestones", e.getValue()));
            }
            milestones = m;
        });
        States.ifPresent(sd, "gamma", v -> gamma = States.toDouble("gamma", v));
    }
}
