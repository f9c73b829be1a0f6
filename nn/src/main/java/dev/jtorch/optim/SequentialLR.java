package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs, like
 * {@code torch.optim.lr_scheduler.SequentialLR} (PyTorch 1.13's behaviour: at construction every group's lr goes
 * back to its initial lr and the first scheduler restarts; at a milestone the next scheduler jumps to its epoch
 * 0 through its closed form where it has one).
 *
 * <p>Args: {@code optimizer}, {@code schedulers} (built on the same optimizer), {@code milestones} (one fewer
 * than the schedulers).
 *
 * <p>State dict: {@code _milestones}, {@code last_epoch}, {@code _last_lr} and {@code _schedulers}, the list of
 * the schedulers' own state dicts.
 *
 * <p>Example:
 * <pre>{@code
 * LRScheduler warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * LRScheduler decay = new CosineAnnealingLR(opt, 95);
 * LRScheduler s = new SequentialLR(opt, List.of(warmup, decay), List.of(5));
 * }</pre>
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private List<Integer> milestones;

    /** {@code schedulers} switching at {@code milestones}. */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones) {
        super(check(optimizer, schedulers, milestones));
        this.schedulers = List.copyOf(schedulers);
        this.milestones = List.copyOf(milestones);
        this.lastEpoch = 0;
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            g.set("lr", g.get("initial_lr"));
        }
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    private static Optimizer check(Optimizer optimizer, List<? extends LRScheduler> schedulers,
                                   List<Integer> milestones) {
        LambdaLR.groupCount(optimizer);
        if (schedulers == null || milestones == null) {
            throw new IllegalArgumentException("SequentialLR needs a list of schedulers and a list of milestones");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i) == null) {
                throw new IllegalArgumentException("scheduler " + i + " is null");
            }
            if (schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the "
                        + "same optimizer, but got schedulers at index " + i + " to be different than the optimizer "
                        + "passed in.");
            }
        }
        if (milestones.size() != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one "
                    + "more than the number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.size());
        }
        States.ints("milestones", milestones);
        return optimizer;
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    protected List<Double> computeLr() {
        return groupLrs();
    }

    /** Advances one epoch, stepping the scheduler whose interval holds it. */
    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.size() && milestones.get(idx) <= lastEpoch) {
            idx++;
        }
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones.get(idx - 1) == lastEpoch) {
            s.stepAt(0);
        } else {
            s.step();
        }
        setLastLr(s.getLastLr());
    }

    @Override
    void stepAt(int epoch) {
        throw new UnsupportedOperationException("a SequentialLR cannot be restarted at an epoch");
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("_milestones", new ArrayList<>(milestones));
        sd.put("last_epoch", lastEpoch);
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
        loadWithSchedulers(this, schedulers, sd, () -> {
            States.ifPresent(sd, "_milestones", v -> milestones = List.copyOf(States.ints("_milestones", v)));
            States.ifPresent(sd, "last_epoch", v -> lastEpoch = States.toInt("last_epoch", v));
            States.ifPresent(sd, "_last_lr", v -> setLastLr(States.doubles("_last_lr", v)));
        });
    }

    /** Loads a composite scheduler: its own entries, then each scheduler's state dict; all or nothing. */
    static void loadWithSchedulers(LRScheduler self, List<LRScheduler> schedulers, Map<String, ?> sd, Runnable own) {
        Map<String, Object> before = self.stateDict();
        for (String k : sd.keySet()) {
            if (!before.containsKey(k)) {
                throw new IllegalArgumentException("unexpected key '" + k + "' in the state dict of "
                        + self.getClass().getSimpleName() + " (expected " + before.keySet() + ")");
            }
        }
        List<?> subs = null;
        if (sd.containsKey("_schedulers")) {
            if (!(sd.get("_schedulers") instanceof List<?> l) || l.size() != schedulers.size()) {
                throw new IllegalArgumentException("state dict entry '_schedulers' should be a list of "
                        + schedulers.size() + " state dicts, got " + sd.get("_schedulers"));
            }
            subs = l;
        }
        try {
            own.run();
            if (subs != null) {
                for (int i = 0; i < subs.size(); i++) {
                    schedulers.get(i).loadStateDict(States.stringMap("_schedulers", subs.get(i)));
                }
            }
        } catch (IllegalArgumentException e) {
            restoreComposite(self, schedulers, before);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static void restoreComposite(LRScheduler self, List<LRScheduler> schedulers, Map<String, Object> before) {
        List<Map<String, Object>> subs = (List<Map<String, Object>>) before.get("_schedulers");
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).loadStateDict(subs.get(i));
        }
        Map<String, Object> own = new LinkedHashMap<>(before);
        own.remove("_schedulers");
        self.loadStateDict(own);
    }
}
