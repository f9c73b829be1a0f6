package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps several chainable schedulers of one optimizer together, like
 * {@code torch.optim.lr_scheduler.ChainedScheduler}: each step calls every scheduler's {@code step()} in order, so
 * their factors multiply.
 *
 * <p>Args: {@code schedulers} (at least one, all on the same optimizer).
 *
 * <p>State dict: {@code _last_lr} and {@code _schedulers}, the list of the schedulers' own state dicts.
 *
 * <p>Example: {@code new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)))}
 */
public class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    /** Chains {@code schedulers}. */
    public ChainedScheduler(List<? extends LRScheduler> schedulers) {
        super(check(schedulers));
        this.schedulers = List.copyOf(schedulers);
        setLastLr(groupLrs());
    }

    private static Optimizer check(List<? extends LRScheduler> schedulers) {
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("ChainedScheduler needs at least one scheduler");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i) == null) {
                throw new IllegalArgumentException("scheduler " + i + " is null");
            }
            if (schedulers.get(i).optimizer != schedulers.get(0).optimizer) {
                throw new IllegalArgumentException("ChainedScheduler expects all schedulers to belong to the same "
                        + "optimizer, but got schedulers at index 0 and " + i + " to be different");
            }
        }
        return schedulers.get(0).optimizer;
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    protected List<Double> computeLr() {
        return groupLrs();
    }

    /** Steps every scheduler once. */
    @Override
    public void step() {
        for (LRScheduler s : schedulers) {
            s.step();
        }
        setLastLr(groupLrs());
    }

    @Override
    void stepAt(int epoch) {
        throw new UnsupportedOperationException("a ChainedScheduler cannot be restarted at an epoch");
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("_last_lr", new ArrayList<>(getLastLr()));
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            subs.add(s.stateDict());
        }
        sd.put("_schedulers", subs);
        return sd;
    }

    @Override
    public void loadStateDict(Map<String, ?> sd) {
        SequentialLR.loadWithSchedulers(this, schedulers, sd,
                () -> States.ifPresent(sd, "_last_lr", v -> setLastLr(States.doubles("_last_lr", v))));
    }
}
