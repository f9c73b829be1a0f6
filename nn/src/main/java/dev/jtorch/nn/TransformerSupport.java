package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.internal.InitDraws;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the Transformer modules share: PyTorch's {@code _get_clones} (deep copies that draw no random numbers),
 * {@code _get_seq_len}, {@code _detect_is_causal_mask} and the mask dtype check of {@code _canonical_mask}.
 */
final class TransformerSupport {
    private TransformerSupport() {
    }

    /**
     * A deep copy of {@code source} as {@code copy.deepcopy} makes it: {@code build} makes a module of the same
     * structure without drawing from the global generator (PyTorch's deepcopy draws nothing, so the generator
     * stays where PyTorch's is), then every parameter and buffer gets a copy of the source's values, dtype and
     * device, with its requires_grad and gradient, and every submodule the source's training mode.
     */
    static <M extends Module> M deepCopy(M source, Supplier<M> build) {
        M copy = InitDraws.skipped(build);
        Map<String, Parameter> from = source.namedParameters();
        Map<String, Parameter> to = copy.namedParameters();
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalStateException(source.name() + ": a copy has the parameters " + to.keySet()
                    + " where the source has " + from.keySet());
        }
        try (var _ = Autograd.noGrad()) {
            for (var e : from.entrySet()) {
                Parameter s = e.getValue();
                Parameter d = to.get(e.getKey());
                d.setData(s.detach().clone());
                d.requiresGrad_(s.requiresGrad());
                d.setGrad(s.grad() == null ? null : s.grad().clone());
            }
            Map<String, Tensor> toBuffers = copy.namedBuffers();
            for (var e : source.namedBuffers().entrySet()) {
                Tensor d = toBuffers.get(e.getKey());
                if (d != null && e.getValue() != null) {
                    d.setData(e.getValue().detach().clone());
                }
            }
        }
        // preorder: a module's mode first, then its children's own
        Map<String, Module> copies = copy.namedModules();
        for (var e : source.namedModules().entrySet()) {
            Module d = copies.get(e.getKey());
            if (d != null) {
                d.train(e.getValue().isTraining());
            }
        }
        return copy;
    }

    /** {@code n} deep copies of {@code layer} ({@code _get_clones}), refusing a negative count. */
    static ModuleList clones(Module layer, int n, Supplier<? extends Module> copy, String owner) {
        if (layer == null) {
            throw new IllegalArgumentException(owner + ": the layer to stack must not be null");
        }
        if (n < 0) {
            throw new IllegalArgumentException(owner + ": num_layers must be non-negative, got " + n);
        }
        ModuleList list = new ModuleList();
        for (int i = 0; i < n; i++) {
            list.append(copy.get());
        }
        return list;
    }

    /**
     * {@code _get_seq_len}: the sequence length of a (S, E) or batched input, or -1 for other ranks (the
     * attention then refuses the input).
     */
    static int seqLen(Tensor src, boolean batchFirst) {
        if (src.dim() == 2) {
            return src.size(0);
        }
        return src.dim() == 3 ? src.size(batchFirst ? 1 : 0) : -1;
    }

    /**
     * {@code _detect_is_causal_mask}: {@code isCausal} when given; otherwise whether {@code mask} is exactly the
     * (size, size) causal mask of {@link Transformer#generateSquareSubsequentMask} (bool: true above the
     * diagonal). The layers pass it to {@link MultiheadAttention}, whose fused path then applies the causal mask
     * in place of the given one, which it equals.
     */
    static boolean detectIsCausalMask(Tensor mask, Boolean isCausal, int size) {
        if (isCausal != null) {
            return isCausal;
        }
        if (mask == null || size < 0 || mask.dim() != 2 || mask.size(0) != size || mask.size(1) != size) {
            return false;
        }
        try (var _ = Autograd.noGrad()) {
            Tensor causal = mask.dtype() == DType.BOOL
                    ? Torch.ones(DType.BOOL, mask.device(), size, size).triu(1)
                    : Transformer.generateSquareSubsequentMask(size, mask.dtype(), mask.device());
            return mask.equal(causal);
        }
    }

    /** {@code _canonical_mask}'s check: a mask is bool or floating point. */
    static void checkMaskDtype(Tensor mask, String name) {
        if (mask != null && mask.dtype() != DType.BOOL && !mask.isFloatingPoint()) {
            throw new IllegalArgumentException("only bool and floating types of " + name + " are supported, got "
                    + mask.dtype());
        }
    }

    static Tensor requireInput(Tensor t, String owner, String name) {
        if (t == null) {
            throw new IllegalArgumentException(owner + ": " + name + " must not be null");
        }
        return t;
    }
}
