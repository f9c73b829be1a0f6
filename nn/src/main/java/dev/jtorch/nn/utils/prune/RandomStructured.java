package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;

/**
 * PyTorch's {@code prune.RandomStructured}: prunes whole (currently unpruned) channels along {@code dim} at random.
 * It draws {@code torch.rand(nchannels)} (float32) and keeps the channels whose draw is above the k-th smallest,
 * so after the same {@code Torch.manualSeed} it prunes the channels PyTorch prunes.
 *
 * <p>Args: amount, an {@link Amount} of channels; dim, the dim along which channels are defined (default -1).
 *
 * <p>Example:
 * <pre>{@code
 * RandomStructured.apply(conv, "weight", Amount.of(0.5), 0);   // half of the output channels become 0
 * }</pre>
 */
public final class RandomStructured extends BasePruningMethod {
    private final Amount amount;
    private final int dim;

    /** Prunes {@code amount} channels along {@code dim}. */
    public RandomStructured(Amount amount, int dim) {
        this.amount = RandomUnstructured.requireAmount(amount);
        this.dim = dim;
    }

    /** Prunes {@code amount} channels along the last dim. */
    public RandomStructured(Amount amount) {
        this(amount, -1);
    }

    /** The amount to prune. */
    public Amount amount() {
        return amount;
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
     * The mask pruning {@code amount} random channels, times {@code defaultMask}.
     *
     * @throws IllegalArgumentException when t has fewer than 2 dims
     * @throws IndexOutOfBoundsException when dim is not a dim of t
     */
    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        Masks.validateStructured(t);
        int size = Masks.channels(t, dim);
        int k = amount.toPrune(size);
        if (k == 0) {
            return defaultMask;
        }
        Tensor prob = Torch.rand(size).to(t.device());   // drawn as on the CPU, then moved
        Tensor threshold = prob.kthvalue(k).values();
        Tensor channelMask = prob.gt(threshold);
        Tensor mask = Masks.broadcastChannels(t, Masks.wrap(t, dim), channelMask);
        return mask.mul(defaultMask.to(mask.dtype()));
    }

    /** Prunes {@code amount} random channels of {@code module}'s parameter {@code name} along {@code dim}. */
    public static BasePruningMethod apply(Module module, String name, Amount amount, int dim) {
        return BasePruningMethod.apply(module, name, new RandomStructured(amount, dim), null);
    }

    @Override
    public String toString() {
        return "RandomStructured(amount=" + amount + ", dim=" + dim + ")";
    }
}
