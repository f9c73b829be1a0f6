package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;

/**
 * PyTorch's {@code prune.RandomUnstructured}: prunes (currently unpruned) entries at random. It draws
 * {@code torch.rand_like(t)} and prunes the entries with the {@code k} largest draws, so after the same
 * {@code Torch.manualSeed} it prunes the entries PyTorch prunes.
 *
 * <p>Args: amount, an {@link Amount} (an int count or a fraction in [0, 1]).
 *
 * <p>Example:
 * <pre>{@code
 * RandomUnstructured.apply(linear, "weight", Amount.of(0.3));
 * }</pre>
 */
public final class RandomUnstructured extends BasePruningMethod {
    private final Amount amount;

    /** Prunes {@code amount} entries. */
    public RandomUnstructured(Amount amount) {
        this.amount = requireAmount(amount);
    }

    /** Prunes {@code amount} entries (a count). */
    public RandomUnstructured(int amount) {
        this(Amount.of(amount));
    }

    /** Prunes the fraction {@code amount} of the entries. */
    public RandomUnstructured(double amount) {
        this(Amount.of(amount));
    }

    static Amount requireAmount(Amount amount) {
        if (amount == null) {
            throw new IllegalArgumentException("Invalid type for amount: None. Must be int or float.");
        }
        return amount;
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
            Tensor prob = Torch.randLike(t);
            Tensor idx = prob.reshape(-1).topk(k).indices();
            mask = mask.reshape(-1).scatter(0, idx, 0.0).view(defaultMask.shape());
        }
        return mask;
    }

    /** Prunes {@code amount} of {@code module}'s parameter {@code name} at random; returns the method applied. */
    public static BasePruningMethod apply(Module module, String name, Amount amount) {
        return BasePruningMethod.apply(module, name, new RandomUnstructured(amount), null);
    }

    @Override
    public String toString() {
        return "RandomUnstructured(amount=" + amount + ")";
    }
}
