package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;

/**
 * PyTorch's {@code prune.LnStructured}: prunes the whole (currently unpruned) channels along {@code dim} with the
 * smallest L{@code n} norm (the norm over all the other dims, as {@code torch.norm(t, p=n, dim=others)}).
 *
 * <p>Args: amount, an {@link Amount} of channels; n, the order of the norm (any p of {@code torch.norm} over
 * dims: 1, 2, {@code Double.POSITIVE_INFINITY}, {@code Double.NEGATIVE_INFINITY}, ...; PyTorch's 'fro' is 2);
 * dim, the dim along which channels are defined (default -1).
 *
 * <p>Example:
 * <pre>{@code
 * LnStructured.apply(conv, "weight", Amount.of(0.3), 2, 0, null);
 * }</pre>
 */
public final class LnStructured extends BasePruningMethod {
    private final Amount amount;
    private final double n;
    private final int dim;

    /** Prunes {@code amount} channels along {@code dim} by their L{@code n} norm. */
    public LnStructured(Amount amount, double n, int dim) {
        this.amount = RandomUnstructured.requireAmount(amount);
        this.n = n;
        this.dim = dim;
    }

    /** Prunes {@code amount} channels along the last dim by their L{@code n} norm. */
    public LnStructured(Amount amount, double n) {
        this(amount, n, -1);
    }

    /** The amount to prune. */
    public Amount amount() {
        return amount;
    }

    /** The order of the norm. */
    public double n() {
        return n;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public PruningType pruningType() {
        return PruningType.STRUCTURED;
    }

    /**
     * The mask keeping the channels of largest norm, times {@code defaultMask}.
     *
     * @throws IllegalArgumentException when t has fewer than 2 dims
     * @throws IndexOutOfBoundsException when dim is not a dim of t
     */
    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        Masks.validateStructured(t);
        int size = Masks.channels(t, dim);
        int k = amount.toPrune(size);
        int d = Masks.wrap(t, dim);
        Tensor norm = computeNorm(t, n, d);
        Tensor keep = norm.topk(size - k, 0, true, true).indices();
        if (k == 0) {
            return defaultMask;
        }
        Tensor channels = Torch.zeros(t.dtype(), t.device(), size).scatter(0, keep, 1.0);
        Tensor mask = Masks.broadcastChannels(t, d, channels);
        return mask.mul(defaultMask.to(mask.dtype()));
    }

    /** {@code _compute_norm}: the L{@code n} norm of t over all dims but {@code dim}, one value per channel. */
    static Tensor computeNorm(Tensor t, double n, int dim) {
        int[] dims = new int[t.dim() - 1];
        for (int i = 0, j = 0; i < t.dim(); i++) {
            if (i != dim) {
                dims[j++] = i;
            }
        }
        return t.norm(n, dims, false);
    }

    /**
     * Prunes {@code amount} channels of {@code module}'s parameter {@code name} along {@code dim} by the
     * L{@code n} norm of {@code importanceScores} (the parameter when null); returns the method applied.
     */
    public static BasePruningMethod apply(Module module, String name, Amount amount, double n, int dim,
                                          Tensor importanceScores) {
        return BasePruningMethod.apply(module, name, new LnStructured(amount, n, dim), importanceScores);
    }

    @Override
    public String toString() {
        return "LnStructured(amount=" + amount + ", n=" + dev.jtorch.nn.Repr.intOrNum(n) + ", dim=" + dim + ")";
    }
}
