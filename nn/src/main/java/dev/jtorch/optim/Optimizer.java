package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Base class of the optimizers, like {@code torch.optim.Optimizer}: parameter groups with their own
 * hyperparameters (a scheduler changes a group's "lr"), per-parameter state, {@link #zeroGrad()},
 * {@link #step()} (or {@link #step(Supplier)} with a closure that reevaluates the loss, which {@link LBFGS}
 * needs) and a state dict in PyTorch's layout ({@code state} by parameter index, {@code param_groups} with the
 * indices under "params").
 *
 * <p>The optimizers: {@link SGD}, {@link Adam}, {@link AdamW}, {@link Adamax}, {@link NAdam}, {@link RAdam},
 * {@link RMSprop}, {@link Adagrad}, {@link Adadelta}, {@link ASGD}, {@link Rprop}, {@link LBFGS}. Each takes its
 * hyperparameters as an options object ({@code new Adam(params, Adam.options().lr(1e-3).amsgrad(true))}) or
 * through its short constructors.
 *
 * <p>Example:
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public abstract class Optimizer {
    /** A list of parameters with its hyperparameters (mutable, e.g. "lr" for schedulers). */
    public static final class ParamGroup {
        private final List<Parameter> params;
        private final Map<String, Object> options;

        /** A group of params with options (missing options take the optimizer's defaults). */
        public ParamGroup(List<? extends Parameter> params, Map<String, Object> options) {
            if (params == null) {
                throw new IllegalArgumentException("params must be a list of parameters, got null");
            }
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i) == null) {
                    throw new IllegalArgumentException("params holds null at index " + i);
                }
            }
            this.params = List.copyOf(params);
            this.options = options == null ? new LinkedHashMap<>() : new LinkedHashMap<>(options);
        }

        /** The parameters. */
        public List<Parameter> params() {
            return params;
        }

        /** The hyperparameters (live). */
        public Map<String, Object> options() {
            return options;
        }

        /** A numeric hyperparameter. */
        public double get(String key) {
            Object v = options.get(key);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalStateException("param group has no numeric '" + key + "': " + options);
        }

        /** A hyperparameter pair such as "betas", "etas" or "step_sizes" (a list or array of two numbers). */
        public double[] pair(String key) {
            Object v = options.get(key);
            if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
                return new double[] {a.doubleValue(), b.doubleValue()};
            }
            if (v instanceof double[] d && d.length == 2) {
                return d.clone();
            }
            throw new IllegalStateException("param group has no pair '" + key + "': " + options);
        }

        /** A boolean hyperparameter. */
        public boolean flag(String key) {
            return Boolean.TRUE.equals(options.get(key));
        }

        /** Sets a hyperparameter (e.g. the learning rate). */
        public void set(String key, Object value) {
            options.put(key, value);
        }
    }

    /** An optimizer state dict: per-parameter state by index, and the groups' options with their "params". */
    public record StateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) {
    }

    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Parameter, Map<String, Object>> state = new IdentityHashMap<>();
    private final Map<String, Object> defaults;
    private String singleGroupMessage;

    /** One group of {@code params} with {@code defaults}. */
    protected Optimizer(List<? extends Parameter> params, Map<String, Object> defaults) {
        this.defaults = new LinkedHashMap<>(defaults);
        if (params == null) {
            throw new IllegalArgumentException("params must be a list of parameters, got null");
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        addParamGroup(new ParamGroup(params, Map.of()));
    }

    /** Adds a group; options it lacks are taken from the defaults. A parameter may be in one group only. */
    public final void addParamGroup(ParamGroup group) {
        if (group == null) {
            throw new IllegalArgumentException("param group must not be null");
        }
        if (singleGroupMessage != null) {
            throw new IllegalArgumentException(singleGroupMessage);
        }
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                for (Parameter q : group.params()) {
                    if (p == q) {
                        throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                    }
                }
            }
        }
        for (Map.Entry<String, Object> d : defaults.entrySet()) {
            group.options().putIfAbsent(d.getKey(), d.getValue());
        }
        groups.add(group);
    }

    /** For optimizers that hold one group only (LBFGS): {@link #addParamGroup} then fails with this message. */
    protected final void singleGroupOnly(String message) {
        singleGroupMessage = message;
    }

    /** The default hyperparameters, with PyTorch's keys (read-only). */
    public Map<String, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** The parameter groups (live). */
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The state of one parameter (created empty on first use). */
    protected Map<String, Object> state(Parameter p) {
        return state.computeIfAbsent(p, k -> new LinkedHashMap<>());
    }

    /** Clears gradients: to null (PyTorch 2's default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears gradients: to null, or zeroes them in place. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                if (p.grad() != null) {
                    if (setToNone) {
                        p.setGrad(null);
                    } else {
                        try (var _ = Autograd.noGrad()) {
                            p.grad().zero_();
                        }
                    }
                }
            }
        }
    }

    /** One update of every parameter that has a gradient, without recording a graph. */
    public void step() {
        step(null);
    }

    /**
     * Calls {@code closure} (with gradients enabled; it typically clears the gradients, computes the loss and
     * calls backward) when it is not null, then updates every parameter that has a gradient; returns the loss the
     * closure returned, or null. PyTorch's {@code step(closure)}.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss = null;
        if (closure != null) {
            try (var _ = Autograd.enableGrad()) {
                loss = closure.get();
            }
        }
        try (var _ = Autograd.noGrad()) {
            for (ParamGroup g : groups) {
                for (Parameter p : g.params()) {
                    if (p.grad() != null) {
                        update(p, p.grad(), g, state(p));
                    }
                }
            }
        }
        return loss;
    }

    /** The update rule for one parameter (grad mode is off). */
    protected abstract void update(Parameter p, Tensor grad, ParamGroup group, Map<String, Object> state);

    /** The state dict in PyTorch's layout; tensors are copies. */
    public StateDict stateDict() {
        Map<Integer, Map<String, Object>> st = new LinkedHashMap<>();
        List<Map<String, Object>> pg = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> opts = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Parameter p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : s.entrySet()) {
                        copy.put(e.getKey(), copyValue(e.getValue(), null));
                    }
                    st.put(index, copy);
                }
                ids.add(index++);
            }
            opts.put("params", ids);
            pg.add(opts);
        }
        return new StateDict(st, pg);
    }

    /**
     * Restores groups' options and per-parameter state from a state dict of the same group layout. Tensors are
     * copied; those of one or more dimensions take the parameter's dtype (as PyTorch casts them), 0-dim
     * bookkeeping tensors ({@code step}, NAdam's {@code mu_product}, ASGD's {@code eta} and {@code mu}) keep theirs
     * so that a resumed run continues exactly as the uninterrupted one.
     */
    public void loadStateDict(StateDict sd) {
        if (sd.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups ("
                    + sd.paramGroups().size() + " vs " + groups.size() + ")");
        }
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Object ids = sd.paramGroups().get(i).get("params");
            int n = ids instanceof List<?> l ? l.size() : -1;
            if (n != groups.get(i).params().size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match "
                        + "the size of optimizer's group (" + n + " vs " + groups.get(i).params().size() + ")");
            }
            all.addAll(groups.get(i).params());
        }
        for (Integer key : sd.state().keySet()) {
            if (key == null || key < 0 || key >= all.size()) {
                throw new IllegalArgumentException("loaded state dict has state for parameter " + key
                        + " but the optimizer has " + all.size() + " parameters");
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Object> opts = new LinkedHashMap<>(sd.paramGroups().get(i));
            opts.remove("params");
            groups.get(i).options().putAll(opts);
        }
        state.clear();
        for (Map.Entry<Integer, Map<String, Object>> e : sd.state().entrySet()) {
            Parameter p = all.get(e.getKey());
            Map<String, Object> s = new LinkedHashMap<>();
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                s.put(v.getKey(), copyValue(v.getValue(), p));
            }
            state.put(p, s);
        }
    }

    /** A deep copy of a state value: tensors cloned (cast to {@code p}'s dtype when it is given and they have a
     * dimension), lists copied element by element, anything else (numbers, strings) as it is. */
    private static Object copyValue(Object value, Parameter p) {
        if (value instanceof Tensor t) {
            Tensor c = t.detach();
            if (p != null && c.dim() > 0 && c.isFloatingPoint() && p.isFloatingPoint()) {
                c = c.to(p.dtype());
            }
            return c.clone();
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copyValue(o, p));
            }
            return out;
        }
        return value;
    }

    /** {@code o}, refusing null: an optimizer's options ({@code X.options()} gives PyTorch's defaults). */
    static <T> T given(T o, String optimizer) {
        if (o == null) {
            throw new IllegalArgumentException(optimizer + ": options must not be null (" + optimizer
                    + ".options() gives PyTorch's defaults)");
        }
        return o;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code self + weight * (end - self)} in place, with PyTorch's two-sided formula. */
    static void lerp_(Tensor self, Tensor end, double weight) {
        if (weight < 0.5) {
            self.add_(end.sub(self).mul(weight));
        } else {
            self.copy_(end.sub(end.sub(self).mul(1 - weight)));
        }
    }

    /** The "step" counter state (a float64 scalar tensor in PyTorch 1.13), incremented; returns the new value. */
    static double incrementStep(Map<String, Object> state) {
        Tensor step = (Tensor) state.get("step");
        step.add_(1.0);
        return step.item();
    }
}
