package dev.jtorch.nn;

import dev.jtorch.nn.functional.InterpolationMode;

/**
 * 2-d nearest-neighbour upsampling of (N, C, H, W), like {@code torch.nn.UpsamplingNearest2d} (an {@link Upsample} with
 * that mode).
 *
 * <p>Args: {@code size} or {@code scaleFactor} (the other null).
 *
 * <p>Shape: input (N, C, H_in, W_in); output (N, C, H_out, W_out).
 *
 * <p>Example: {@code new UpsamplingNearest2d(null, new double[] {2}).call(Torch.randn(1, 1, 2, 2))  // (1, 1, 4, 4)}
 */
public class UpsamplingNearest2d extends Upsample {
    /** Exactly one of size and scaleFactor non-null. */
    public UpsamplingNearest2d(int[] size, double[] scaleFactor) {
        super(build(size, scaleFactor));
    }

    private static UpsampleOptions build(int[] size, double[] scaleFactor) {
        UpsampleOptions o = Upsample.options().mode(InterpolationMode.NEAREST).alignCorners(null);
        if (size != null) {
            o.size(size);
        }
        if (scaleFactor != null) {
            o.scaleFactor(scaleFactor);
        }
        return o;
    }
}
