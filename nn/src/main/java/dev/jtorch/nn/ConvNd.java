package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.PadMode;
import dev.jtorch.nn.init.Init;

import java.util.Arrays;

/**
 * What the convolution layers share (PyTorch's {@code _ConvNd}): the arguments, the weight and bias with
 * PyTorch's initialisation, the padding for non-zero padding modes, and the repr. Subclasses differ in the
 * number of spatial dims and in calling {@code F.convNd} or {@code F.convTransposeNd}.
 */
public abstract class ConvNd extends Module {
    /** Input channels. */
    public final int inChannels;
    /** Output channels. */
    public final int outChannels;
    /** Kernel size per spatial dim. */
    public final int[] kernelSize;
    /** Stride per spatial dim. */
    public final int[] stride;
    /** Zero padding per spatial dim (0 when {@link #paddingString} is set). */
    public final int[] padding;
    /** "same", "valid" or null. */
    public final String paddingString;
    /** Dilation per spatial dim. */
    public final int[] dilation;
    /** Output padding per spatial dim (transposed convolutions). */
    public final int[] outputPadding;
    /** Whether this is a transposed convolution. */
    public final boolean transposed;
    /** Groups. */
    public final int groups;
    /** Padding mode. */
    public final PadMode paddingMode;
    /** The weight: (out, in / groups, *kernel), or (in, out / groups, *kernel) when transposed. */
    public final Parameter weight;
    /** The bias (out), or null. */
    public final Parameter bias;
    /** F.pad's argument for non-zero padding modes: (left, right) per dim from the last. */
    final int[] reversedPaddingRepeatedTwice;

    ConvNd(int nd, ConvOptions o, boolean transposed) {
        String name = getClass().getSimpleName();
        if (o.groups <= 0) {
            throw new IllegalArgumentException("groups must be a positive integer");
        }
        if (o.inChannels % o.groups != 0) {
            throw new IllegalArgumentException("in_channels must be divisible by groups");
        }
        if (o.outChannels % o.groups != 0) {
            throw new IllegalArgumentException("out_channels must be divisible by groups");
        }
        this.inChannels = o.inChannels;
        this.outChannels = o.outChannels;
        this.kernelSize = expand("kernel_size", o.kernelSize, nd);
        this.stride = expand("stride", o.stride, nd);
        this.padding = expand("padding", o.padding, nd);
        this.dilation = expand("dilation", o.dilation, nd);
        this.outputPadding = expand("output_padding", o.outputPadding, nd);
        this.paddingString = o.paddingString;
        this.transposed = transposed;
        this.groups = o.groups;
        this.paddingMode = o.paddingMode;
        for (int[] v : new int[][] {kernelSize, stride, dilation}) {
            for (int x : v) {
                if (x <= 0) {
                    throw new IllegalArgumentException(name + ": kernel_size, stride and dilation must be positive, "
                            + "got kernel_size=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride)
                            + ", dilation=" + Arrays.toString(dilation));
                }
            }
        }
        if ("same".equals(paddingString) && Arrays.stream(stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        }
        if (transposed && paddingMode != PadMode.ZEROS) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for " + name);
        }
        if (transposed && paddingString != null) {
            throw new IllegalArgumentException(name + ": padding='" + paddingString + "' is not supported for "
                    + "transposed convolutions; give the padding as numbers");
        }
        if (!transposed && Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            throw new IllegalArgumentException(name + " takes no output_padding (only transposed convolutions do)");
        }
        reversedPaddingRepeatedTwice = new int[2 * nd];
        for (int i = 0; i < nd; i++) {
            int left = padding[i], right = padding[i];
            if ("same".equals(paddingString)) {
                int total = dilation[i] * (kernelSize[i] - 1);
                left = total / 2;
                right = total - left;
            }
            reversedPaddingRepeatedTwice[2 * (nd - 1 - i)] = left;
            reversedPaddingRepeatedTwice[2 * (nd - 1 - i) + 1] = right;
        }
        int[] shape = new int[nd + 2];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        System.arraycopy(kernelSize, 0, shape, 2, nd);
        this.weight = registerParameter("weight", new Parameter(Torch.empty(o.dtype, shape)));
        this.bias = registerParameter("bias", o.bias ? new Parameter(Torch.empty(o.dtype, outChannels)) : null);
        resetParameters();
    }

    static int[] expand(String name, int[] v, int nd) {
        if (v.length == nd) {
            return v.clone();
        }
        if (v.length == 1) {
            int[] r = new int[nd];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(name + " must be one value or " + nd + " values, got " + Arrays.toString(v));
    }

    /** PyTorch's initialisation: kaiming_uniform_(a=sqrt(5)) for the weight, U(-1/sqrt(fan_in), ..) for the bias. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            int fanIn = Init.calculateFanInAndFanOut(weight)[0];
            if (fanIn != 0) {
                double bound = 1 / Math.sqrt(fanIn);
                Init.uniform_(bias, -bound, bound);
            }
        }
    }

    /** The input, padded by the padding mode when it is not ZEROS (the convolution then pads nothing). */
    Tensor padded(Tensor input) {
        return paddingMode == PadMode.ZEROS ? input
                : dev.jtorch.nn.functional.F.pad(input, reversedPaddingRepeatedTwice, paddingMode);
    }

    /** The convolution's own padding: 0 when the padding mode already padded the input. */
    int[] convPadding() {
        return paddingMode == PadMode.ZEROS ? padding : new int[padding.length];
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(Repr.tuple(kernelSize))
                .append(", stride=").append(Repr.tuple(stride));
        if (paddingString != null) {
            s.append(", padding=").append(paddingString);
        } else if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            s.append(", padding=").append(Repr.tuple(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            s.append(", dilation=").append(Repr.tuple(dilation));
        }
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            s.append(", output_padding=").append(Repr.tuple(outputPadding));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        if (paddingMode != PadMode.ZEROS) {
            s.append(", padding_mode=").append(paddingMode.pytorchName());
        }
        return s.toString();
    }
}
