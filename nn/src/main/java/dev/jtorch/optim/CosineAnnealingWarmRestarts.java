package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cosine annealing with warm restarts (SGDR), like {@code torch.optim.lr_scheduler.CosineAnnealingWarmRestarts}:
 * {@code lr = etaMin + (base - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2}, where {@code T_cur} counts the epochs
 * since the last restart and the period {@code T_i} starts at {@code t0} and is multiplied by {@code tMult} at
 * each restart.
 *
 * <p>Args: {@code optimizer}, {@code t0} (the first period, positive), {@code tMult} (default 1, at least 1),
 * {@code etaMin} (default 0).
 *
 * <p>{@link #step(double)} takes a fractional epoch as PyTorch's {@code step(epoch)} does, to step inside an
 * epoch: {@code scheduler.step(epoch + i / (double) iters)}.
 *
 * <p>Example: {@code new CosineAnnealingWarmRestarts(opt, 10, 2, 1e-5)}
 */
public class CosineAnnealingWarmRestarts extends LRScheduler {
    private int t0;
    private int tI;
    private int tMult;
    private double etaMin;
    private double tCur;

    /** Period {@code t0}, tMult 1, etaMin 0. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
        this(optimizer, t0, 1, 0);
    }

    /** With every argument. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(check(optimizer, t0, tMult));
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = lastEpoch;
        initialStep();
    }

    private static Optimizer check(Optimizer optimizer, int t0, int tMult) {
        if (t0 <= 0) {
            throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
        }
        if (tMult < 1) {
            throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
        }
        return optimizer;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) {
            out.add(etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
        }
        return out;
    }

    /** The next epoch (epoch 0 the first time). */
    @Override
    public void step() {
        if (lastEpoch < 0) {
            step(0);
            return;
        }
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch = lastEpoch + 1;
        setLrs(computeLr());
    }

    /** Jumps to {@code epoch}, which may be fractional (non-negative). */
    public void step(double epoch) {
        if (!(epoch >= 0)) {
            String shown = epoch == Math.rint(epoch) ? Long.toString((long) epoch) : Double.toString(epoch);
            throw new IllegalArgumentException("Expected non-negative epoch, but got " + shown);
        }
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * (int) Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        setLrs(computeLr());
    }

    @Override
    void stepAt(int epoch) {
        step((double) epoch);
    }

    @Override
    protected void saveState(Map<String, Object> sd) {
        sd.put("T_0", t0);
        sd.put("T_i", tI);
        sd.put("T_mult", tMult);
        sd.put("eta_min", etaMin);
        sd.put("T_cur", tCur);
    }

    @Override
    protected void loadState(Map<String, ?> sd) {
        States.ifPresent(sd, "T_0", v -> t0 = States.toInt("T_0", v));
        States.ifPresent(sd, "T_i", v -> tI = States.toInt("T_i", v));
        States.ifPresent(sd, "T_mult", v -> tMult = States.toInt("T_mult", v));
        States.ifPresent(sd, "eta_min", v -> etaMin = States.toDouble("eta_min", v));
        States.ifPresent(sd, "T_cur", v -> tCur = States.toDouble("T_cur", v));
    }
}
