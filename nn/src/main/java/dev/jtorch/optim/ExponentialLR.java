package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's lr by gamma every epoch, like {@code torch.optim.lr_scheduler.ExponentialLR}.
 *
 * <p>Args: {@code optimizer}, {@code gamma}.
 *
 * <p>Example: {@code new ExponentialLR(opt, 0.9)}
 */
public class ExponentialLR extends LRScheduler {
    private double gamma;

    /** Decay by {@code gamma} per epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> out = new ArrayList<>();
        for (double lr : groupLrs()) {
            out.add(lastEpoch == 0 ? lr : lr * gamma);
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * Math.pow(gamma, lastEpoch));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("gamma", gamma);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "gamma", v -> gamma = States.toDouble("gamma", v));
    }
}
