package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;

/**
 * PyTorch's {@code prune.Identity}: prunes nothing, but sets up the pruning reparametrization with a mask of ones.
 *
 * <p>Example:
 * <pre>{@code
 * Identity.apply(linear, "bias");   // linear.attr("bias_mask") is ones
 * }</pre>
 */
public final class Identity extends BasePruningMethod {
    /** The identity pruning method. */
    public Identity() {
    }

    @Override
    public PruningType pruningType() {
        return PruningType.UNSTRUCTURED;
    }

    /** {@code defaultMask} itself. */
    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        return defaultMask;
    }

    /** Reparametrizes {@code module}'s parameter {@code name} with a mask of ones; returns the method applied. */
    public static BasePruningMethod apply(Module module, String name) {
        return BasePruningMethod.apply(module, name, new Identity(), null);
    }

    @Override
    public String toString() {
        return "Identity()";
    }
}
