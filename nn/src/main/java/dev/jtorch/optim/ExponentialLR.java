package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiplies each group's lr by gamma every epoch, like {@code torch.optim.lr_scheduler.ExponentialLR}.
 *
 * <p>Args: {@code optimizer}, {@code gamma}.
 *
 * <p>Example: {@code new ExponentialLR(opt, 0.9)}
 */
public class ExponentialLR extends LRScheduler {
    private final double gamma;

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
}
