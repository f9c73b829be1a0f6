package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 2-d adaptive average pooling, like {@code torch.nn.AdaptiveAvgPool2d}: windows
 * [floor(o * in / out), ceil((o + 1) * in / out)) give exactly the requested output size.
 *
 * <p>Args: {@code outputSize}: one value for every dim or one per dim; null keeps that dim's input size.
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output the same with the spatial sizes replaced.
 *
 * <p>Example: {@code new AdaptiveAvgPool2d(7, 7).call(x)}
 */
public class AdaptiveAvgPool2d extends Module {
    /** The output size as given (null entries keep the input's size). */
    public final Integer[] outputSize;

    /** Pools to outputSize. */
    public AdaptiveAvgPool2d(Integer... outputSize) {
        this.outputSize = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + PoolArgs.asGiven(outputSize);
    }
}
