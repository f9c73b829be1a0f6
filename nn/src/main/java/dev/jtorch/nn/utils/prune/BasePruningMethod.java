package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.internal.ModuleAccess;

import java.util.Arrays;

/**
 * PyTorch's {@code torch.nn.utils.prune.BasePruningMethod}: the base of the pruning techniques. A subclass says
 * how it picks the units to prune ({@link #computeMask}) and which kind of pruning it does ({@link #pruningType},
 * PyTorch's {@code PRUNING_TYPE}); {@link #apply} reparametrizes a module's parameter with it.
 *
 * <p>What pruning does to a module, as in PyTorch: the parameter {@code name} is removed and the same
 * {@link Parameter} object is registered again as {@code name + "_orig"} (so optimizers holding it keep working,
 * and a layer's field such as {@code linear.weight} still holds it), the mask is registered as the buffer
 * {@code name + "_mask"}, and {@code module.attr(name)} (what PyTorch's {@code module.name} gives, and what the
 * layer's forward reads) becomes {@code orig * mask}, computed on every read from the tensors the module has then
 * (PyTorch recomputes it in a forward pre-hook). State dict keys are PyTorch's: {@code name_orig} goes after the
 * other parameters, {@code name_mask} after the other buffers, so a pruned PyTorch state dict loads unchanged.
 * Pruning the same tensor again combines the masks through a {@link PruningContainer}.
 *
 * <p>Attributes: the name of the tensor the method was applied to ({@link #tensorName()}, null before).
 *
 * <p>Example:
 * <pre>{@code
 * class PruneEveryOther extends BasePruningMethod {
 *     public PruningType pruningType() { return PruningType.UNSTRUCTURED; }
 *     public Tensor computeMask(Tensor t, Tensor defaultMask) {
 *         Tensor m = defaultMask.clone().reshape(-1);
 *         return m.scatter(0, Torch.arange(0, m.numel(), 2), 0.0).viewAs(defaultMask);
 *     }
 * }
 * BasePruningMethod.apply(linear, "bias", new PruneEveryOther(), null);
 * }</pre>
 */
public abstract class BasePruningMethod {
    /** PyTorch's {@code PRUNING_TYPE}: what {@link PruningContainer} computes a new mask on. */
    public enum PruningType {
        /** Single entries: the new mask is computed on the entries not pruned yet. */
        UNSTRUCTURED,
        /** Whole channels along {@link #dim()}: the new mask is computed on the channels not entirely pruned. */
        STRUCTURED,
        /** All entries at once. */
        GLOBAL;

