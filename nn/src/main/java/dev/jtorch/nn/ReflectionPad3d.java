package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 3 dims with the reflection of the input about its edge (without repeating the edge), like {@code
 * torch.nn.ReflectionPad3d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); padding (left, right, top, bottom, front, back).
 *
 * <p>Example: {@code new ReflectionPad3d(2).call(x)}
 */
public class ReflectionPad3d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (6 values), or one value for every side. */
    public ReflectionPad3d(int... padding) {
        super(3, padding, PadMode.REFLECT, 0);
    }
}
