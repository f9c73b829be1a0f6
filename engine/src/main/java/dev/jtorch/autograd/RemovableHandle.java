package dev.jtorch.autograd;

/** A registered hook; {@link #remove()} unregisters it, like {@code torch.utils.hooks.RemovableHandle}. */
@FunctionalInterface
public interface RemovableHandle {
    /** Unregisters the hook; calling it again does nothing. */
    void remove();
}
