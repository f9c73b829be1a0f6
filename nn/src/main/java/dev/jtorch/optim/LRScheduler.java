package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}: it records each
 * group's initial lr, and {@link #step()} (called once per epoch, after {@code optimizer.step()}) sets every
 * group's "lr" from the chainable formula of the subclass. Construction performs the first step (epoch 0).
 */
public abstract class LRScheduler {
    /** The optimizer whose groups are scheduled. */
    protected final Optimizer optimizer;
    /** The lr of each group when the scheduler was created. */
    protected final List<Double> baseLrs = new ArrayList<>();
    /** The epoch of the last step (-1 before the first). */
    protected int lastEpoch = -1;
    /** How many times step() ran. */
    protected int stepCount;
    private List<Double> lastLr = List.of();

    /** Schedules {@code optimizer}'s groups from their current lr. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            g.options().putIfAbsent("initial_lr", g.get("lr"));
            baseLrs.add(g.get("initial_lr"));
        }
    }

    /** Call at the end of the subclass constructor: the initial step to epoch 0. */
    protected final void initialStep() {
        step();
    }

    /** The new lr of each group for {@link #lastEpoch}, from the groups' current lr (chainable form). */
    protected abstract List<Double> computeLr();

    /** Advances one epoch and sets the groups' lr. */
    public void step() {
        stepCount++;
        lastEpoch++;
        List<Double> lrs = computeLr();
        for (int i = 0; i < lrs.size(); i++) {
            optimizer.paramGroups().get(i).set("lr", lrs.get(i));
        }
        lastLr = List.copyOf(lrs);
    }

    /** The lr set by the last step, per group ({@code get_last_lr}). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** The current lr of each group. */
    protected List<Double> groupLrs() {
        List<Double> out = new ArrayList<>();
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get("lr"));
        }
        return out;
    }
}
