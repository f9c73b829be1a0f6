package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * A 2-d convolution over an input of several planes, like {@code torch.nn.Conv2d}, on the engine's
 * convolution op (on the CPU: direct vectorised kernels, 1x1 in place, or im2col and the packed GEMM).
 *
 * <p>Args: {@code inChannels}, {@code outChannels}, {@code kernelSize}; through {@link ConvOptions}:
 * {@code stride} (1), {@code padding} (0, or "same"/"valid"), {@code dilation} (1), {@code groups} (1),
 * {@code bias} (true), {@code paddingMode} (ZEROS, REFLECT, REPLICATE, CIRCULAR), {@code dtype}.
 *
 * <p>Shape: input (N, C_in, H_in, W_in) or (C_in, H_in, W_in); output (N, C_out, H_out, W_out) with H_out = floor((H_in
 * + 2 padding[0] - dilation[0] (kernel_size[0] - 1) - 1) / stride[0] + 1), likewise W_out.
 *
 * <p>Attributes: {@code weight} (outChannels, inChannels / groups, *kernelSize) and {@code bias} (outChannels),
 * both from U(-sqrt(k), sqrt(k)) with k = groups / (inChannels * prod(kernelSize)).
 *
 * <p>Example: {@code new Conv2d(Conv2d.options(16, 33, 3).stride(2)).call(Torch.randn(20, 16, 50, 100))  // (20, 33,
 * 24, 49)}
 */
public class Conv2d extends ConvNd {
    /** Stride 1, no padding, a bias, float32. */
    public Conv2d(int inChannels, int outChannels, int... kernelSize) {
        this(new ConvOptions(inChannels, outChannels, kernelSize));
    }

    /** With every argument. */
    public Conv2d(ConvOptions options) {
        super(2, given(options, "Conv2d"), false);
    }

    /** The options builder: {@code Conv2d.options(in, out, kernel).stride(2).padding(1)}. */
    public static ConvOptions options(int inChannels, int outChannels, int... kernelSize) {
        return new ConvOptions(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (paddingString != null && paddingMode == dev.jtorch.nn.functional.PadMode.ZEROS) {
            return F.conv2d(input, attr("weight"), attr("bias"), stride, paddingString, dilation, groups);
        }
        return F.conv2d(padded(input), attr("weight"), attr("bias"), stride, convPadding(), dilation, groups);
    }
}
