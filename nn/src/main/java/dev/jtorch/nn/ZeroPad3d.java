package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 3 dims with zeros, like {@code torch.nn.ZeroPad3d}. The repr is current PyTorch's
 * ({@code ZeroPad3d((1, 1, 1, 1, 1, 1))}); PyTorch 1.13 has no ZeroPad3d.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); padding (left, right, top, bottom, front, back).
 *
 * <p>Example: {@code new ZeroPad3d(2).call(x)}
 */
public class ZeroPad3d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (6 values), or one value for every side. */
    public ZeroPad3d(int... padding) {
        super(3, padding, PadMode.CONSTANT, 0);
    }
}
