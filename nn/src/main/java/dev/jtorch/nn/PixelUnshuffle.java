package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * The inverse of PixelShuffle: (*, C, H r, W r) into (*, C r^2, H, W), like {@code torch.nn.PixelUnshuffle}.
 *
 * <p>Args: {@code downscaleFactor}.
 *
 * <p>Shape: input (*, C, H r, W r); output (*, C r^2, H, W).
 *
 * <p>Example: {@code new PixelUnshuffle(3).call(Torch.randn(1, 1, 12, 12))  // (1, 9, 4, 4)}
 */
public class PixelUnshuffle extends Module {
    /** The factor. */
    public final int downscaleFactor;

    /** With the factor. */
    public PixelUnshuffle(int downscaleFactor) {
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.pixelUnshuffle(input, downscaleFactor);
    }

    @Override
    public String extraRepr() {
        return "downscale_factor=" + downscaleFactor;
    }
}