        /** PyTorch's string ({@code "unstructured"}, ...). */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The computed attribute of a pruned tensor ({@code orig * mask}), which also holds the pruning method applied
     * to it (PyTorch keeps the method as the module's forward pre-hook): the module owns both, so nothing global
     * refers to a pruned module.
     */
    record Pruned(String name, BasePruningMethod method) implements java.util.function.Function<Module, Tensor> {
        @Override
        public Tensor apply(Module m) {
            return masked(m, name);
        }
    }

    String tensorName;

    /** A method not applied to any tensor yet. */
    protected BasePruningMethod() {
    }

    /** PyTorch's {@code PRUNING_TYPE}. */
    public abstract PruningType pruningType();

    /**
     * The mask for {@code t} ({@code compute_mask}): it starts from {@code defaultMask} (ones when {@code t} was
     * not pruned yet, else the mask of earlier prunings, which must be respected) and prunes more.
     *
     * <p>Args: t, the importance scores of the tensor to prune; defaultMask, the mask so far, of t's shape.
     * Shape: the mask has t's shape.
     */
    public abstract Tensor computeMask(Tensor t, Tensor defaultMask);

    /**
     * The dim along which a {@link PruningType#STRUCTURED} method prunes channels; the others have none and fail,
     * as in PyTorch.
     */
    public int dim() {
        throw new IllegalStateException("Pruning methods of PRUNING_TYPE \"structured\" need to have the attribute "
                + "`dim` defined.");
    }

    /** The name of the tensor this method prunes (PyTorch's {@code _tensor_name}), null before it is applied. */
    public String tensorName() {
        return tensorName;
    }

    /**
     * The pruned tensor {@code mask * orig} ({@code apply_mask}) from the module's {@code name_mask} and
     * {@code name_orig}, read through {@link Module#attr}.
     */
    public Tensor applyMask(Module module) {
        if (tensorName == null) {
            throw new IllegalStateException("Module " + module + " has to be pruned");
        }
        return masked(module, tensorName);
    }

    static Tensor masked(Module m, String name) {
        Tensor orig = m.attr(name + "_orig");
        return m.attr(name + "_mask").to(orig.dtype()).mul(orig);
    }

    /**
     * {@code prune(t, default_mask=None, importance_scores=None)}: {@code t} times the mask computed from
     * {@code importanceScores} (t when null) on top of {@code defaultMask} (ones when null).
     */
    public Tensor prune(Tensor t, Tensor defaultMask, Tensor importanceScores) {
        if (importanceScores != null) {
            if (!Arrays.equals(importanceScores.shape(), t.shape())) {
                throw new IllegalArgumentException("importance_scores should have the same shape as tensor t");
            }
        } else {
            importanceScores = t;
        }
        Tensor base = defaultMask != null ? defaultMask : Torch.onesLike(t);
        return t.mul(computeMask(importanceScores, base));
    }

    /** {@code prune(t)}: t times the mask computed from t itself. */
    public Tensor prune(Tensor t) {
        return prune(t, null, null);
    }

    /**
     * PyTorch's {@code cls.apply(module, name, *args, importance_scores=...)}: prunes the parameter {@code name} of
     * {@code module} with {@code method} (a new instance, as PyTorch's {@code cls(*args)}), reparametrizing it
     * as described above; when {@code name} was pruned before, the new mask is computed on what is left of it and
     * combined with the old one in a {@link PruningContainer}. Returns the method now applied to the tensor
     * ({@code method}, or the container). Checks happen before the module is changed.
     *
     * <p>Args: module; name, a parameter of module; method; importanceScores, of the parameter's shape, or null
     * to use the parameter (the pruned one, {@code module.attr(name)}, when it was pruned before).
     */
    public static BasePruningMethod apply(Module module, String name, BasePruningMethod method,
                                          Tensor importanceScores) {
        if (module == null || name == null || method == null) {
            throw new IllegalArgumentException("prune: module, name and the pruning method must not be null");
        }
        ModuleAccess access = ModuleAccess.get();
        BasePruningMethod old = applied(module, name);
        Tensor orig = module.attr(name);
        if (orig == null) {
            throw new IllegalArgumentException("'" + name + "' of " + module.name() + " is None: there is nothing to "
                    + "prune");
        }
        if (old == null && !access.isParameter(module, name)) {
            throw new IllegalArgumentException("cannot assign '" + orig.typeName() + "' object to parameter '" + name
                    + "_orig' (torch.nn.Parameter or None required)");
        }
        if (method.tensorName != null && !method.tensorName.equals(name)) {
            throw new IllegalArgumentException("this " + method.getClass().getSimpleName() + " already prunes '"
                    + method.tensorName + "'; make another one for '" + name + "' (PyTorch's apply makes one per call)");
        }
        if (access.isParameter(module, name + "_mask") || module.namedChildren().containsKey(name + "_mask")
                || (old == null && access.isBuffer(module, name + "_mask"))) {
            throw new IllegalArgumentException("attribute '" + name + "_mask' already exists");
        }
        if (old == null && (access.isParameter(module, name + "_orig") || access.isBuffer(module, name + "_orig")
                || module.namedChildren().containsKey(name + "_orig"))) {
            throw new IllegalArgumentException("attribute '" + name + "_orig' already exists");
        }
        if (importanceScores != null) {
            if (!Arrays.equals(importanceScores.shape(), orig.shape())) {
                throw new IllegalArgumentException("importance_scores should have the same shape as parameter "
                        + name + " of " + module);
            }
        } else {
            importanceScores = orig;
        }
        method.tensorName = name;
        Tensor mask;
        if (old == null) {
            mask = method.computeMask(importanceScores, Torch.onesLike(orig));
        } else {
            Tensor defaultMask = module.attr(name + "_mask").detach().clone();
            mask = PruningContainer.combineMasks(method, importanceScores, defaultMask);
        }
        // everything checked and computed: change the module
        BasePruningMethod now;
        if (old == null) {
            Parameter p = module.parameter(name);
            module.registerParameter(name + "_orig", p);
            access.removeParameter(module, name);
            now = method;
        } else if (old instanceof PruningContainer c) {
            c.addPruningMethod(method);
            now = c;
        } else {
            now = new PruningContainer(old, method);
        }
        module.registerBuffer(name + "_mask", mask);
        access.setComputed(module, name, new Pruned(name, now));
        return now;
    }

    /**
     * Makes the pruning of this method's tensor permanent ({@code remove}): the parameter {@code name_orig} gets
     * the pruned values ({@code orig.data = (orig * mask).data}) and is registered again as {@code name} (the
     * same object, at the end of the parameters); {@code name_orig}, {@code name_mask} and the computed
     * attribute go. Pruning itself is not undone.
     */
    public void remove(Module module) {
        if (tensorName == null) {
            throw new IllegalStateException("Module " + module + " has to be pruned before pruning can be removed");
        }
        remove(module, tensorName);
    }

    /** {@link #remove(Module)} of the tensor {@code name} (the name {@code prune.remove} was given). */
    void remove(Module module, String name) {
        ModuleAccess access = ModuleAccess.get();
        Parameter orig = module.parameter(name + "_orig");
        Tensor weight = module.buffer(name + "_mask").to(orig.dtype()).mul(orig.detach());
        orig.setData(weight.detach());
        access.setComputed(module, name, null);
        access.removeParameter(module, name + "_orig");
        access.removeBuffer(module, name + "_mask");
        module.registerParameter(name, orig);
    }

    /** The method applied to {@code module}'s tensor {@code name}, or null (PyTorch's pruning forward pre-hook). */
    static BasePruningMethod applied(Module module, String name) {
        return ModuleAccess.get().computed(module, name) instanceof Pruned p ? p.method() : null;
    }

    /** Whether any tensor of {@code module} itself is pruned. */
    static boolean hasApplied(Module module) {
        for (String name : ModuleAccess.get().computedNames(module)) {
            if (ModuleAccess.get().computed(module, name) instanceof Pruned) {
                return true;
            }
        }
        return false;
    }
}
