package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 1 dim with a constant value, like {@code torch.nn.ConstantPad1d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim), {@code value}.
 *
 * <p>Shape: input (N, C, W_in) or (C, W_in); output W_out = W_in + left + right.
 *
 * <p>Example: {@code new ConstantPad1d(2, 3.5).call(x)}
 */
public class ConstantPad1d extends PadNd {
    /** The same padding on every side. */
    public ConstantPad1d(int padding, double value) {
        this(new int[] {padding}, value);
    }

    /** Padding (left, right) pairs from the last dim backwards (2 values), or one for every side. */
    public ConstantPad1d(int[] padding, double value) {
        super(1, padding, PadMode.CONSTANT, value);
    }

    @Override
    public String extraRepr() {
        return "padding=" + Repr.tuple(padding) + ", value=" + Repr.num(value);
    }
}
