package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.internal.TensorAccess;

import java.util.function.Function;

/**
 * Reverse-mode automatic differentiation, like {@code torch.autograd}: grad mode, backward, grad, gradcheck.
 *
 * <p>Grad mode is per thread. A graph node is created only when grad mode is on and an input requires a
 * gradient, so inference under {@link #noGrad()} records nothing:
 * <pre>{@code
 * try (var _ = Autograd.noGrad()) {  // unnamed (Java 22): the guard is only closed
 *     Tensor y = model.forward(x);   // no graph, nothing saved
 * }
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** Restores the previous grad mode when closed. */
    public static final class GradGuard implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        private GradGuard(boolean enabled) {
            this.previous = GradMode.set(enabled);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                GradMode.set(previous);
            }
        }
    }

    /** Turns recording off on this thread until the guard is closed ({@code torch.no_grad()}). */
    public static GradGuard noGrad() {
        return new GradGuard(false);
    }

    /** Turns recording on on this thread until the guard is closed ({@code torch.enable_grad()}). */
    public static GradGuard enableGrad() {
        return new GradGuard(true);
    }

    /** Sets grad mode on this thread ({@code torch.set_grad_enabled}); returns a guard restoring the old one. */
    public static GradGuard setGradEnabled(boolean enabled) {
        return new GradGuard(enabled);
    }

    /** Whether grad mode is on for this thread. */
    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** True when grad mode is on and some input requires a gradient, i.e. when an op must be recorded. */
    public static boolean needsRecording(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connects {@code node} into the graph: one edge per entry of {@code inputs} (none for null entries or
     * inputs not requiring grad) and output {@code i} of the node becomes the history of {@code outputs[i]}.
     * Does nothing and returns false when {@link #needsRecording} is false.
     */
    public static boolean record(Node node, Tensor[] inputs, Tensor... outputs) {
        if (!needsRecording(inputs)) {
            return false;
        }
        connect(node, inputs, outputs);
        return true;
    }

    /**
     * {@link #record} without the grad-mode check, for callers that have made it ({@link #needsRecording}
     * true): connects the edges and sets the outputs' history.
     */
    public static void connect(Node node, Tensor[] inputs, Tensor... outputs) {
        TensorAccess access = TensorAccess.get();
        Node[] next = new Node[inputs.length];
        int[] nrs = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) {
                continue;
            }
            if (t.gradFn() != null) {
                next[i] = t.gradFn();
                nrs[i] = t.outputNr();
            } else {
                next[i] = access.gradAccumulator(t);
            }
        }
        node.nextNodes = next;
        node.nextInputNrs = nrs;
        for (int o = 0; o < outputs.length; o++) {
            if (outputs[o] != null) {
                access.setGradFn(outputs[o], node, o);
            }
        }
    }

    /**
     * Computes the gradients of {@code tensors} with respect to the graph leaves and accumulates them into
     * their {@code grad()} ({@code torch.autograd.backward}). A null entry of {@code grads} is allowed only for
     * a tensor of one element (the gradient is 1).
     */
    public static void backward(Tensor[] tensors, Tensor[] grads, boolean retainGraph) {
        Engine.run(tensors, seeds(tensors, grads), retainGraph, null);
    }

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}, without touching any {@code grad()}
     * ({@code torch.autograd.grad}). An input that the outputs do not depend on gets null when
     * {@code allowUnused}, else an exception.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
                                boolean allowUnused) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("One of the differentiated Tensors does not require grad");
            }
        }
        Tensor[] r = Engine.run(outputs, seeds(outputs, gradOutputs), retainGraph, inputs);
        for (int i = 0; i < r.length; i++) {
            if (r[i] == null && !allowUnused) {
                throw new IllegalArgumentException("One of the differentiated Tensors (input " + i + ") appears to"
                        + " not have been used in the graph. Set allowUnused=true if this is the desired behavior.");
            }
        }
        return r;
    }

    private static Tensor[] seeds(Tensor[] tensors, Tensor[] grads) {
        Tensor[] seeds = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (!t.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not"
                        + " have a grad_fn");
            }
            Tensor g = grads == null ? null : grads[i];
            if (g == null) {
                if (t.numel() != 1) {
                    throw new IllegalStateException("grad can be implicitly created only for scalar outputs, got "
                            + "shape " + java.util.Arrays.toString(t.shape()));
                }
                g = dev.jtorch.Torch.onesLike(t);
            } else if (!java.util.Arrays.equals(g.shape(), t.shape())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of "
                        + java.util.Arrays.toString(g.shape()) + " and output[" + i + "] has a shape of "
                        + java.util.Arrays.toString(t.shape()) + ".");
            } else if (!g.device().equals(t.device())) {
                throw new IllegalArgumentException("grad_output[" + i + "] is on " + g.device() + " but output["
                        + i + "] is on " + t.device());
            }
            seeds[i] = g;
        }
        return seeds;
    }

    /**
     * {@code torch.autograd.gradcheck} with PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3. Inputs that
     * require grad must be float64. Throws {@link GradcheckError} naming the input and the worst element when
     * the analytical and numerical Jacobians differ; returns true otherwise.
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return Gradcheck.check(fn, inputs, 1e-6, 1e-5, 1e-3);
    }

    /** {@link #gradcheck(Function, Tensor...)} with explicit eps, atol and rtol. */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, double eps, double atol, double rtol,
                                    Tensor... inputs) {
        return Gradcheck.check(fn, inputs, eps, atol, rtol);
    }

    static void requireDouble(Tensor t, int i) {
        if (t.requiresGrad() && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradcheck input " + i + " requires grad but is " + t.dtype()
                    + ": gradcheck needs torch.float64 inputs for its finite differences");
        }
    }
}
