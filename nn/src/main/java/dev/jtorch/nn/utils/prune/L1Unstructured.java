package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;

/**
 * PyTorch's {@code prune.L1Unstructured}: prunes the (currently unpruned) entries of smallest absolute value
 * ({@code torch.topk(torch.abs(t).view(-1), k, largest=False)}; which of tied entries go is up to topk).
 *
 * <p>Args: amount, an {@link Amount} (an int count or a fraction in [0, 1]).
 *
 * <p>Example:
 * <pre>{@code
 * L1Unstructured.apply(linear, "weight", Amount.of(5), null);   // the 5 smallest |w| become 0
 * }</pre>
 */
public final class L1Unstructured extends BasePruningMethod {
    private final Amount amount;

    /** Prunes {@code amount} entries. */
    public L1Unstructured(Amount amount) {
        this.amount = RandomUnstructured.requireAmount(amount);
    }

    /** Prunes {@code amount} entries (a count). */
    public L1Unstructured(int amount) {
        this(Amount.of(amount));
    }

    /** Prunes the fraction {@code amount} of the entries. */
    public L1Unstructured(double amount) {
        this(Amount.of(amount));
    }

    /** The amount to prune. */
    public Amount amount() {
        return amount;
    }

    @Override
    public PruningType pruningType() {
        return PruningType.UNSTRUCTURED;
    }

    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        int k = amount.toPrune((int) t.numel());
        Tensor mask = defaultMask.clone();
        if (k != 0) {
            Tensor idx = t.abs().reshape(-1).topk(k, 0, false, true).indices();
            mask = mask.reshape(-1).scatter(0, idx, 0.0).view(defaultMask.shape());
        }
        return mask;
    }

    /**
     * Prunes {@code amount} of {@code module}'s parameter {@code name} by smallest |importance|
     * ({@code importanceScores}, or the parameter when null); returns the method applied.
     */
    public static BasePruningMethod apply(Module module, String name, Amount amount, Tensor importanceScores) {
        return BasePruningMethod.apply(module, name, new L1Unstructured(amount), importanceScores);
    }

    @Override
    public String toString() {
        return "L1Unstructured(amount=" + amount + ")";
    }
}
