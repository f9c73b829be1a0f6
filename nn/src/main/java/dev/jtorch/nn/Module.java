package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.RemovableHandle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Base class of every layer, like {@code torch.nn.Module}: a tree of submodules, parameters and buffers
 * registered by name, with PyTorch's methods (parameters, namedModules, stateDict, loadStateDict, train,
 * eval, to, hooks, ...) and PyTorch's {@code repr} as {@link #toString()}.
 *
 * <p>A subclass registers its parameters, buffers and submodules in its constructor ({@link #registerParameter},
 * {@link #registerBuffer}, {@link #registerModule}), ends with {@code resetParameters()}, and overrides the
 * {@code forward} overload it takes. {@link #call(Tensor...)} is PyTorch's {@code module(x)}: forward with the
 * hooks around it; containers call their children through it.
 *
 * <p>Thread safety: once built and in eval mode, {@code forward}/{@code call} under
 * {@link Autograd#noGrad()} may run on many threads at once (modules hold no per-call state); registering,
 * loading and converting need exclusive access.
 *
 * <p>Importing: every Java file imports {@code java.lang.*} implicitly, and {@link java.lang.Module} is there,
 * so with {@code import dev.jtorch.nn.*;} alone the name {@code Module} is ambiguous and does not compile.
 * Import this class by name, {@code import dev.jtorch.nn.Module;}: a single-type import wins over both
 * on-demand imports.
 *
 * <p>Example:
 * <pre>{@code
 * Module net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * Tensor y = net.call(Torch.randn(3, 4));
 * Map<String, Tensor> sd = net.stateDict();   // "0.weight", "0.bias", "2.weight", "2.bias"
 * }</pre>
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private LinkedHashMap<String, Function<Module, Tensor>> computed;
    private boolean training = true;
    private final ModuleHooks hooks = new ModuleHooks();

    static {
        ModuleInternals.install();
    }

    /** A module with nothing registered, in training mode. */
    protected Module() {
    }

    /** The class name shown by {@link #toString()} (PyTorch's {@code _get_name}). */
    public String name() {
        return getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ registration

    private void checkName(String kind, String name) {
        if (name == null) {
            throw new IllegalArgumentException(kind + " name should be a string. Got null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(kind + " name can't be empty string \"\"");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(kind + " name can't contain \".\", got \"" + name + "\"");
        }
    }

    /**
     * Registers a parameter under {@code name} (null registers an absent parameter, e.g. a disabled bias,
     * which stateDict skips). Returns it.
     */
    public <P extends Parameter> P registerParameter(String name, P param) {
        checkName("parameter", name);
        if (children.containsKey(name) || buffers.containsKey(name) || isComputed(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        params.put(name, param);
        return param;
    }

    /** Registers a persistent buffer (in the state dict). */
    public Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /** Registers a buffer; non-persistent buffers are left out of the state dict. */
    public Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkName("buffer", name);
        if (children.containsKey(name) || params.containsKey(name) || isComputed(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        buffers.put(name, tensor);
        if (persistent) {
            nonPersistent.remove(name);
        } else {
            nonPersistent.add(name);
        }
        return tensor;
    }

    /** Registers a submodule ({@code register_module}); returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        checkName("module", name);
        if (params.containsKey(name) || buffers.containsKey(name) || isComputed(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        children.put(name, module);
        return module;
    }

    /** {@code add_module}: the same as {@link #registerModule}. */
    public <M extends Module> M addModule(String name, M module) {
        return registerModule(name, module);
    }

    /** This module's own parameter {@code name} (null when registered absent). */
    public Parameter parameter(String name) {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no parameter '" + name + "'; it has "
                    + params.keySet());
        }
        return params.get(name);
    }

    /** Whether this module registered a parameter called {@code name} (absent ones count). */
    boolean hasParameter(String name) {
        return params.containsKey(name);
    }

    /**
     * What PyTorch's {@code module.name} gives, and what every layer's forward reads its tensors through: the value
     * a {@code stateless.functionalCall} (or a {@code DataParallel} replica) passes for it on this thread; else the
     * parametrized value when {@code name} is parametrized ({@code parametrize}, {@code weight_norm},
     * {@code spectral_norm}, {@code prune}); else the parameter or buffer. So {@code linear.attr("weight")} is the
     * weight the forward uses, while the field {@code linear.weight} keeps the raw parameter object (after
     * {@code registerParametrization} it is {@code parametrizations.weight.original}, as in PyTorch).
     *
     * @throws IllegalArgumentException when the module has no such attribute
     */
    public Tensor attr(String name) {
        Map<String, Tensor> o = dev.jtorch.nn.internal.Overrides.of(this);
        if (o != null && o.containsKey(name)) {
            return o.get(name);
        }
        if (computed != null) {
            Function<Module, Tensor> f = computed.get(name);
            if (f != null) {
                return f.apply(this);
            }
        }
        if (params.containsKey(name)) {
            return params.get(name);
        }
        if (buffers.containsKey(name)) {
            return buffers.get(name);
        }
        throw new IllegalArgumentException("'" + name() + "' object has no attribute '" + name + "'");
    }

    /** {@link #attr}, or null when the module has no attribute {@code name} (an optional parameter). */
    protected Tensor optAttr(String name) {
        Map<String, Tensor> o = dev.jtorch.nn.internal.Overrides.of(this);
        if ((o != null && o.containsKey(name)) || (computed != null && computed.containsKey(name))
                || params.containsKey(name) || buffers.containsKey(name)) {
            return attr(name);
        }
        return null;
    }

    Parameter removeParameter(String name) {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no parameter '" + name + "'");
        }
        return params.remove(name);
    }

    Tensor removeBuffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no buffer '" + name + "'");
        }
        nonPersistent.remove(name);
        return buffers.remove(name);
    }

    boolean isNonPersistent(String name) {
        return nonPersistent.contains(name);
    }

    LinkedHashMap<String, Tensor> ownBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
            if (b.getValue() != null) {
                out.put(b.getKey(), b.getValue());
            }
        }
        return out;
    }

    boolean hasBuffer(String name) {
        return buffers.containsKey(name);
    }

    void setComputed(String name, Function<Module, Tensor> fn) {
        if (fn == null) {
            if (computed != null) {
                computed.remove(name);
            }
            return;
        }
        if (computed == null) {
            computed = new LinkedHashMap<>();
        }
        computed.put(name, fn);
    }

    boolean isComputed(String name) {
        return computed != null && computed.containsKey(name);
    }

    Function<Module, Tensor> computedFn(String name) {
        return computed == null ? null : computed.get(name);
    }

    List<String> computedNames() {
        return computed == null ? List.of() : new ArrayList<>(computed.keySet());
    }

    /** This module's own buffer {@code name}. */
    public Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no buffer '" + name + "'; it has " + buffers.keySet());
        }
        return buffers.get(name);
    }

    /** Replaces the value of an existing buffer (as assigning {@code self.name = t} does). */
    protected void setBuffer(String name, Tensor t) {
        buffer(name);
        buffers.put(name, t);
    }

    /** This module's own submodule {@code name}. */
    public Module child(String name) {
        Module m = children.get(name);
        if (m == null && !children.containsKey(name)) {
            throw new IllegalArgumentException(name() + " has no attribute `" + name + "`");
        }
        return m;
    }

    /** Own submodules by name, in registration order (read-only view). */
    protected Map<String, Module> childMap() {
        return Collections.unmodifiableMap(children);
    }

    void removeChild(String name) {
        children.remove(name);
    }

    void clearChildren() {
        children.clear();
    }

    // ------------------------------------------------------------------ iteration

    /** Direct children, each once. */
    public List<Module> children() {
        return new ArrayList<>(namedChildren().values());
    }

    /** Direct children by name, each module once. */
    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** This module and all below it, each once, depth first. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module ("") and all below it by dotted name, each module once. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", Collections.newSetFromMap(new IdentityHashMap<>()), out);
        return out;
    }

    private void collectModules(String prefix, Set<Module> memo, Map<String, Module> out) {
        if (!memo.add(this)) {
            return;
        }
        out.put(prefix, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (e.getValue() != null) {
                e.getValue().collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), memo, out);
            }
        }
    }

    /** All parameters (recursively), each once. */
    public List<Parameter> parameters() {
        return parameters(true);
    }

    /** Parameters, of this module only when {@code recurse} is false. */
    public List<Parameter> parameters(boolean recurse) {
        return new ArrayList<>(namedParameters("", recurse).values());
    }

    /** Parameters by dotted name, each tensor once (a shared parameter appears under its first name). */
    public LinkedHashMap<String, Parameter> namedParameters() {
        return namedParameters("", true);
    }

    /** {@link #namedParameters()} with a prefix, optionally of this module only. */
    public LinkedHashMap<String, Parameter> namedParameters(String prefix, boolean recurse) {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> mods = recurse ? namedModules() : Map.of("", this);
        for (Map.Entry<String, Module> m : mods.entrySet()) {
            for (Map.Entry<String, Parameter> p : m.getValue().params.entrySet()) {
                if (p.getValue() != null && seen.add(p.getValue())) {
                    out.put(join(prefix, join(m.getKey(), p.getKey())), p.getValue());
                }
            }
        }
        return out;
    }

    /** All buffers (persistent or not), each once. */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name, each once. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            for (Map.Entry<String, Tensor> b : m.getValue().buffers.entrySet()) {
                if (b.getValue() != null && seen.add(b.getValue())) {
                    out.put(join(m.getKey(), b.getKey()), b.getValue());
                }
            }
        }
        return out;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : name.isEmpty() ? prefix : prefix + "." + name;
    }

    /** The submodule at a dotted path ({@code get_submodule}); "" is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module m = this;
        String path = "";
        for (String part : target.split("\\.", -1)) {
            if (m == null) {
                throw new IllegalArgumentException("'" + path + "' is None: it has no attribute `" + part + "`");
            }
            if (!m.children.containsKey(part)) {
                throw new IllegalArgumentException(m.name() + " has no attribute `" + part + "`");
            }
            m = m.children.get(part);
            path = path.isEmpty() ? part : path + "." + part;
        }
        return m;
    }

    /** The parameter at a dotted path ({@code get_parameter}). */
    public Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module m = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!m.params.containsKey(name)) {
            throw new IllegalArgumentException(m.name() + " has no parameter `" + name + "`");
        }
        return m.params.get(name);
    }

    /** The buffer at a dotted path ({@code get_buffer}). */
    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module m = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!m.buffers.containsKey(name)) {
            throw new IllegalArgumentException(m.name() + " has no buffer `" + name + "`");
        }
        return m.buffers.get(name);
    }

    // ------------------------------------------------------------------ state dict

    /** This module's own parameters (non-null) and persistent buffers, in registration order. */
    LinkedHashMap<String, Tensor> localState() {
        LinkedHashMap<String, Tensor> local = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            if (p.getValue() != null) {
                local.put(p.getKey(), p.getValue());
            }
        }
        for (Map.Entry<String, Tensor> bf : buffers.entrySet()) {
            if (bf.getValue() != null && !nonPersistent.contains(bf.getKey())) {
                local.put(bf.getKey(), bf.getValue());
            }
        }
        return local;
    }

    /**
     * Parameters and persistent buffers by PyTorch's dotted keys, in registration order, detached (they share
     * storage with the module's tensors).
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        saveTo(out, "");
        return out;
    }

    private void saveTo(Map<String, Tensor> out, String prefix) {
        for (Map.Entry<String, Tensor> e : localState().entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            if (c.getValue() != null) {
                c.getValue().saveTo(out, prefix + c.getKey() + ".");
            }
        }
    }

    /** Missing and unexpected keys of a {@link #loadStateDict} ({@code _IncompatibleKeys}). */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        @Override
        public String toString() {
            if (missingKeys.isEmpty() && unexpectedKeys.isEmpty()) {
                return "<All keys matched successfully>";
            }
            return "_IncompatibleKeys(missing_keys=" + quote(missingKeys) + ", unexpected_keys="
                    + quote(unexpectedKeys) + ")";
        }

        private static String quote(List<String> keys) {
            List<String> q = new ArrayList<>();
            for (String k : keys) {
                q.add("'" + k + "'");
            }
            return q.toString();
        }
    }

    /** {@code loadStateDict(stateDict, true)}. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies values from {@code stateDict} into the parameters and persistent buffers (converting dtype, as
     * {@code copy_}). Shape mismatches always fail; with {@code strict}, missing and unexpected keys fail
     * too, with PyTorch's message listing them all. Nothing is copied when it fails.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        return StateDictLoader.load(this, stateDict, strict);
    }

    // ------------------------------------------------------------------ modes and gradients

    /** Sets training mode on this module and every submodule; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    /** {@code train(true)}. */
    public Module train() {
        return train(true);
    }

    /** {@code train(false)}: dropout off, batch norm uses running statistics. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters (set to null, as PyTorch 2's default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears gradients: to null, or (setToNone false) zeroes them in place. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
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

    /** Sets requiresGrad on every parameter ({@code requires_grad_}); returns this. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Parameter p : parameters()) {
            p.requiresGrad_(requiresGrad);
        }
        return this;
    }

    /** Calls {@code fn} on every submodule (children first) and then this module; returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------ conversions

    /**
     * Applies {@code fn} to every parameter (in place, keeping the Parameter objects so optimizers still hold
     * them), its gradient, and every buffer (replaced), recursively.
     */
    protected Module applyToTensors(UnaryOperator<Tensor> fn) {
        for (Module c : children()) {
            c.applyToTensors(fn);
        }
        try (var _ = Autograd.noGrad()) {
            for (Parameter p : params.values()) {
                if (p == null) {
                    continue;
                }
                Tensor grad = p.grad();
                Tensor data = fn.apply(p.detach());
                if (data != null) {
                    p.setGrad(null);
                    p.setData(data);
                    if (grad != null) {
                        p.setGrad(fn.apply(grad));
                    }
                }
            }
            for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
                Tensor t = b.getValue();
                if (t != null) {
                    Tensor nb = fn.apply(t);
                    if (nb != null && nb != t) {
                        if (t.gradFn() == null) {
                            t.setData(nb.detach());   // in place: fields holding the buffer see the change
                        } else {
                            b.setValue(nb);
                        }
                    }
                }
            }
        }
        return this;
    }

    /** Casts floating point parameters and buffers to {@code dtype} ({@code module.to(dtype)}). */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("nn.Module.to only accepts floating point dtypes, but got desired "
                    + "dtype=" + dtype);
        }
        return applyToTensors(t -> t.isFloatingPoint() ? t.to(dtype) : t);
    }

    /** Moves parameters and buffers to {@code device} ({@code module.to(device)}, the reference's cuda()). */
    public Module to(Device device) {
        return applyToTensors(t -> t.to(device));
    }

    /**
     * Moves parameters and buffers to the first OpenCL device, GPUs first (PyTorch's {@code module.cuda()});
     * fails with a message saying why when there is none.
     */
    public Module cuda() {
        return to(dev.jtorch.backend.Backends.accelerator(-1));
    }

    /** Moves parameters and buffers to OpenCL device {@code index} (PyTorch's {@code module.cuda(index)}). */
    public Module cuda(int index) {
        return to(dev.jtorch.backend.Backends.accelerator(index));
    }

    /** {@code to(Device.CPU)}. */
    public Module cpu() {
        return to(Device.CPU);
    }

    /**
     * PyTorch's {@code module.float()} ({@code float} is a Java keyword): floating point parameters and buffers to
     * float32, in place.
     */
    public Module float32() {
        return to(DType.FLOAT32);
    }

    /** PyTorch's {@code module.double()}: floating point parameters and buffers to float64, in place. */
    public Module float64() {
        return to(DType.FLOAT64);
    }

    /** PyTorch's {@code module.half()}: floating point parameters and buffers to float16 (computed in float32). */
    public Module half() {
        return to(DType.FLOAT16);
    }

    /** PyTorch's {@code module.bfloat16()}: floating point parameters and buffers to bfloat16. */
    public Module bfloat16() {
        return to(DType.BFLOAT16);
    }

    /** {@code o}, refusing null: a layer's options ({@code X.options(...)} gives PyTorch's defaults). */
    static <T> T given(T o, String layer) {
        if (o == null) {
            throw new IllegalArgumentException(layer + ": options must not be null (" + layer
                    + ".options(...) gives PyTorch's defaults)");
        }
        return o;
    }

    // ------------------------------------------------------------------ hooks and calls

    /** Registers a hook run before forward on every {@link #call}. */
    public RemovableHandle registerForwardPreHook(Hooks.ForwardPreHook hook) {
        return hooks.addPre(hook);
    }

    /** Registers a hook run after forward on every {@link #call}. */
    public RemovableHandle registerForwardHook(Hooks.ForwardHook hook) {
        return hooks.addPost(hook);
    }

    /**
     * Registers a hook called with the gradients of this module's inputs and output during backward; it may
     * replace the input gradients ({@code register_full_backward_hook}).
     */
    public RemovableHandle registerFullBackwardHook(Hooks.BackwardHook hook) {
        return hooks.addBackward(hook);
    }

    /**
     * The reference's older {@code register_backward_hook}; here it has the well-defined semantics of
     * {@link #registerFullBackwardHook} (PyTorch deprecates the old behaviour for that reason).
     */
    public RemovableHandle registerBackwardHook(Hooks.BackwardHook hook) {
        return registerFullBackwardHook(hook);
    }

    /** {@code module(inputs...)}: forward pre-hooks, full backward hooks, {@link #forward}, forward hooks. */
    public final Tensor call(Tensor... inputs) {
        return hooks.call(this, inputs, this::forwardInputs);
    }

    /**
     * {@link #call} for a forward that also takes arguments other than tensors (masks, flags), as PyTorch's
     * {@code module(x, mask=m)}: the hooks see {@code inputs} (PyTorch's positional arguments) and {@code forward}
     * computes from what they pass on.
     */
    final Tensor callWith(Tensor[] inputs, Function<Tensor[], Tensor> forward) {
        return hooks.call(this, inputs, forward);
    }

    /** Dispatches {@link #call}'s inputs to the forward overload of that arity. */
    protected Tensor forwardInputs(Tensor[] inputs) {
        return switch (inputs.length) {
            case 1 -> forward(inputs[0]);
            case 2 -> forward(inputs[0], inputs[1]);
            case 3 -> forward(inputs[0], inputs[1], inputs[2]);
            case 4 -> forward(inputs[0], inputs[1], inputs[2], inputs[3]);
            default -> throw new IllegalArgumentException(name() + ".forward() takes 1 to 4 tensors, got "
                    + inputs.length);
        };
    }

    /** The computation for one input; modules taking one tensor override this. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(name() + ".forward() does not take one tensor");
    }

    /** The computation for two inputs (losses: input and target; Bilinear: x1 and x2). */
    public Tensor forward(Tensor a, Tensor b) {
        throw new UnsupportedOperationException(name() + ".forward() does not take two tensors");
    }

    /** The computation for three inputs (e.g. MarginRankingLoss, TripletMarginLoss). */
    public Tensor forward(Tensor a, Tensor b, Tensor c) {
        throw new UnsupportedOperationException(name() + ".forward() does not take three tensors");
    }

    /** The computation for four inputs (CTCLoss). */
    public Tensor forward(Tensor a, Tensor b, Tensor c, Tensor d) {
        throw new UnsupportedOperationException(name() + ".forward() does not take four tensors");
    }

    // ------------------------------------------------------------------ repr

    /** The text inside this module's parentheses in {@link #toString()} (PyTorch's {@code extra_repr}). */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's {@code repr(module)}: the tree with each child's name and each module's extraRepr. */
    @Override
    public String toString() {
        List<String> extra = extraRepr().isEmpty() ? List.of() : Arrays.asList(extraRepr().split("\n", -1));
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> c : children.entrySet()) {
            String mod = c.getValue() == null ? "None" : addIndent(c.getValue().toString(), 2);
            childLines.add("(" + c.getKey() + "): " + mod);
        }
        List<String> lines = new ArrayList<>(extra);
        lines.addAll(childLines);
        StringBuilder s = new StringBuilder(name()).append('(');
        if (!lines.isEmpty()) {
            if (extra.size() == 1 && childLines.isEmpty()) {
                s.append(extra.get(0));
            } else {
                s.append("\n  ").append(String.join("\n  ", lines)).append('\n');
            }
        }
        return s.append(')').toString();
    }

    static String addIndent(String s, int spaces) {
        String[] lines = s.split("\n", -1);
        if (lines.length == 1) {
            return s;
        }
        StringBuilder b = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            b.append('\n').append(" ".repeat(spaces)).append(lines[i]);
        }
        return b.toString();
    }
}
