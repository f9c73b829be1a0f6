package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 1 dim with zeros, like {@code torch.nn.ZeroPad1d}. The repr is current PyTorch's
 * ({@code ZeroPad1d((1, 1))}); PyTorch 1.13 has no ZeroPad1d.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, W_in) or (C, W_in); output W_out = W_in + left + right.
 *
 * <p>Example: {@code new ZeroPad1d(2).call(x)}
 */
public class ZeroPad1d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (2 values), or one value for every side. */
    public ZeroPad1d(int... padding) {
        super(1, padding, PadMode.CONSTANT, 0);
    }
}
