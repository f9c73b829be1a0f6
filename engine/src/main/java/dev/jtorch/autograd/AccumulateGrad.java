package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * The sink of a leaf tensor's gradient: adds the incoming gradient into {@code leaf.grad()} (a fresh copy the
 * first time, in place afterwards), after the leaf's hooks ran.
 */
public final class AccumulateGrad extends Node {
    private final Tensor leaf;

    /** The accumulator of {@code leaf}; obtain it from the tensor rather than constructing one. */
    public AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad");
        this.leaf = leaf;
    }

    /** The leaf this node accumulates into. */
    public Tensor variable() {
        return leaf;
    }

    @Override
    public Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        if (g == null) {
            return new Tensor[0];
        }
        if (!java.util.Arrays.equals(g.shape(), leaf.shape())) {
            throw new IllegalStateException("gradient of shape " + java.util.Arrays.toString(g.shape())
                    + " arrived for a leaf of shape " + java.util.Arrays.toString(leaf.shape()));
        }
        synchronized (leaf) {
            Tensor old = leaf.grad();
            if (old == null) {
                leaf.setGrad(g.detach().clone());
            } else {
                old.add_(g.detach());
            }
        }
        return new Tensor[0];
    }
}
