package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.SavedTensor;

/** A single-output graph node whose backward rule is a lambda over the incoming gradient and saved tensors. */
final class FnNode extends Node {
    /** A backward rule: input gradients from the output gradient and the unpacked saved tensors. */
    @FunctionalInterface
    interface Rule {
        Tensor[] apply(Tensor grad, Tensor[] saved);
    }

    private static final Tensor[] NONE = new Tensor[0];
    private final Rule rule;
    private SavedTensor[] saved;

    private FnNode(String name, Rule rule) {
        super(name);
        this.rule = rule;
    }

    @Override
    public Tensor[] apply(Tensor[] gradOutputs) {
        checkNotReleased();
        Tensor[] s = NONE;
        if (saved != null) {
            s = new Tensor[saved.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = saved[i] == null ? null : saved[i].get();
            }
        }
        return rule.apply(gradOutputs[0], s);
    }

    /**
     * Records {@code out = op(inputs)} when grad mode is on and an input requires grad: saves {@code toSave}
     * (null entries allowed) and connects the node. Returns {@code out}.
     */
    static Tensor record(String name, Tensor out, Tensor[] inputs, Rule rule, Tensor... toSave) {
        boolean any = false;
        for (Tensor t : inputs) {
            any |= t != null && t.requiresGrad();
        }
        if (!any || !Autograd.isGradEnabled()) {
            return out;
        }
        return recordChecked(name, out, inputs, rule, toSave);
    }

    /** {@link #record} for callers that already know grad mode is on and an input requires grad. */
    static Tensor recordChecked(String name, Tensor out, Tensor[] inputs, Rule rule, Tensor... toSave) {
        FnNode n = new FnNode(name, rule);
        if (toSave.length > 0) {
            n.saved = new SavedTensor[toSave.length];
            for (int i = 0; i < toSave.length; i++) {
                n.saved[i] = toSave[i] == null ? null : n.save(toSave[i]);
            }
        }
        Autograd.connect(n, inputs, out);
        return out;
    }

    static Tensor record1(String name, Tensor out, Tensor input, Rule rule, Tensor... toSave) {
        if (!input.requiresGrad() || !Autograd.isGradEnabled()) {
            return out;
        }
        return record(name, out, new Tensor[] {input}, rule, toSave);
    }
}
