package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's lr by a constant factor until epoch {@code totalIters}, like
 * {@code torch.optim.lr_scheduler.ConstantLR}.
 *
 * <p>Args: {@code optimizer}, {@code factor} (in [0, 1], default 1/3), {@code totalIters} (default 5).
 *
 * <p>Example: {@code new ConstantLR(opt, 0.5, 4)}
 */
public class ConstantLR extends LRScheduler {
    private double factor;
    private int totalIters;

    /** factor 1/3 for 5 epochs. */
    public ConstantLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 5);
    }

    /** With every argument. */
    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        super(check(optimizer, factor));
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    private static Optimizer check(Optimizer optimizer, double factor) {
        if (factor > 1.0 || factor < 0) {
            throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        }
        return optimizer;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) {
            if (lastEpoch == 0) {
                out.add(lr * factor);
            } else if (lastEpoch != totalIters) {
                out.add(lr);
            } else {
                out.add(lr * (1.0 / factor));
            }
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * (factor + (lastEpoch >= totalIters ? 1 : 0) * (1 - factor)));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("factor", factor);
        sd.put("total_iters", totalIters);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "factor", v -> factor = States.toDouble("factor", v));
        States.ifPresent(sd, "total_iters", v -> totalIters = States.toInt("total_iters", v));
    }
}
