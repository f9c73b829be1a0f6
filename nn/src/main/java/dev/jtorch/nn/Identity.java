package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * Returns its input unchanged, like {@code torch.nn.Identity} (a placeholder in architectures).
 *
 * <p>Args: none (PyTorch ignores any).
 *
 * <p>Shape: input (*); output (*), the same tensor.
 *
 * <p>Example: {@code new Identity().call(x) == x}.
 */
public class Identity extends Module {
    /** The identity module. */
    public Identity() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
