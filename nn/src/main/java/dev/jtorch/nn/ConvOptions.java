package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.nn.functional.PadMode;

/**
 * The arguments of the convolution layers ({@link Conv1d}, {@link Conv2d}, {@link Conv3d} and the transposed
 * ones), with PyTorch's names and defaults: {@code stride} 1, {@code padding} 0 (or "same"/"valid"),
 * {@code outputPadding} 0 (transposed only), {@code dilation} 1, {@code groups} 1, {@code bias} true,
 * {@code paddingMode} ZEROS, {@code dtype} float32. Per-dim arguments take one value for every spatial dim or
 * one per dim.
 *
 * <p>Example: {@code new Conv2d(Conv2d.options(3, 64, 3).stride(2).padding(1).bias(false))}.
 */
public final class ConvOptions {
    final int inChannels;
    final int outChannels;
    final int[] kernelSize;
    int[] stride = {1};
    int[] padding = {0};
    String paddingString;
    int[] outputPadding = {0};
    int[] dilation = {1};
    int groups = 1;
    boolean bias = true;
    PadMode paddingMode = PadMode.ZEROS;
    DType dtype = DType.FLOAT32;

    /** The required arguments: channels in and out, and the kernel size (one value or one per dim). */
    public ConvOptions(int inChannels, int outChannels, int... kernelSize) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
    }

    /** Stride of the kernel (default 1). */
    public ConvOptions stride(int... v) {
        stride = v.clone();
        return this;
    }

    /** Zero padding on both sides of each dim (default 0). */
    public ConvOptions padding(int... v) {
        padding = v.clone();
        paddingString = null;
        return this;
    }

    /** PyTorch's string padding: "same" (output as large as the input; stride 1 only) or "valid" (none). */
    public ConvOptions padding(String v) {
        if (!"same".equals(v) && !"valid".equals(v)) {
            throw new IllegalArgumentException("Invalid padding string '" + v + "', should be one of {'same', "
                    + "'valid'}");
        }
        paddingString = v;
        padding = new int[] {0};
        return this;
    }

    /** Extra size added to one side of the output (transposed convolutions; default 0). */
    public ConvOptions outputPadding(int... v) {
        outputPadding = v.clone();
        return this;
    }

    /** Spacing between kernel taps (default 1). */
    public ConvOptions dilation(int... v) {
        dilation = v.clone();
        return this;
    }

    /** Blocked connections from input to output channels (default 1). */
    public ConvOptions groups(int v) {
        groups = v;
        return this;
    }

    /** Learn an additive bias (default true). */
    public ConvOptions bias(boolean v) {
        bias = v;
        return this;
    }

    /** How the input is padded: ZEROS (default), REFLECT, REPLICATE or CIRCULAR. */
    public ConvOptions paddingMode(PadMode v) {
        if (v == PadMode.CONSTANT) {
            throw new IllegalArgumentException("padding_mode must be one of {'replicate', 'circular', 'zeros', "
                    + "'reflect'}, but got padding_mode='constant'");
        }
        paddingMode = v;
        return this;
    }

    /** The parameters' dtype (default float32). */
    public ConvOptions dtype(DType v) {
        dtype = v;
        return this;
    }
}
