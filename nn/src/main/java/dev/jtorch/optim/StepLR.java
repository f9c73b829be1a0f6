package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's lr by gamma every {@code stepSize} epochs, like {@code torch.optim.lr_scheduler.StepLR}.
 *
 * <p>Args: {@code optimizer}, {@code stepSize}, {@code gamma} (default 0.1).
 *
 * <p>Example: {@code StepLR s = new StepLR(opt, 30, 0.1); ... s.step();  // once per epoch}
 */
public class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** gamma 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /** With every argument. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("step_size must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> out = new ArrayList<>();
        for (double lr : groupLrs()) {
            out.add(lastEpoch == 0 || lastEpoch % stepSize != 0 ? lr : lr * gamma);
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize)));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("step_size", stepSize);
        sd.put("gamma", gamma);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "step_size", v -> stepSize = States.toInt("step_size", v));
        States.ifPresent(sd, "gamma", v -> gamma = States.toDouble("gamma", v));
    }
}
