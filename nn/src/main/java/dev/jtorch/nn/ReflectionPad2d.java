package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 2 dims with the reflection of the input about its edge (without repeating the edge), like {@code
 * torch.nn.ReflectionPad2d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); padding (left, right, top, bottom).
 *
 * <p>Example: {@code new ReflectionPad2d(2).call(x)}
 */
public class ReflectionPad2d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (4 values), or one value for every side. */
    public ReflectionPad2d(int... padding) {
        super(2, padding, PadMode.REFLECT, 0);
    }
}
