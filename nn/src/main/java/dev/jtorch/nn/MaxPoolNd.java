package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * What the max pooling layers share (PyTorch's {@code _MaxPoolNd}): the arguments as given, the repr, and
 * the call with or without the indices of the maxima.
 */
public abstract class MaxPoolNd extends Module {
    private final int nd;
    /** Window size as given. */
    public final int[] kernelSize;
    /** Stride as given (the kernel size by default). */
    public final int[] stride;
    /** Padding as given. */
    public final int[] padding;
    /** Dilation as given. */
    public final int[] dilation;
    /** Whether PyTorch would return (output, indices). */
    public final boolean returnIndices;
    /** Round output sizes up. */
    public final boolean ceilMode;

    MaxPoolNd(int nd, MaxPoolOptions o) {
        this.nd = nd;
        this.kernelSize = o.kernelSize.clone();
        this.stride = o.stride == null ? o.kernelSize.clone() : o.stride.clone();
        this.padding = o.padding.clone();
        this.dilation = o.dilation.clone();
        this.returnIndices = o.returnIndices;
        this.ceilMode = o.ceilMode;
        for (int[] v : new int[][] {kernelSize, stride, padding, dilation}) {
            PoolArgs.expand("pooling argument", v, nd);
        }
    }

    private int[] x(int[] v) {
        return PoolArgs.expand("pooling argument", v, nd);
    }

    /** The pooled values (call {@link #forwardWithIndices} for the positions of the maxima too). */
    @Override
    public Tensor forward(Tensor input) {
        return forwardWithIndices(input, false).output();
    }

    /** The pooled values and the position of each maximum in its input plane. */
    public Pooled forwardWithIndices(Tensor input) {
        return forwardWithIndices(input, true);
    }

    private Pooled forwardWithIndices(Tensor input, boolean indices) {
        Tensor[] r = switch (nd) {
            case 1 -> indices
                    ? F.maxPool1dWithIndices(input, x(kernelSize), x(stride), x(padding), x(dilation), ceilMode)
                    : new Tensor[] {F.maxPool1d(input, x(kernelSize), x(stride), x(padding), x(dilation), ceilMode)};
            case 2 -> indices
                    ? F.maxPool2dWithIndices(input, x(kernelSize), x(stride), x(padding), x(dilation), ceilMode)
                    : new Tensor[] {F.maxPool2d(input, x(kernelSize), x(stride), x(padding), x(dilation), ceilMode)};
            default -> indices ? F.maxPool3dWithIndices(input, x(kernelSize), x(stride), x(padding), x(dilation),
                    ceilMode) : new Tensor[] {F.maxPool3d(input, x(kernelSize), x(stride), x(padding), x(dilation),
                    ceilMode)};
        };
        return new Pooled(r[0], indices ? r[1] : null);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + PoolArgs.asGiven(kernelSize) + ", stride=" + PoolArgs.asGiven(stride) + ", padding="
                + PoolArgs.asGiven(padding) + ", dilation=" + PoolArgs.asGiven(dilation) + ", ceil_mode="
                + (ceilMode ? "True" : "False");
    }
}
