package dev.jtorch.autograd;

import dev.jtorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * One recorded operation of the autograd graph ({@code grad_fn}), named like PyTorch's
 * ({@code AddmmBackward0}, {@code MulBackward0}, {@code AccumulateGrad}).
 *
 * <p>A node has one edge per differentiable input of the forward op (null where the input did not require a
 * gradient) and one or more outputs. {@link #apply} maps the gradients of the outputs (null for an output
 * that received none) to the gradients of the inputs. Subclasses save tensors with {@link #save}; saved
 * tensors are freed after backward unless the graph is retained.
 *
 * <p>Connect a node to its inputs and outputs with {@link Autograd#record}; that is how layers with their own
 * backward (nn's CTC loss, module backward hooks) join the graph.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Node[] NO_NODES = new Node[0];

    final long sequenceNr = SEQUENCE.getAndIncrement();
    private final String name;
    Node[] nextNodes = NO_NODES;
    int[] nextInputNrs;
    private List<SavedTensor> saved;
    private List<UnaryOperator<Tensor>>[] preHooks;
    private boolean released;

    /** A node called {@code name}. */
    protected Node(String name) {
        this.name = name;
    }

    /** The PyTorch name of this node, e.g. {@code MulBackward0}. */
    public final String name() {
        return name;
    }

    /** Number of forward outputs (1 unless overridden). */
    public int numOutputs() {
        return 1;
    }

    /**
     * The gradients of the forward inputs given those of the outputs. Entries of {@code gradOutputs} are null
     * for outputs that received no gradient; returned entries may be null for inputs without an edge.
     */
    public abstract Tensor[] apply(Tensor[] gradOutputs);

    /** The nodes this one sends gradients to, one per forward input (null where none), like next_functions. */
    public final List<Node> nextFunctions() {
        return java.util.Collections.unmodifiableList(Arrays.asList(nextNodes));
    }

    /** Saves a tensor for backward, checked against in-place changes when {@link SavedTensor#get()} is called. */
    protected final SavedTensor save(Tensor t) {
        if (saved == null) {
            saved = new ArrayList<>(2);
        }
        SavedTensor s = new SavedTensor(this, t);
        saved.add(s);
        return s;
    }

    /** Throws PyTorch's message if this node's saved tensors were already freed. */
    protected final void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access"
                    + " saved tensors after they have already been freed). Saved intermediate values of the graph"
                    + " are freed when you call .backward() or autograd.grad(). Specify retainGraph=true if you"
                    + " need to backward through the graph a second time. (node " + name + ")");
        }
    }

    /** Frees the saved tensors (after a backward without retainGraph). */
    protected void releaseVariables() {
        if (saved != null) {
            for (SavedTensor s : saved) {
                s.release();
            }
        }
        released = saved != null || released;
    }

    /**
     * Registers a hook on the gradient arriving for output {@code output}; it may return a replacement or null
     * to keep the gradient. Returns a handle whose {@code remove()} unregisters it.
     */
    @SuppressWarnings("unchecked")
    public final synchronized RemovableHandle registerPreHook(int output, UnaryOperator<Tensor> hook) {
        if (preHooks == null) {
            preHooks = (List<UnaryOperator<Tensor>>[]) new List<?>[numOutputs()];
        }
        if (preHooks[output] == null) {
            preHooks[output] = new ArrayList<>(1);
        }
        List<UnaryOperator<Tensor>> list = preHooks[output];
        list.add(hook);
        return () -> {
            synchronized (this) {
                list.remove(hook);
            }
        };
    }

    final Tensor runPreHooks(int output, Tensor grad) {
        List<UnaryOperator<Tensor>> list;
        synchronized (this) {
            if (preHooks == null || preHooks[output] == null || preHooks[output].isEmpty()) {
                return grad;
            }
            list = List.copyOf(preHooks[output]);
        }
        for (UnaryOperator<Tensor> h : list) {
            Tensor r = h.apply(grad);
            if (r != null) {
                grad = r;
            }
        }
        return grad;
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
