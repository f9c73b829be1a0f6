package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 1 dim with the input wrapped around (the other end), like {@code torch.nn.CircularPad1d}.
 * (CircularPad1d/2d/3d are PyTorch 2.1 modules; F.pad with mode circular is the same in 1.13.)
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, W_in) or (C, W_in); output W_out = W_in + left + right.
 *
 * <p>Example: {@code new CircularPad1d(2).call(x)}
 */
public class CircularPad1d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (2 values), or one value for every side. */
    public CircularPad1d(int... padding) {
        super(1, padding, PadMode.CIRCULAR, 0);
    }
}
