package dev.jtorch.nn;

import dev.jtorch.nn.functional.PadMode;

/**
 * Pads the last 3 dims with a constant value, like {@code torch.nn.ConstantPad3d}.
 *
 * <p>Args: {@code padding} (one value for every side, or (left, right) pairs from the last dim), {@code value}.
 *
 * <p>Shape: input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in); padding (left, right, top, bottom, front, back).
 *
 * <p>Example: {@code new ConstantPad3d(2, 3.5).call(x)}
 */
public class ConstantPad3d extends PadNd {
    /** The same padding on every side. */
    public ConstantPad3d(int padding, double value) {
        this(new int[] {padding}, value);
    }

    /** Padding (left, right) pairs from the last dim backwards (6 values), or one for every side. */
    public ConstantPad3d(int[] padding, double value) {
        super(3, padding, PadMode.CONSTANT, value);
    }

    @Override
    public String extraRepr() {
        return "padding=" + Repr.tuple(padding) + ", value=" + Repr.num(value);
    }
}
