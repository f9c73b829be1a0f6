package dev.jtorch.nn;

import dev.jtorch.nn.functional.InterpolationMode;

/**
 * The arguments of {@link Upsample} with PyTorch's names and defaults: exactly one of {@code size} and
 * {@code scaleFactor} (one value or one per spatial dim), {@code mode} (NEAREST), {@code alignCorners} (None:
 * false for the interpolating modes), {@code recomputeScaleFactor} (None).
 *
 * <p>Example: {@code new Upsample(Upsample.options().scaleFactor(2).mode(InterpolationMode.BILINEAR))}.
 */
public final class UpsampleOptions {
    int[] size;
    double[] scaleFactor;
    InterpolationMode mode = InterpolationMode.NEAREST;
    Boolean alignCorners;
    Boolean recomputeScaleFactor;

    /** PyTorch's defaults, neither size nor scaleFactor set yet; {@link Upsample#options()} is the same. */
    public UpsampleOptions() {
    }

    /** The output's spatial size. */
    public UpsampleOptions size(int... v) {
        size = v.clone();
        return this;
    }

    /** The multiplier of each spatial size. */
    public UpsampleOptions scaleFactor(double... v) {
        scaleFactor = v.clone();
        return this;
    }

    /** The interpolation: NEAREST (default), NEAREST_EXACT, LINEAR, BILINEAR, BICUBIC, TRILINEAR or AREA. */
    public UpsampleOptions mode(InterpolationMode v) {
        mode = v;
        return this;
    }

    /** Align the corner pixels' centres (interpolating modes only; null for PyTorch's None). */
    public UpsampleOptions alignCorners(Boolean v) {
        alignCorners = v;
        return this;
    }

    /** Compute the scale from the output size (true) or pass the given scale on (false/null). */
    public UpsampleOptions recomputeScaleFactor(Boolean v) {
        recomputeScaleFactor = v;
        return this;
    }
}
