package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;

import java.util.List;

/**
 * One forward call's full backward hooks, as torch.utils.hooks.BackwardHook: the inputs pass through an
 * identity node before forward and the output through another after it; the output node records
 * grad_output, the input node calls the hooks with grad_input and grad_output and passes on what they
 * return. When no input requires grad, the hooks run at the output node with null grad_input.
 */
final class BackwardHookState {
    private final Module module;
    private final List<Hooks.BackwardHook> hooks;
    private Tensor[] gradOutput;
    private int numInputs;
    private boolean inputsTracked;

    BackwardHookState(Module module, List<Hooks.BackwardHook> hooks) {
        this.module = module;
        this.hooks = hooks;
    }

    private final class Identity extends Node {
        private final int n;
        private final boolean inputSide;

        Identity(int n, boolean inputSide) {
            super("BackwardHookFunctionBackward");
            this.n = n;
            this.inputSide = inputSide;
        }

        @Override
        public int numOutputs() {
            return n;
        }

        @Override
        public Tensor[] apply(Tensor[] grads) {
            Tensor[] g = grads.clone();
            if (!inputSide) {
                gradOutput = g.clone();
                if (!inputsTracked) {
                    run(new Tensor[numInputs]);
                }
                return g;
            }
            Tensor[] r = run(g);
            return r == null ? g : r;
        }
    }

    private Tensor[] run(Tensor[] gradInput) {
        Tensor[] current = gradInput;
        for (Hooks.BackwardHook h : hooks) {
            Tensor[] r = h.apply(module, current, gradOutput);
            if (r != null) {
                if (r.length != current.length) {
                    throw new IllegalStateException("backward hook returned " + r.length + " gradients for "
                            + current.length + " inputs");
                }
                current = r;
            }
        }
        return current;
    }

    Tensor[] wrapInputs(Tensor[] inputs) {
        numInputs = inputs.length;
        if (!Autograd.needsRecording(inputs)) {
            return inputs;
        }
        inputsTracked = true;
        Tensor[] out = new Tensor[inputs.length];
        Tensor[] tracked = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            boolean grad = inputs[i] != null && inputs[i].requiresGrad();
            out[i] = grad ? inputs[i].detach() : inputs[i];
            tracked[i] = grad ? out[i] : null;
        }
        Autograd.record(new Identity(inputs.length, true), inputs, tracked);
        return out;
    }

    Tensor wrapOutput(Tensor output) {
        if (!Autograd.needsRecording(output)) {
            return output;
        }
        Tensor out = output.detach();
        Autograd.record(new Identity(1, false), new Tensor[] {output}, out);
        return out;
    }
}
