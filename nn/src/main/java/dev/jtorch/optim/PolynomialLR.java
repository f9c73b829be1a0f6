package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decays each group's lr polynomially to zero over {@code totalIters} epochs, like
 * {@code torch.optim.lr_scheduler.PolynomialLR}: {@code lr = base * (1 - min(t, T) / T)^power}.
 *
 * <p>Args: {@code optimizer}, {@code totalIters} (default 5), {@code power} (default 1).
 *
 * <p>Example: {@code new PolynomialLR(opt, 100, 2.0)}
 */
public class PolynomialLR extends LRScheduler {
    private int totalIters;
    private double power;

    /** Linear decay over 5 epochs. */
    public PolynomialLR(Optimizer optimizer) {
        this(optimizer, 5, 1.0);
    }

    /** With every argument. */
    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super(optimizer);
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) {
            return lrs;
        }
        double decay = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters),
                power);
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) {
            out.add(lr * decay);
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(base * Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power));
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("total_iters", totalIters);
        sd.put("power", power);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "total_iters", v -> totalIters = States.toInt("total_iters", v));
        States.ifPresent(sd, "power", v -> power = States.toDouble("power", v));
    }
}
