package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 2 dims with zeros, like {@code torch.nn.ZeroPad2d}. The repr is current PyTorch's
 * ({@code ZeroPad2d((1, 1, 1, 1))}); PyTorch 1.13 printed ZeroPad2d as a ConstantPad2d.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); padding (left, right, top, bottom).
 *
 * <p>Example: {@code new ZeroPad2d(2).call(x)}
 */
public class ZeroPad2d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (4 values), or one value for every side. */
    public ZeroPad2d(int... padding) {
        super(2, padding, PadMode.CONSTANT, 0);
    }
}
