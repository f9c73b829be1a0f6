package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * A tensor kept by a {@link Node} for its backward, with the storage version at the time it was saved:
 * unpacking after an in-place change fails as PyTorch does, and unpacking after the graph was freed fails
 * with PyTorch's "backward through the graph a second time" message.
 */
public final class SavedTensor {
    private Tensor tensor;
    private final int version;
    private final String origin;
    private final Node owner;

    SavedTensor(Node owner, Tensor tensor) {
        this.owner = owner;
        this.tensor = tensor;
        this.version = tensor.storage().version();
        Node fn = tensor.gradFn();
        this.origin = fn == null ? "" : ", which is output " + tensor.outputNr() + " of " + fn.name() + ",";
    }

    /** The saved tensor, checked against its version. */
    public Tensor get() {
        Tensor t = tensor;
        if (t == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access"
                    + " saved tensors after they have already been freed). Saved intermediate values of the graph"
                    + " are freed when you call .backward() or autograd.grad(). Specify retainGraph=true if you"
                    + " need to backward through the graph a second time or if you need to access saved tensors"
                    + " after calling backward. (node " + owner.name() + ")");
        }
        int now = t.storage().version();
        if (now != version) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified"
                    + " by an inplace operation: [" + t.typeName() + " " + java.util.Arrays.toString(t.shape())
                    + "]" + origin + " is at version " + now + "; expected version " + version
                    + " instead. (saved by " + owner.name() + ")");
        }
        return t;
    }

    void release() {
        tensor = null;
    }
}
