package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * A 1-d convolution over an input of several planes, like {@code torch.nn.Conv1d}, on the engine's
 * convolution op (on the CPU: direct vectorised kernels, 1x1 in place, or im2col and the packed GEMM).
 *
 * <p>Args: {@code inChannels}, {@code outChannels}, {@code kernelSize}; through {@link ConvOptions}:
 * {@code stride} (1), {@code padding} (0, or "same"/"valid"), {@code dilation} (1), {@code groups} (1),
 * {@code bias} (true), {@code paddingMode} (ZEROS, REFLECT, REPLICATE, CIRCULAR), {@code dtype}.
 *
 * <p>Shape: input (N, C_in, L_in) or (C_in, L_in); output (N, C_out, L_out) with L_out = floor((L_in + 2 padding -
 * dilation (kernel_size - 1) - 1) / stride + 1).
 *
 * <p>Attributes: {@code weight} (outChannels, inChannels / groups, *kernelSize) and {@code bias} (outChannels),
 * both from U(-sqrt(k), sqrt(k)) with k = groups / (inChannels * prod(kernelSize)).
 *
 * <p>Example: {@code new Conv1d(Conv1d.options(16, 33, 3).stride(2)).call(Torch.randn(20, 16, 50))  // (20, 33, 24)}
 */
public class Conv1d extends ConvNd {
    /** Stride 1, no padding, a bias, float32. */
    public Conv1d(int inChannels, int outChannels, int... kernelSize) {
        this(new ConvOptions(inChannels, outChannels, kernelSize));
    }

    /** With every argument. */
    public Conv1d(ConvOptions options) {
        super(1, given(options, "Conv1d"), false);
    }

    /** The options builder: {@code Conv1d.options(in, out, kernel).stride(2).padding(1)}. */
    public static ConvOptions options(int inChannels, int outChannels, int... kernelSize) {
        return new ConvOptions(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (paddingString != null && paddingMode == dev.jtorch.nn.functional.PadMode.ZEROS) {
            return F.conv1d(input, attr("weight"), attr("bias"), stride, paddingString, dilation, groups);
        }
        return F.conv1d(padded(input), attr("weight"), attr("bias"), stride, convPadding(), dilation, groups);
    }
}
