package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.internal.ModuleAccess;
import dev.jtorch.nn.utils.Utils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PyTorch's {@code torch.nn.utils.prune} functions. Each prunes a parameter of a module in place and returns the
 * module: the parameter {@code name} becomes {@code name + "_orig"} (the same Parameter object), the buffer
 * {@code name + "_mask"} holds the mask, and {@code module.attr(name)} (what PyTorch's {@code module.name} gives,
 * and what the layer's forward uses) is {@code orig * mask}, recomputed from the module's current tensors on each
 * read. So gradients reach {@code name_orig} masked, a pruned PyTorch state dict (keys {@code weight_orig},
 * {@code weight_mask}) loads unchanged, and {@link dev.jtorch.nn.utils.Stateless#functionalCall} sees the values
 * it passes. Pruning a pruned tensor again prunes what is left of it ({@link PruningContainer}); {@link #remove}
 * makes the pruning permanent.
 *
 * <p>{@code amount} is an int (a number of units, at most the number there is) or a double (a fraction in [0, 1],
 * rounded half to even as Python's {@code round}); bad amounts fail with PyTorch's messages, before the module
 * is changed.
 *
 * <p>Example:
 * <pre>{@code
 * Linear lin = new Linear(10, 4);
 * Prune.l1Unstructured(lin, "weight", 0.3);          // 12 smallest |w| pruned
 * lin.stateDict().keySet();                          // [bias, weight_orig, weight_mask]
 * Tensor w = lin.attr("weight");                     // weight_orig * weight_mask
 * Prune.lnStructured(lin, "weight", 1, 2, 0, null);  // then one more output row, of the rows left
 * Prune.remove(lin, "weight");                       // weight = the pruned values; no _orig, no _mask
 * }</pre>
 */
public final class Prune {
    private Prune() {
    }

    /** {@code prune.identity(module, name)}: the pruning reparametrization with a mask of ones. */
    public static Module identity(Module module, String name) {
        Identity.apply(module, name);
        return module;
    }

    /** {@code prune.random_unstructured(module, name, amount)} with an int amount (a number of entries). */
    public static Module randomUnstructured(Module module, String name, int amount) {
        return randomUnstructured(module, name, Amount.of(amount));
    }

    /** {@code prune.random_unstructured(module, name, amount)} with a fraction of the entries. */
    public static Module randomUnstructured(Module module, String name, double amount) {
        return randomUnstructured(module, name, Amount.of(amount));
    }

    private static Module randomUnstructured(Module module, String name, Amount amount) {
        RandomUnstructured.apply(module, name, amount);
        return module;
    }

    /** {@code prune.l1_unstructured(module, name, amount)} with an int amount. */
    public static Module l1Unstructured(Module module, String name, int amount) {
        return l1Unstructured(module, name, amount, null);
    }

    /** {@code prune.l1_unstructured(module, name, amount)} with a fraction. */
    public static Module l1Unstructured(Module module, String name, double amount) {
        return l1Unstructured(module, name, amount, null);
    }

    /**
     * {@code prune.l1_unstructured(module, name, amount, importance_scores)}: prunes the {@code amount} entries of
     * smallest |importance| ({@code importanceScores} of the parameter's shape, or the parameter when null).
     */
    public static Module l1Unstructured(Module module, String name, int amount, Tensor importanceScores) {
        L1Unstructured.apply(module, name, Amount.of(amount), importanceScores);
        return module;
    }

    /** {@link #l1Unstructured(Module, String, int, Tensor)} with a fraction. */
    public static Module l1Unstructured(Module module, String name, double amount, Tensor importanceScores) {
        L1Unstructured.apply(module, name, Amount.of(amount), importanceScores);
        return module;
    }

    /** {@code prune.random_structured(module, name, amount, dim)} with an int amount (a number of channels). */
    public static Module randomStructured(Module module, String name, int amount, int dim) {
        RandomStructured.apply(module, name, Amount.of(amount), dim);
        return module;
    }

    /** {@code prune.random_structured(module, name, amount, dim)} with a fraction of the channels. */
    public static Module randomStructured(Module module, String name, double amount, int dim) {
        RandomStructured.apply(module, name, Amount.of(amount), dim);
        return module;
    }

    /**
     * {@code prune.ln_structured(module, name, amount, n, dim, importance_scores)}: prunes the {@code amount}
     * channels along {@code dim} of smallest L{@code n} norm of {@code importanceScores} (the parameter when null).
     */
    public static Module lnStructured(Module module, String name, int amount, double n, int dim,
                                      Tensor importanceScores) {
        LnStructured.apply(module, name, Amount.of(amount), n, dim, importanceScores);
        return module;
    }

    /** {@link #lnStructured(Module, String, int, double, int, Tensor)} with a fraction of the channels. */
    public static Module lnStructured(Module module, String name, double amount, double n, int dim,
                                      Tensor importanceScores) {
        LnStructured.apply(module, name, Amount.of(amount), n, dim, importanceScores);
        return module;
    }

    /** {@code prune.custom_from_mask(module, name, mask)}: prunes with {@code mask} (times the mask so far). */
    public static Module customFromMask(Module module, String name, Tensor mask) {
        CustomFromMask.apply(module, name, mask);
        return module;
    }

    /**
     * {@code prune.global_unstructured(parameters, pruning_method, importance_scores, amount=amount)} with an int
     * amount: see {@link #globalUnstructured(List, Function, Map, Amount)}.
     */
    public static void globalUnstructured(List<? extends Map.Entry<? extends Module, String>> parameters,
                                          Function<Amount, ? extends BasePruningMethod> pruningMethod,
                                          Map<? extends Map.Entry<? extends Module, String>, Tensor> importanceScores,
                                          int amount) {
        globalUnstructured(parameters, pruningMethod, importanceScores, Amount.of(amount));
    }

    /** {@code prune.global_unstructured(...)} with a fraction of all the entries. */
    public static void globalUnstructured(List<? extends Map.Entry<? extends Module, String>> parameters,
                                          Function<Amount, ? extends BasePruningMethod> pruningMethod,
                                          Map<? extends Map.Entry<? extends Module, String>, Tensor> importanceScores,
                                          double amount) {
        globalUnstructured(parameters, pruningMethod, importanceScores, Amount.of(amount));
    }

    /**
     * {@code prune.global_unstructured}: prunes the parameters together, as one flattened vector (the pruned
     * values of those pruned before, and their masks), with the unstructured method {@code pruningMethod} makes
     * from {@code amount} (e.g. {@code L1Unstructured::new}); each parameter then gets its slice of the mask
     * through {@link #customFromMask}.
     *
     * <p>Args: parameters, (module, name) pairs ({@code Map.entry(module, "weight")}); pruningMethod, a factory of
     * an {@code UNSTRUCTURED} method; importanceScores, per pair (missing pairs use the parameter), or null;
     * amount, of all the entries together.
     *
     * @throws IllegalArgumentException when the method is not unstructured (PyTorch's TypeError)
     */
    public static void globalUnstructured(List<? extends Map.Entry<? extends Module, String>> parameters,
                                          Function<Amount, ? extends BasePruningMethod> pruningMethod,
                                          Map<? extends Map.Entry<? extends Module, String>, Tensor> importanceScores,
                                          Amount amount) {
        if (parameters == null) {
            throw new IllegalArgumentException("global_unstructured(): parameters is not an Iterable");
        }
        if (pruningMethod == null) {
            throw new IllegalArgumentException("global_unstructured(): pruning_method must not be null");
        }
        ModuleAccess access = ModuleAccess.get();
        List<Tensor> scores = new ArrayList<>();
        List<Tensor> masks = new ArrayList<>();
        for (Map.Entry<? extends Module, String> p : parameters) {
            if (p == null || p.getKey() == null || p.getValue() == null) {
                throw new IllegalArgumentException("global_unstructured(): every entry of parameters must be a "
                        + "(module, name) pair, got " + p);
            }
        }
        for (Map.Entry<? extends Module, String> p : parameters) {
            Module m = p.getKey();
            String name = p.getValue();
            Tensor current = m.attr(name);
            Tensor given = importanceScores == null ? null : importanceScores.get(p);
            scores.add(given != null ? given : current);
            masks.add(access.isBuffer(m, name + "_mask") ? m.attr(name + "_mask") : Torch.onesLike(current));
        }
        Tensor relevant = Utils.parametersToVector(scores);
        Tensor defaultMask = Utils.parametersToVector(masks);
        BasePruningMethod method = pruningMethod.apply(amount);
        method.tensorName = "temp";
        if (method.pruningType() != BasePruningMethod.PruningType.UNSTRUCTURED) {
            throw new IllegalArgumentException("Only \"unstructured\" PRUNING_TYPE supported for the `pruning_method`. "
                    + "Found method " + method.getClass() + " of type " + method.pruningType());
        }
        Tensor finalMask = PruningContainer.combineMasks(method, relevant, defaultMask);
        int pointer = 0;
        for (Map.Entry<? extends Module, String> p : parameters) {
            Tensor param = p.getKey().attr(p.getValue());
            int numel = (int) param.numel();
            customFromMask(p.getKey(), p.getValue(), finalMask.narrow(0, pointer, numel).viewAs(param));
            pointer += numel;
        }
    }

    /**
     * {@code prune.remove(module, name)}: makes the pruning of {@code name} permanent (see
     * {@link BasePruningMethod#remove}); returns the module.
     *
     * @throws IllegalArgumentException when {@code name} is not pruned (PyTorch's message)
     */
    public static Module remove(Module module, String name) {
        BasePruningMethod method = BasePruningMethod.applied(module, name);
        if (method == null) {
            throw new IllegalArgumentException("Parameter '" + name + "' of module " + module
                    + " has to be pruned before pruning can be removed");
        }
        method.remove(module, name);
        return module;
    }

    /** {@code prune.is_pruned(module)}: whether any tensor of the module or of a module below it is pruned. */
    public static boolean isPruned(Module module) {
        for (Module m : module.modules()) {
            if (m != null && BasePruningMethod.hasApplied(m)) {
                return true;
            }
        }
        return false;
    }
}
