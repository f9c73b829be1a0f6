package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ModuleDict;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.internal.ModuleAccess;
import dev.jtorch.nn.internal.Overrides;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code torch.nn.utils.parametrize}: replace a parameter or buffer of a module by a function (a parametrization
 * module) of an unconstrained tensor, e.g. to keep a weight symmetric, orthogonal or normalised.
 *
 * <p>After {@code registerParametrization(module, "weight", p)}, {@code module.attr("weight")} (PyTorch's
 * {@code module.weight}, and what every layer's forward reads) is {@code p(original)}; the module has a child
 * {@code parametrizations} (a {@link ModuleDict}) holding a {@link ParametrizationList} under {@code "weight"},
 * which holds the parametrizations ({@code "0"}, {@code "1"}, ...) and the parameter {@code original}. State dict
 * keys are PyTorch's: {@code parametrizations.weight.original}, {@code parametrizations.weight.0.<buffer>}.
 * {@code original} is the Parameter object the module held (so the layer's field, e.g. {@code linear.weight}, and an
 * optimizer made earlier keep working), its values replaced by the parametrization's right inverse.
 *
 * <p>A parametrization is a {@link Module} whose {@code forward} takes the original (or the originals) and returns
 * the parametrized tensor. It may implement {@link RightInverse} (or {@link RightInverseSequence} to be
 * parametrized by several tensors); without it the right inverse is the identity.
 *
 * <p>Differences from PyTorch: the module keeps its class ({@code toString()} shows {@code Linear(...)}, not
 * {@code ParametrizedLinear(...)}, and there is no {@code type_before_parametrizations}); assigning to the
 * parametrized tensor ({@code module.weight = value}) is {@code parametrizations(module, name).rightInverse(value)};
 * the cache of {@link #cached()} is per thread.
 *
 * <p>Example:
 * <pre>{@code
 * class Symmetric extends Module implements Parametrize.RightInverse {
 *     public Tensor forward(Tensor x) { return x.triu().add(x.triu(1).transpose(-2, -1)); }
 *     public Tensor rightInverse(Tensor a) { return a.triu(); }
 * }
 * Linear m = new Linear(5, 5);
 * Parametrize.registerParametrization(m, "weight", new Symmetric());
 * Tensor w = m.attr("weight");                   // symmetric
 * m.stateDict().keySet();                         // [bias, parametrizations.weight.original]
 * }</pre>
 */
public final class Parametrize {
    private Parametrize() {
    }

    /**
     * A parametrization's {@code right_inverse} returning one tensor: called on the tensor when the parametrization
     * is registered first (without gradient) to compute {@code original}, and by
     * {@link ParametrizationList#rightInverse}. It may throw {@link UnsupportedOperationException} (PyTorch's
     * {@code NotImplementedError}) to be skipped at registration.
     */
    public interface RightInverse {
        /** A tensor {@code x} with {@code forward(x)} equal (or close) to {@code value}. */
        Tensor rightInverse(Tensor value);
    }

    /**
     * A parametrization's {@code right_inverse} returning several tensors: they become {@code original0},
     * {@code original1}, ..., and the parametrization's {@code forward} takes them in that order (the
     * {@code forward(a, b)} overload for two).
     */
    public interface RightInverseSequence {
        /** Tensors {@code xs} with {@code forward(xs...)} equal (or close) to {@code value}. */
        List<Tensor> rightInverse(Tensor value);
    }

    // ------------------------------------------------------------------ cache

    private static final class CacheState {
        int depth;
        final IdentityHashMap<Module, Map<String, Tensor>> values = new IdentityHashMap<>();
    }

    private static final ThreadLocal<CacheState> CACHE = ThreadLocal.withInitial(CacheState::new);

    /**
     * The scope of {@link #cached()}: closing it discards its thread's cached values (the outermost one does). It
     * belongs to the thread that opened it; closing it on another thread changes nothing there.
     */
    public static final class Cached implements AutoCloseable {
        private final CacheState state;
        private boolean closed;

        private Cached(CacheState state) {
            this.state = state;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            synchronized (state) {
                if (--state.depth == 0) {
                    state.values.clear();
                }
            }
        }
    }

    /**
     * {@code parametrize.cached()}: until the returned scope is closed, each parametrized tensor is computed once on
     * the calling thread and then reused (e.g. a parametrized recurrent weight read at every time step). Scopes nest.
     * The cache is per thread (PyTorch's is global).
     *
     * <p>Example: {@code try (var _ = Parametrize.cached()) { out = model.call(x); }}
     */
    public static Cached cached() {
        CacheState s = CACHE.get();
        synchronized (s) {
            s.depth++;
        }
        return new Cached(s);
    }

    /** The computed attribute {@code attr(name)} of a parametrized module: the list's output, cached if asked. */
    private record Parametrized(String name, ParametrizationList list) implements Function<Module, Tensor> {
        @Override
        public Tensor apply(Module m) {
            CacheState s = CACHE.get();
            // no caching under a functional call or in a DataParallel replica: the value depends on the tensors
            // given there, which the cache (keyed on module and name) cannot tell apart
            if (s.depth == 0 || Overrides.active()) {
                return checked(list.forward());
            }
            synchronized (s) {
                Map<String, Tensor> perModule = s.values.computeIfAbsent(m, k -> new HashMap<>());
                Tensor t = perModule.get(name);
                if (t == null) {
                    t = checked(list.forward());
                    perModule.put(name, t);
                }
                return t;
            }
        }

        private Tensor checked(Tensor t) {
            if (t == null) {
                throw new IllegalStateException("A parametrization must return a tensor. Got NoneType (the "
                        + "parametrization of '" + name + "')");
            }
            return t;
        }
    }

    // ------------------------------------------------------------------ registration

    /** {@link #registerParametrization(Module, String, Module, boolean)} with {@code unsafe} false. */
    public static Module registerParametrization(Module module, String tensorName, Module parametrization) {
        return registerParametrization(module, tensorName, parametrization, false);
    }

    /**
     * {@code register_parametrization(module, tensor_name, parametrization, unsafe=unsafe)}.
     *
     * <p>Args: {@code module}; {@code tensorName} (a parameter or buffer of {@code module}, or an already
     * parametrized name: the parametrization is then appended to the chain); {@code parametrization} (a module whose
     * forward maps the original to the parametrized tensor; it is set to the module's training mode);
     * {@code unsafe} (default false: with false, the parametrization may not change the shape or dtype, and it and
     * its right inverse are run once to check that).
     *
     * @return {@code module}
     * @throws IllegalArgumentException with PyTorch's messages: no such tensor, dtype or shape changed
     */
    public static Module registerParametrization(Module module, String tensorName, Module parametrization,
                                                 boolean unsafe) {
        if (module == null || tensorName == null || parametrization == null) {
            throw new IllegalArgumentException("register_parametrization: module, tensor_name and parametrization "
                    + "must not be null");
        }
        ModuleAccess access = ModuleAccess.get();
        if (!isParametrized(module, tensorName) && module.namedChildren().containsKey("parametrizations")
                && dict(module) == null) {
            throw new IllegalArgumentException("register_parametrization: module '" + module.name() + "' already has "
                    + "a submodule 'parametrizations' that is not a ModuleDict");
        }
        if (!isParametrized(module, tensorName) && (access.isParameter(module, "parametrizations")
                || access.isBuffer(module, "parametrizations"))) {
            throw new IllegalArgumentException("attribute 'parametrizations' already exists");
        }
        parametrization.train(module.isTraining());
        if (isParametrized(module, tensorName)) {
            ParametrizationList list = parametrizations(module, tensorName);
            if (!unsafe) {
                checkAppend(module, tensorName, parametrization);
            }
            list.append(parametrization);
            list.orUnsafe(unsafe);
        } else if ((access.isParameter(module, tensorName) && module.parameter(tensorName) != null)
                || (access.isBuffer(module, tensorName) && module.buffer(tensorName) != null)) {
            boolean isParam = access.isParameter(module, tensorName);
            Tensor original = isParam ? module.parameter(tensorName) : module.buffer(tensorName);
            ParametrizationList list = new ParametrizationList(parametrization, original, unsafe);
            if (isParam) {
                access.removeParameter(module, tensorName);
            } else {
                access.removeBuffer(module, tensorName);
            }
            ModuleDict dict = dict(module);
            if (dict == null) {
                dict = module.registerModule("parametrizations", new ModuleDict());
            }
            dict.put(tensorName, list);
            access.setComputed(module, tensorName, new Parametrized(tensorName, list));
        } else {
            throw new IllegalArgumentException("Module '" + module + "' does not have a parameter, a buffer, or a "
                    + "parametrized element with name '" + tensorName + "'");
        }
        return module;
    }

    private static void checkAppend(Module module, String name, Module parametrization) {
        Tensor y = module.attr(name);
        Tensor x = parametrization.call(y);
        if (x == null) {
            throw new IllegalArgumentException("A parametrization must return a tensor. Got NoneType.");
        }
        if (x.dtype() != y.dtype()) {
            throw new IllegalArgumentException("Registering a parametrization may not change the dtype of the tensor, "
                    + "unless the `unsafe` flag is enabled.\nmodule." + name + ".dtype: " + y.dtype()
                    + "\nparametrization(module." + name + ").dtype: " + x.dtype());
        }
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("Registering a parametrization may not change the shape of the tensor, "
                    + "unless the `unsafe` flag is enabled.\nmodule." + name + ".shape: " + size(y.shape())
                    + "\nparametrization(module." + name + ").shape: " + size(x.shape()));
        }
        if (parametrization instanceof RightInverse r) {
            Tensor z;
            try {
                z = r.rightInverse(x);
            } catch (UnsupportedOperationException e) {
                return;
            }
            if (z == null) {
                throw new IllegalArgumentException("parametrization.right_inverse must return a tensor. Got: NoneType");
            }
            if (z.dtype() != y.dtype()) {
                throw new IllegalArgumentException("The tensor returned by parametrization.right_inverse must have the "
                        + "same dtype as module." + name + ", unless the `unsafe` flag is enabled.\nmodule." + name
                        + ".dtype: " + y.dtype() + "\nreturned dtype: " + z.dtype());
            }
            if (!Arrays.equals(z.shape(), y.shape())) {
                throw new IllegalArgumentException("The tensor returned by parametrization.right_inverse must have the "
                        + "same shape as module." + name + ", unless the `unsafe` flag is enabled.\nmodule." + name
                        + ".shape: " + size(y.shape()) + "\nreturned shape: " + size(z.shape()));
            }
        } else if (parametrization instanceof RightInverseSequence) {
            throw new IllegalArgumentException("parametrization.right_inverse must return a tensor. Got: list");
        }
    }

    /**
     * The first registration's right inverse: the parametrization's, or the identity when it has none or it throws
     * {@link UnsupportedOperationException}. Returns a Tensor or a List of tensors.
     */
    static Object rightInverseOrIdentity(Module parametrization, Tensor original) {
        Object out;
        try {
            if (parametrization instanceof RightInverse r) {
                out = r.rightInverse(original);
            } else if (parametrization instanceof RightInverseSequence r) {
                out = r.rightInverse(original);
            } else {
                out = original;
            }
        } catch (UnsupportedOperationException e) {
            out = original;
        }
        if (out == null) {
            throw new IllegalArgumentException("'right_inverse' must return a Tensor or a Sequence of tensors (list, "
                    + "tuple...). Got NoneType");
        }
        return out;
    }

    static List<Tensor> sequence(Object v) {
        List<?> l = (List<?>) v;
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Tensor)) {
                throw new IllegalArgumentException("'right_inverse' must return a Tensor or a Sequence of tensors "
                        + "(list, tuple...). Got element " + i + " of the sequence with type "
                        + (l.get(i) == null ? "NoneType" : l.get(i).getClass().getSimpleName()) + ".");
            }
        }
        @SuppressWarnings("unchecked")
        List<Tensor> t = (List<Tensor>) l;
        return t;
    }

    static String size(int[] shape) {
        return "torch.Size(" + Arrays.toString(shape) + ")";
    }

    private static ModuleDict dict(Module module) {
        return module.namedChildren().get("parametrizations") instanceof ModuleDict d ? d : null;
    }

    /** {@code is_parametrized(module)}: whether any tensor of {@code module} is parametrized. */
    public static boolean isParametrized(Module module) {
        ModuleDict d = dict(module);
        return d != null && d.size() > 0;
    }

    /** {@code is_parametrized(module, tensor_name)}: whether {@code tensorName} is parametrized. */
    public static boolean isParametrized(Module module, String tensorName) {
        ModuleDict d = dict(module);
        return d != null && d.containsKey(tensorName);
    }

    /** {@code module.parametrizations[tensor_name]}; fails when it is not parametrized. */
    public static ParametrizationList parametrizations(Module module, String tensorName) {
        if (!isParametrized(module, tensorName)) {
            throw new IllegalArgumentException("Module " + module + " does not have a parametrization on " + tensorName);
        }
        return (ParametrizationList) dict(module).get(tensorName);
    }

    /** {@code removeParametrizations(module, tensorName, true)}. */
    public static Module removeParametrizations(Module module, String tensorName) {
        return removeParametrizations(module, tensorName, true);
    }

    /**
     * {@code remove_parametrizations(module, tensor_name, leave_parametrized)}: {@code tensorName} becomes a plain
     * parameter (or buffer) again, holding the current parametrized value ({@code leaveParametrized}, computed
     * without gradient, written into the original object) or the original. With several originals the value is
     * left in a new Parameter (when it requires grad), and {@code leaveParametrized} false fails. The
     * {@code parametrizations} child goes when no parametrized tensor is left.
     *
     * @return {@code module}
     * @throws IllegalArgumentException when {@code tensorName} is not parametrized, or leaveParametrized is false
     *     for a tensor parametrized by several originals
     */
    public static Module removeParametrizations(Module module, String tensorName, boolean leaveParametrized) {
        if (!isParametrized(module, tensorName)) {
            throw new IllegalArgumentException("Module " + module + " does not have a parametrization on "
                    + tensorName);
        }
        ParametrizationList list = parametrizations(module, tensorName);
        Tensor original;
        if (list.isTensor()) {
            original = list.original();
            if (leaveParametrized) {
                try (var _ = Autograd.noGrad()) {
                    Tensor t = module.attr(tensorName);
                    original.setData(t.detach());
                }
            }
        } else {
            if (!leaveParametrized) {
                throw new IllegalArgumentException("Cannot leave unparametrized (`leave_parametrized=False`) a tensor "
                        + "that is parametrized in terms of a sequence of tensors.");
            }
            Tensor t = module.attr(tensorName);
            original = t.requiresGrad() ? new Parameter(t) : t;
        }
        ModuleAccess access = ModuleAccess.get();
        access.setComputed(module, tensorName, null);
        ModuleDict d = dict(module);
        d.pop(tensorName);
        if (original instanceof Parameter p) {
            module.registerParameter(tensorName, p);
        } else {
            module.registerBuffer(tensorName, original);
        }
        if (d.size() == 0) {
            access.removeChild(module, "parametrizations");
        }
        return module;
    }
}
