package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 1 dim with the reflection of the input about its edge (without repeating the edge), like {@code
 * torch.nn.ReflectionPad1d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, W_in) or (C, W_in); output W_out = W_in + left + right.
 *
 * <p>Example: {@code new ReflectionPad1d(2).call(x)}
 */
public class ReflectionPad1d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (2 values), or one value for every side. */
    public ReflectionPad1d(int... padding) {
        super(1, padding, PadMode.REFLECT, 0);
    }
}
