package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * A 2-d transposed convolution (the gradient of Conv2d with respect to its input), like
 * {@code torch.nn.ConvTranspose2d}.
 *
 * <p>Args: {@code inChannels}, {@code outChannels}, {@code kernelSize}; through {@link ConvOptions}:
 * {@code stride} (1), {@code padding} (0: dilation (kernel_size - 1) - padding zeros are added to both sides),
 * {@code outputPadding} (0, smaller than stride or dilation), {@code groups} (1), {@code bias} (true),
 * {@code dilation} (1), {@code dtype}. Only ZEROS padding mode.
 *
 * <p>Shape: input (N, C_in, H_in, W_in) or (C_in, H_in, W_in); output with each spatial size
 * {@code (in - 1) stride - 2 padding + dilation (kernel - 1) + outputPadding + 1};
 * {@link #forward(Tensor, int[])} takes the wanted output size instead of outputPadding.
 *
 * <p>Attributes: {@code weight} (inChannels, outChannels / groups, *kernelSize) and {@code bias}
 * (outChannels), both from U(-sqrt(k), sqrt(k)) with k = groups / (outChannels * prod(kernelSize)).
 *
 * <p>Example: {@code new ConvTranspose2d(ConvTranspose2d.options(16, 33, 3).stride(2)).call(x)}
 */
public class ConvTranspose2d extends ConvNd {
    /** Stride 1, no padding, a bias, float32. */
    public ConvTranspose2d(int inChannels, int outChannels, int... kernelSize) {
        this(new ConvOptions(inChannels, outChannels, kernelSize));
    }

    /** With every argument. */
    public ConvTranspose2d(ConvOptions options) {
        super(2, given(options, "ConvTranspose2d"), true);
    }

    /** The options builder: {@code ConvTranspose2d.options(in, out, kernel).stride(2).outputPadding(1)}. */
    public static ConvOptions options(int inChannels, int outChannels, int... kernelSize) {
        return new ConvOptions(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, (int[]) null);
    }

    /**
     * {@code forward(input, output_size)}: the output padding is chosen to give outputSize (its spatial
     * sizes, or the full shape), which must lie within one stride of the smallest output.
     */
    public Tensor forward(Tensor input, int[] outputSize) {
        int[] op = F.convTransposeOutputPadding(input, outputSize, stride, padding, kernelSize,
                dilation, outputPadding);
        return F.convTranspose2d(input, attr("weight"), attr("bias"), stride, padding, op, groups, dilation);
    }
}
