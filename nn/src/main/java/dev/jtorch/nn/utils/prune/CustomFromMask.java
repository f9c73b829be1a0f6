package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;
import dev.jtorch.nn.Module;

import java.util.Arrays;

/**
 * PyTorch's {@code prune.CustomFromMask}: prunes with a given mask (times the mask so far). Its type is
 * {@code GLOBAL}: on a tensor pruned before, the mask applies to all entries.
 *
 * <p>Args: mask, of the pruned tensor's shape (0 prunes, 1 keeps).
 *
 * <p>Example:
 * <pre>{@code
 * CustomFromMask.apply(linear, "bias", Torch.tensor(new double[] {0, 1, 0}, 3));
 * }</pre>
 */
public final class CustomFromMask extends BasePruningMethod {
    private final Tensor mask;

    /** Prunes with {@code mask}. */
    public CustomFromMask(Tensor mask) {
        if (mask == null) {
            throw new IllegalArgumentException("CustomFromMask: mask must not be null");
        }
        this.mask = mask;
    }

    /** The mask. */
    public Tensor mask() {
        return mask;
    }

    @Override
    public PruningType pruningType() {
        return PruningType.GLOBAL;
    }

    /** {@code defaultMask * mask}. */
    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        if (!Arrays.equals(defaultMask.shape(), mask.shape())) {
            throw new IllegalArgumentException("CustomFromMask: the mask's shape " + Arrays.toString(mask.shape())
                    + " differs from the tensor's " + Arrays.toString(defaultMask.shape()));
        }
        return defaultMask.mul(mask.to(defaultMask.dtype()));
    }

    /** Prunes {@code module}'s parameter {@code name} with {@code mask}; returns the method applied. */
    public static BasePruningMethod apply(Module module, String name, Tensor mask) {
        return BasePruningMethod.apply(module, name, new CustomFromMask(mask), null);
    }

    @Override
    public String toString() {
        return "CustomFromMask()";
    }
}
