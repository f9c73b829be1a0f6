package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 3 dims with the input wrapped around (the other end), like {@code torch.nn.CircularPad3d}.
 * (CircularPad1d/2d/3d are PyTorch 2.1 modules; F.pad with mode circular is the same in 1.13.)
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); padding (left, right, top, bottom, front, back).
 *
 * <p>Example: {@code new CircularPad3d(2).call(x)}
 */
public class CircularPad3d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (6 values), or one value for every side. */
    public CircularPad3d(int... padding) {
        super(3, padding, PadMode.CIRCULAR, 0);
    }
}
