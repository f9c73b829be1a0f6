package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * 2-d adaptive max pooling, like {@code torch.nn.AdaptiveMaxPool2d}.
 *
 * <p>Args: {@code outputSize} (one value or one per dim; null keeps the input's size), {@code returnIndices}
 * (default false; {@link #forwardWithIndices} gives them either way).
 *
 * <p>Shape: input (N, C, H_in, W_in) or (C, H_in, W_in); output the same with the spatial sizes replaced.
 *
 * <p>Example: {@code new AdaptiveMaxPool2d(5, 5).call(x)}
 */
public class AdaptiveMaxPool2d extends Module {
    /** The output size as given. */
    public final Integer[] outputSize;
    /** Whether PyTorch would return (output, indices). */
    public final boolean returnIndices;

    /** Pools to outputSize. */
    public AdaptiveMaxPool2d(Integer... outputSize) {
        this(outputSize, false);
    }

    /** With every argument. */
    public AdaptiveMaxPool2d(Integer[] outputSize, boolean returnIndices) {
        this.outputSize = outputSize.clone();
        this.returnIndices = returnIndices;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveMaxPool2d(input, outputSize);
    }

    /** The pooled values and the position of each maximum in its input plane. */
    public Pooled forwardWithIndices(Tensor input) {
        Tensor[] r = F.adaptiveMaxPool2dWithIndices(input, outputSize);
        return new Pooled(r[0], r[1]);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + PoolArgs.asGiven(outputSize);
    }
}
