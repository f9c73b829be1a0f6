package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}: it records each
 * group's initial lr, and {@link #step()} (called once per epoch, after {@code optimizer.step()}) sets every
 * group's "lr" from the chainable formula of the subclass. Construction performs the first step (epoch 0).
 *
 * <p>The schedulers: {@link LambdaLR}, {@link MultiplicativeLR}, {@link StepLR}, {@link MultiStepLR},
 * {@link ConstantLR}, {@link LinearLR}, {@link ExponentialLR}, {@link PolynomialLR}, {@link CosineAnnealingLR},
 * {@link CosineAnnealingWarmRestarts}, {@link CyclicLR}, {@link OneCycleLR}, {@link SequentialLR},
 * {@link ChainedScheduler}; {@link ReduceLROnPlateau} (stepped with a metric) stands apart, as in PyTorch 1.13.
 *
 * <p>{@link #stateDict()} holds PyTorch's keys (the scheduler's attributes but the optimizer, e.g.
 * {@code base_lrs}, {@code last_epoch}, {@code _step_count}, {@code _last_lr}); {@link #loadStateDict} restores
 * them, after the optimizer's own state dict, as in PyTorch.
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
        if (optimizer == null) {
            throw new IllegalArgumentException("null is not an Optimizer");
        }
        this.optimizer = optimizer;
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            g.options().putIfAbsent("initial_lr", g.get("lr"));
            baseLrs.add(g.get("initial_lr"));
        }
    }

    /** The scheduled optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Call at the end of the subclass constructor: the initial step to epoch 0 ({@code _initial_step}). */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The new lr of each group for {@link #lastEpoch}, from the groups' current lr (chainable form). */
    protected abstract List<Double> computeLr();

    /** The lr of each group at {@link #lastEpoch} from the base lrs (PyTorch's {@code _get_closed_form_lr}), or
     * null for schedulers that have no closed form. */
    protected List<Double> closedFormLr() {
        return null;
    }

    /** Advances one epoch and sets the groups' lr. */
    public void step() {
        stepCount++;
        lastEpoch++;
        setLrs(computeLr());
    }

    /** PyTorch's deprecated {@code step(epoch)}, which {@link SequentialLR} uses at its milestones: jumps to
     * {@code epoch} and sets the closed-form lr where the scheduler has one. */
    void stepAt(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        List<Double> lrs = closedFormLr();
        setLrs(lrs != null ? lrs : computeLr());
    }

    /** Sets each group's lr and records them as the last lr. */
    protected final void setLrs(List<Double> lrs) {
        for (int i = 0; i < lrs.size(); i++) {
            optimizer.paramGroups().get(i).set("lr", lrs.get(i));
        }
        lastLr = List.copyOf(groupLrs());
    }

    /** The lr set by the last step, per group ({@code get_last_lr}). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** Replaces what {@link #getLastLr()} returns (for schedulers that step others). */
    protected final void setLastLr(List<Double> lrs) {
        lastLr = List.copyOf(lrs);
    }

    /** The current lr of each group. */
    protected List<Double> groupLrs() {
        List<Double> out = new ArrayList<>();
        for (Optimizer.ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get("lr"));
        }
        return out;
    }

    /**
     * The scheduler's state with PyTorch's keys: the subclass's attributes first (e.g. {@code step_size},
     * {@code gamma}), then {@code base_lrs}, {@code last_epoch}, {@code verbose}, {@code _step_count},
     * {@code _get_lr_called_within_step} and {@code _last_lr}. Values are Java numbers, booleans, strings, lists
     * and maps (copies).
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        saveState(sd);
        sd.put("base_lrs", new ArrayList<>(baseLrs));
        sd.put("last_epoch", lastEpoch);
        sd.put("verbose", false);
        sd.put("_step_count", stepCount);
        sd.put("_get_lr_called_within_step", false);
        sd.put("_last_lr", new ArrayList<>(lastLr));
        return sd;
    }

    /**
     * Restores the entries of {@code sd} (like PyTorch's {@code __dict__.update}: keys that are absent keep their
     * value). Numbers may be any {@link Number} (a state dict read by {@code TorchLoad} holds Longs). An unknown
     * key or a value of the wrong kind fails with an {@link IllegalArgumentException} and changes nothing.
     */
    public void loadStateDict(Map<String, ?> sd) {
        Map<String, Object> known = stateDict();
        for (String k : sd.keySet()) {
            if (!known.containsKey(k) && !ignoredKeys().contains(k)) {
                throw new IllegalArgumentException("unexpected key '" + k + "' in the state dict of "
                        + getClass().getSimpleName() + " (expected " + known.keySet() + ")");
            }
        }
        try {
            restore(sd);
        } catch (IllegalArgumentException e) {
            restore(known);
            throw e;
        }
    }

    private void restore(Map<String, ?> sd) {
        States.ifPresent(sd, "base_lrs", v -> {
            List<Double> l = States.doubles("base_lrs", v);
            baseLrs.clear();
            baseLrs.addAll(l);
        });
        States.ifPresent(sd, "last_epoch", v -> lastEpoch = States.toInt("last_epoch", v));
        States.ifPresent(sd, "_step_count", v -> stepCount = States.toInt("_step_count", v));
        States.ifPresent(sd, "_last_lr", v -> lastLr = List.copyOf(States.doubles("_last_lr", v)));
        loadState(sd);
    }

    /** Keys PyTorch stores that jtorch accepts and ignores (e.g. callables). */
    List<String> ignoredKeys() {
        return List.of();
    }

    /** Writes the subclass's own entries (before the base ones). */
    protected void saveState(Map<String, Object> sd) {
    }

    /** Reads the subclass's own entries that are present in {@code sd} (see {@link States}). */
    protected void loadState(Map<String, ?> sd) {
    }
}
