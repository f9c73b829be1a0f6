package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 2 dims with copies of the input's edge, like {@code torch.nn.ReplicationPad2d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); padding (left, right, top, bottom).
 *
 * <p>Example: {@code new ReplicationPad2d(2).call(x)}
 */
public class ReplicationPad2d extends PadNd {
    /** Padding (left, right) pairs from the last dim backwards (4 values), or one value for every side. */
    public ReplicationPad2d(int... padding) {
        super(2, padding, PadMode.REPLICATE, 0);
    }
}
