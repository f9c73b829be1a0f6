package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Rearranges (*, C r^2, H, W) into (*, C, H r, W r) (sub-pixel convolution), like {@code torch.nn.PixelShuffle}.
 *
 * <p>Args: {@code upscaleFactor}.
 *
 * <p>Shape: input (*, C r^2, H, W); output (*, C, H r, W r).
 *
 * <p>Example: {@code new PixelShuffle(3).call(Torch.randn(1, 9, 4, 4))  // (1, 1, 12, 12)}
 */
public class PixelShuffle extends Module {
    /** The factor. */
    public final int upscaleFactor;

    /** With the factor. */
    public PixelShuffle(int upscaleFactor) {
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.pixelShuffle(input, upscaleFactor);
    }

    @Override
    public String extraRepr() {
        return "upscale_factor=" + upscaleFactor;
    }
}
