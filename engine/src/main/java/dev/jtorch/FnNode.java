package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.SavedTensor;

/**
 * A graph node whose backward rule is a lambda over the incoming gradient (or, for an op with several
 * outputs, the gradient of each) and the saved tensors.
 */
final class FnNode extends Node {
    /** A backward rule: input gradients from the output gradient and the unpacked saved tensors. */
    @FunctionalInterface
    interface Rule {
        Tensor[] apply(Tensor grad, Tensor[] saved);
    }

    /** The backward rule of an op with several outputs: one gradient per output, null where it received none. */
    @FunctionalInterface
    interface MultiRule {
        Tensor[] apply(Tensor[] grads, Tensor[] saved);
    }

    private static final Tensor[] NONE = new Tensor[0];
    private final Rule rule;
    private final MultiRule multiRule;
    private final int outputs;
    private SavedTensor[] saved;

    private FnNode(String name, Rule rule, MultiRule multiRule, int outputs) {
        super(name);
        this.rule = rule;
        this.multiRule = multiRule;
        this.outputs = outputs;
    }

    @Override
    public int numOutputs() {
        return outputs;
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
        return multiRule != null ? multiRule.apply(gradOutputs, s) : rule.apply(gradOutputs[0], s);
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
        connect(new FnNode(name, rule, null, 1), inputs, new Tensor[] {out}, toSave);
        return out;
    }

    /**
     * {@link #recordChecked} for an op with several outputs (null entries allowed: outputs the op did not
     * produce), for callers that know grad mode is on and an input requires grad. Output i of the node becomes
     * the history of {@code outs[i]}.
     */
    static void recordMulti(String name, Tensor[] outs, Tensor[] inputs, MultiRule rule, Tensor... toSave) {
        connect(new FnNode(name, null, rule, outs.length), inputs, outs, toSave);
    }

    private static void connect(FnNode n, Tensor[] inputs, Tensor[] outs, Tensor[] toSave) {
        if (toSave.length > 0) {
            n.saved = new SavedTensor[toSave.length];
            for (int i = 0; i < toSave.length; i++) {
                n.saved[i] = toSave[i] == null ? null : n.save(toSave[i]);
            }
        }
        Autograd.connect(n, inputs, outs);
    }

    static Tensor record1(String name, Tensor out, Tensor input, Rule rule, Tensor... toSave) {
        if (!input.requiresGrad() || !Autograd.isGradEnabled()) {
            return out;
        }
        return record(name, out, new Tensor[] {input}, rule, toSave);
    }
}
