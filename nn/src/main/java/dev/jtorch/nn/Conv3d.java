package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * A 3-d convolution over an input of several planes, like {@code torch.nn.Conv3d}, on the engine's
 * convolution op (on the CPU: im2col and the packed GEMM, or a direct depthwise kernel).
 *
 * <p>Args: {@code inChannels}, {@code outChannels}, {@code kernelSize}; through {@link ConvOptions}:
 * {@code stride} (1), {@code padding} (0, or "same"/"valid"), {@code dilation} (1), {@code groups} (1),
 * {@code bias} (true), {@code paddingMode} (ZEROS, REFLECT, REPLICATE, CIRCULAR), {@code dtype}.
 *
 * <p>Shape: input (N, C_in, D_in, H_in, W_in) or (C_in, D_in, H_in, W_in); output (N, C_out, D_out, H_out, W_out) with
 * each spatial size as for Conv1d.
 *
 * <p>Attributes: {@code weight} (outChannels, inChannels / groups, *kernelSize) and {@code bias} (outChannels),
 * both from U(-sqrt(k), sqrt(k)) with k = groups / (inChannels * prod(kernelSize)).
 *
 * <p>Example: {@code new Conv3d(Conv3d.options(16, 33, 3).stride(2)).call(Torch.randn(20, 16, 10, 50, 100))  // (20,
 * 33, 4, 24, 49)}
 */
public class Conv3d extends ConvNd {
    /** Stride 1, no padding, a bias, float32. */
    public Conv3d(int inChannels, int outChannels, int... kernelSize) {
        this(new ConvOptions(inChannels, outChannels, kernelSize));
    }

    /** With every argument. */
    public Conv3d(ConvOptions options) {
        super(3, given(options, "Conv3d"), false);
    }

    /** The options builder: {@code Conv3d.options(in, out, kernel).stride(2).padding(1)}. */
    public static ConvOptions options(int inChannels, int outChannels, int... kernelSize) {
        return new ConvOptions(inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (paddingString != null && paddingMode == dev.jtorch.nn.functional.PadMode.ZEROS) {
            return F.conv3d(input, attr("weight"), attr("bias"), stride, paddingString, dilation, groups);
        }
        return F.conv3d(padded(input), attr("weight"), attr("bias"), stride, convPadding(), dilation, groups);
    }
}
