package dev.jtorch.kernels;

/**
 * The shape of a grouped, strided, dilated, zero-padded convolution over up to three spatial dimensions
 * (D, H, W), as the {@link Conv} kernels see it. A 1-d convolution has {@code inD = inH = 1} and
 * {@code kD = kH = 1}; a 2-d one has {@code inD = kD = 1}. Other padding modes are applied by the caller
 * before the kernel (as PyTorch does).
 *
 * <p>Layouts (row-major, contiguous): input {@code [batch, inChannels, inD, inH, inW]}, weight
 * {@code [outChannels, inChannels / groups, kD, kH, kW]}, output {@code [batch, outChannels, outD, outH, outW]}
 * with {@code out = (in + 2 * pad - dilation * (k - 1) - 1) / stride + 1} per dimension.
 *
 * <p>Example: {@code ConvGeometry.of(1, 64, 64, 1, new int[] {56, 56}, new int[] {3, 3}, new int[] {1, 1},
 * new int[] {1, 1}, new int[] {1, 1})} is a 3x3 "same" convolution of a 64-channel 56x56 image.
 *
 * <p>The constructor throws {@link IllegalArgumentException} for a non-positive size, kernel, stride or dilation, a
 * negative padding, channels not divisible by groups, or an empty output.
 */
public record ConvGeometry(int batch, int inChannels, int outChannels, int groups,
                           int inD, int inH, int inW, int kD, int kH, int kW,
                           int sD, int sH, int sW, int pD, int pH, int pW, int dD, int dH, int dW) {
    /** Validates every field. */
    public ConvGeometry {
        Checks.nonNegative("batch", batch);
        positive("inChannels", inChannels);
        positive("outChannels", outChannels);
        positive("groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("inChannels (" + inChannels + ") and outChannels (" + outChannels
                    + ") must be divisible by groups (" + groups + ")");
        }
        int[] v = {inD, inH, inW, kD, kH, kW, sD, sH, sW, dD, dH, dW};
        String[] n = {"inD", "inH", "inW", "kD", "kH", "kW", "sD", "sH", "sW", "dD", "dH", "dW"};
        for (int i = 0; i < v.length; i++) {
            positive(n[i], v[i]);
        }
        Checks.nonNegative("pD", pD);
        Checks.nonNegative("pH", pH);
        Checks.nonNegative("pW", pW);
        if (outSize(inD, kD, sD, pD, dD) < 1 || outSize(inH, kH, sH, pH, dH) < 1 || outSize(inW, kW, sW, pW, dW) < 1) {
            throw new IllegalArgumentException("the dilated kernel (" + ext(kD, dD) + "x" + ext(kH, dH) + "x"
                    + ext(kW, dW) + ") is larger than the padded input (" + (inD + 2 * pD) + "x" + (inH + 2 * pH)
                    + "x" + (inW + 2 * pW) + ")");
        }
        long in = (long) batch * inChannels * inD * inH * inW;
        long out = (long) batch * outChannels * outSize(inD, kD, sD, pD, dD) * outSize(inH, kH, sH, pH, dH)
                * outSize(inW, kW, sW, pW, dW);
        long cols = (long) (inChannels / groups) * kD * kH * kW * outSize(inD, kD, sD, pD, dD)
                * outSize(inH, kH, sH, pH, dH) * outSize(inW, kW, sW, pW, dW);
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("convolution too large for int indexing: input " + in + ", output "
                    + out + ", column buffer " + cols + " elements");
        }
    }

    /**
     * A geometry from per-dimension arrays of one, two or three entries (W; H, W; or D, H, W), all of the
     * same length.
     */
    public static ConvGeometry of(int batch, int inChannels, int outChannels, int groups, int[] in, int[] kernel,
                                  int[] stride, int[] padding, int[] dilation) {
        int nd = in.length;
        if (nd < 1 || nd > 3 || kernel.length != nd || stride.length != nd || padding.length != nd
                || dilation.length != nd) {
            throw new IllegalArgumentException("in, kernel, stride, padding and dilation must all have 1 to 3 "
                    + "entries, got " + in.length + ", " + kernel.length + ", " + stride.length + ", "
                    + padding.length + ", " + dilation.length);
        }
        int[] i3 = pad3(in, 1);
        int[] k3 = pad3(kernel, 1);
        int[] s3 = pad3(stride, 1);
        int[] p3 = pad3(padding, 0);
        int[] d3 = pad3(dilation, 1);
        return new ConvGeometry(batch, inChannels, outChannels, groups, i3[0], i3[1], i3[2], k3[0], k3[1], k3[2],
                s3[0], s3[1], s3[2], p3[0], p3[1], p3[2], d3[0], d3[1], d3[2]);
    }

    private static int[] pad3(int[] a, int fill) {
        int[] r = {fill, fill, fill};
        System.arraycopy(a, 0, r, 3 - a.length, a.length);
        return r;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 but was " + v);
        }
    }

    private static int ext(int k, int d) {
        return d * (k - 1) + 1;
    }

    static int outSize(int in, int k, int s, int p, int d) {
        int span = in + 2 * p - ext(k, d);
        return span < 0 ? 0 : span / s + 1;
    }

    /** Output depth. */
    public int outD() {
        return outSize(inD, kD, sD, pD, dD);
    }

    /** Output height. */
    public int outH() {
        return outSize(inH, kH, sH, pH, dH);
    }

    /** Output width. */
    public int outW() {
        return outSize(inW, kW, sW, pW, dW);
    }

    /** Elements of one input channel plane. */
    public int inSpatial() {
        return inD * inH * inW;
    }

    /** Elements of one output channel plane. */
    public int outSpatial() {
        return outD() * outH() * outW();
    }

    /** Taps of the kernel, kD * kH * kW. */
    public int kernelVolume() {
        return kD * kH * kW;
    }

    /** Input channels per group. */
    public int inPerGroup() {
        return inChannels / groups;
    }

    /** Output channels per group. */
    public int outPerGroup() {
        return outChannels / groups;
    }

    /** This geometry with another batch size. */
    public ConvGeometry withBatch(int b) {
        return new ConvGeometry(b, inChannels, outChannels, groups, inD, inH, inW, kD, kH, kW, sD, sH, sW, pD, pH, pW,
                dD, dH, dW);
    }

    /** Elements of the input, batch * inChannels * inSpatial. */
    public int inputSize() {
        return batch * inChannels * inSpatial();
    }

    /** Elements of the output. */
    public int outputSize() {
        return batch * outChannels * outSpatial();
    }

    /** Elements of the weight. */
    public int weightSize() {
        return outChannels * inPerGroup() * kernelVolume();
    }

    /** A 1x1 kernel, stride 1 and no padding: the input plane is the column matrix. */
    public boolean pointwise() {
        return kD == 1 && kH == 1 && kW == 1 && sD == 1 && sH == 1 && sW == 1 && pD == 0 && pH == 0 && pW == 0;
    }

    /** One input channel per group (depthwise, possibly with a channel multiplier). */
    public boolean depthwise() {
        return inPerGroup() == 1;
    }

    /** Multiply-adds of the forward pass. */
    public long macs() {
        return (long) batch * outChannels * outSpatial() * inPerGroup() * kernelVolume();
    }
}
