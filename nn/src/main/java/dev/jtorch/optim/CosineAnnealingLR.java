package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cosine annealing from each group's initial lr down to {@code etaMin} over {@code tMax} epochs, like
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} (PyTorch's recursive form, so it chains with other
 * changes of the lr).
 *
 * <p>Args: {@code optimizer}, {@code tMax}, {@code etaMin} (default 0).
 *
 * <p>Example: {@code new CosineAnnealingLR(opt, 100, 0)}
 */
public class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** etaMin 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /** With every argument. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("T_max must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < lrs.size(); i++) {
            double lr = lrs.get(i);
            double base = baseLrs.get(i);
            if (lastEpoch == 0) {
                out.add(lr);
            } else if (stepCount == 1 && lastEpoch > 0) {
                out.add(etaMin + (base - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2);
            } else if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
                out.add(lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
            } else {
                out.add((1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr - etaMin) + etaMin);
            }
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2);
        }
        return out;
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("T_max", tMax);
        sd.put("eta_min", etaMin);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "T_max", v -> tMax = States.toInt("T_max", v));
        States.ifPresent(sd, "eta_min", v -> etaMin = States.toDouble("eta_min", v));
    }
}
