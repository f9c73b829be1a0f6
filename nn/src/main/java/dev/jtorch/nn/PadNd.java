package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.PadMode;

import java.util.Arrays;

/**
 * What the padding layers share: (left, right) pairs from the last dim backwards, a mode and, for constant
 * padding, a value; forward is {@code F.pad}.
 */
public abstract class PadNd extends Module {
    /** (left, right) per padded dim, from the last dim backwards. */
    public final int[] padding;
    /** How the border is filled. */
    public final PadMode mode;
    /** The fill value (constant padding). */
    public final double value;

    PadNd(int nd, int[] padding, PadMode mode, double value) {
        if (padding.length == 1) {
            this.padding = new int[2 * nd];
            Arrays.fill(this.padding, padding[0]);
        } else if (padding.length == 2 * nd) {
            this.padding = padding.clone();
        } else {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding must be one value or " + 2 * nd
                    + " values (left, right per dim), got " + Arrays.toString(padding));
        }
        this.mode = mode;
        this.value = value;
    }

    @Override
    public Tensor forward(Tensor input) {
        return mode == PadMode.CONSTANT ? F.pad(input, padding, mode, value) : F.pad(input, padding, mode);
    }

    @Override
    public String extraRepr() {
        return Repr.tuple(padding);
    }
}
