package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** The hook types of {@link Module}, as in torch.nn.Module's register_*_hook. */
public final class Hooks {
    private Hooks() {
    }

    /** Called before forward with the inputs; may return replacement inputs (or null to keep them). */
    @FunctionalInterface
    public interface ForwardPreHook {
        Tensor[] apply(Module module, Tensor[] inputs);
    }

    /** Called after forward with inputs and output; may return a replacement output (or null). */
    @FunctionalInterface
    public interface ForwardHook {
        Tensor apply(Module module, Tensor[] inputs, Tensor output);
    }

    /**
     * Called during backward with the gradients of the module's inputs and of its output; may return
     * replacement input gradients (or null). Entries are null for inputs that do not require grad.
     */
    @FunctionalInterface
    public interface BackwardHook {
        Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput);
    }
}
