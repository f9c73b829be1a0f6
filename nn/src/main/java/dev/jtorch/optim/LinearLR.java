package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's lr by a factor that moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, like {@code torch.optim.lr_scheduler.LinearLR} (a warm-up).
 *
 * <p>Args: {@code optimizer}, {@code startFactor} (in [0, 1], default 1/3), {@code endFactor} (in [0, 1],
 * default 1), {@code totalIters} (default 5).
 *
 * <p>Example: {@code new LinearLR(opt, 0.1, 1.0, 10)}
 */
public class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** From 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    /** With every argument. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(check(optimizer, startFactor, endFactor));
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    private static Optimizer check(Optimizer optimizer, double startFactor, double endFactor) {
        if (startFactor > 1.0 || startFactor < 0) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        }
        return optimizer;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) {
            if (lastEpoch == 0) {
                out.add(lr * startFactor);
            } else if (lastEpoch > totalIters) {
                out.add(lr);
            } else {
                out.add(lr * (1. + (endFactor - startFactor)
                        / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor))));
            }
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("start_factor", startFactor);
        sd.put("end_factor", endFactor);
        sd.put("total_iters", totalIters);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "start_factor", v -> startFactor = States.toDouble("start_factor", v));
        States.ifPresent(sd, "end_factor", v -> endFactor = States.toDouble("end_factor", v));
        States.ifPresent(sd, "total_iters", v -> totalIters = States.toInt("total_iters", v));
    }
}
