package dev.jtorch.kernels;

/**
 * Where every output of a pooling op looks, per spatial dimension (D, H, W): output {@code o} covers the
 * taps {@code start[o] + j * dilation} for {@code j < count[o]}, and taps outside {@code [0, in)} are
 * skipped (they are the padding). The tables are shared by all planes (channels of all images), or, for
 * fractional max pooling, one start table per plane.
 *
 * <p>Average pooling divides the sum of the taps inside the input by the product of one factor per
 * dimension ({@link #withDivisors}) or by a fixed divisor ({@link #withDivisorOverride}).
 *
 * <p>Factories give PyTorch's windows: {@link #regular} (kernel, stride, padding, dilation; the caller gives
 * the output size, which ceil_mode decides), {@link #adaptive} (floor(o * in / out) to ceil((o + 1) * in /
 * out)) and {@link #perPlane} (given start tables and a fixed kernel). One and two dimensional pools put 1
 * in the leading sizes.
 *
 * <p>Example: {@code PoolWindows.regular(64, new int[] {56, 56}, new int[] {28, 28}, new int[] {3, 3},
 * new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1})}.
 */
public final class PoolWindows {
    final int planes;
    final int[] in;
    final int[] out;
    final int[] dilation;
    /** Per dimension: out[d] entries, or planes * out[d] when perPlane. */
    final int[][] start;
    /** Per dimension: out[d] entries. */
    final int[][] count;
    final boolean perPlane;
    /** Per dimension divisor factors (average pooling), or null. */
    final double[][] divisor;
    /** A divisor for every output (divisor_override), or 0. */
    final double divisorOverride;

    private PoolWindows(int planes, int[] in, int[] out, int[] dilation, int[][] start, int[][] count,
                        boolean perPlane, double[][] divisor, double divisorOverride) {
        this.planes = planes;
        this.in = in;
        this.out = out;
        this.dilation = dilation;
        this.start = start;
        this.count = count;
        this.perPlane = perPlane;
        this.divisor = divisor;
        this.divisorOverride = divisorOverride;
        long ins = (long) planes * in[0] * in[1] * in[2];
        long outs = (long) planes * out[0] * out[1] * out[2];
        if (ins > Integer.MAX_VALUE || outs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pooling too large for int indexing: " + ins + " inputs, " + outs
                    + " outputs");
        }
    }

    private static int[] pad3(int[] a, int fill, String name) {
        if (a.length < 1 || a.length > 3) {
            throw new IllegalArgumentException(name + " must have 1 to 3 entries, got " + a.length);
        }
        int[] r = {fill, fill, fill};
        System.arraycopy(a, 0, r, 3 - a.length, a.length);
        return r;
    }

    private static void positive(String name, int[] a) {
        for (int v : a) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " entries must be >= 1, got " + java.util.Arrays.toString(a));
            }
        }
    }

    /**
     * Windows {@code o * stride - padding + j * dilation}, {@code j < kernel}, for the given output sizes.
     */
    public static PoolWindows regular(int planes, int[] in, int[] out, int[] kernel, int[] stride, int[] padding,
                                      int[] dilation) {
        Checks.nonNegative("planes", planes);
        int[] i3 = pad3(in, 1, "in"), o3 = pad3(out, 1, "out"), k3 = pad3(kernel, 1, "kernel");
        int[] s3 = pad3(stride, 1, "stride"), p3 = pad3(padding, 0, "padding"), d3 = pad3(dilation, 1, "dilation");
        positive("kernel", k3);
        positive("stride", s3);
        positive("dilation", d3);
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int d = 0; d < 3; d++) {
            Checks.nonNegative("out", o3[d]);
            Checks.nonNegative("in", i3[d]);
            st[d] = new int[o3[d]];
            ct[d] = new int[o3[d]];
            for (int o = 0; o < o3[d]; o++) {
                st[d][o] = o * s3[d] - p3[d];
                ct[d][o] = k3[d];
            }
        }
        return new PoolWindows(planes, i3, o3, d3, st, ct, false, null, 0);
    }

    /** PyTorch's adaptive windows: [floor(o * in / out), ceil((o + 1) * in / out)). */
    public static PoolWindows adaptive(int planes, int[] in, int[] out) {
        Checks.nonNegative("planes", planes);
        int[] i3 = pad3(in, 1, "in"), o3 = pad3(out, 1, "out");
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int d = 0; d < 3; d++) {
            Checks.nonNegative("out", o3[d]);
            Checks.nonNegative("in", i3[d]);
            st[d] = new int[o3[d]];
            ct[d] = new int[o3[d]];
            for (int o = 0; o < o3[d]; o++) {
                int a = (int) ((long) o * i3[d] / o3[d]);
                int b = (int) (((long) (o + 1) * i3[d] + o3[d] - 1) / o3[d]);
                st[d][o] = a;
                ct[d][o] = b - a;
            }
        }
        return new PoolWindows(planes, i3, o3, new int[] {1, 1, 1}, st, ct, false, null, 0);
    }

    /**
     * Windows of a fixed kernel at per-plane starts: {@code starts[d]} holds {@code planes * out[d]} entries
     * (plane-major), each in {@code [0, in[d] - kernel[d]]}.
     */
    public static PoolWindows perPlane(int planes, int[] in, int[] out, int[] kernel, int[][] starts) {
        Checks.nonNegative("planes", planes);
        int[] i3 = pad3(in, 1, "in"), o3 = pad3(out, 1, "out"), k3 = pad3(kernel, 1, "kernel");
        positive("kernel", k3);
        if (starts.length != in.length) {
            throw new IllegalArgumentException("starts must have one table per dimension (" + in.length + "), got "
                    + starts.length);
        }
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int d = 0; d < 3; d++) {
            int src = d - (3 - in.length);
            ct[d] = new int[o3[d]];
            java.util.Arrays.fill(ct[d], k3[d]);
            if (src < 0) {
                st[d] = new int[planes * o3[d]];
                continue;
            }
            int[] s = starts[src];
            if (s.length != (long) planes * o3[d]) {
                throw new IllegalArgumentException("starts[" + src + "] must have planes * out = " + (long) planes * o3[d]
                        + " entries, got " + s.length);
            }
            for (int v : s) {
                if (v < 0 || v + k3[d] > i3[d]) {
                    throw new IllegalArgumentException("a window start of " + v + " with kernel " + k3[d]
                            + " does not fit in an input of " + i3[d]);
                }
            }
            st[d] = s.clone();
        }
        return new PoolWindows(planes, i3, o3, new int[] {1, 1, 1}, st, ct, true, null, 0);
    }

    /**
     * These windows with average divisors: per dimension and output, {@code countIncludePad ? min(start +
     * kernel, in + padding) - start : the taps inside the input} (PyTorch's avg_pool), multiplied together.
     */
    public PoolWindows withDivisors(boolean countIncludePad, int[] padding) {
        int[] p3 = pad3(padding, 0, "padding");
        double[][] div = new double[3][];
        for (int d = 0; d < 3; d++) {
            div[d] = new double[out[d]];
            for (int o = 0; o < out[d]; o++) {
                int s = start[d][o];
                int e = s + (count[d][o] - 1) * dilation[d] + 1;
                div[d][o] = countIncludePad ? Math.min(e, in[d] + p3[d]) - s : Math.min(e, in[d]) - Math.max(s, 0);
            }
        }
        return new PoolWindows(planes, in, out, dilation, start, count, perPlane, div, 0);
    }

    /** These windows with one divisor for every output (avg_pool's divisor_override). */
    public PoolWindows withDivisorOverride(double divisor) {
        if (!(divisor != 0)) {
            throw new IllegalArgumentException("divisor must be non-zero, got " + divisor);
        }
        return new PoolWindows(planes, in, out, dilation, start, count, perPlane, null, divisor);
    }

    /** Elements of the input, planes * inD * inH * inW. */
    public int inputSize() {
        return planes * in[0] * in[1] * in[2];
    }

    /** Elements of the output. */
    public int outputSize() {
        return planes * out[0] * out[1] * out[2];
    }

    // ---- the tables, for backends that run the windows on their own kernels (copies: the windows stay immutable)

    /** The number of planes (batch times channels). */
    public int planes() {
        return planes;
    }

    /** The input's sizes along D, H, W (1 in the leading entries of one- and two-dimensional pools). */
    public int[] in() {
        return in.clone();
    }

    /** The output's sizes along D, H, W. */
    public int[] out() {
        return out.clone();
    }

    /** The dilation along D, H, W. */
    public int[] dilation() {
        return dilation.clone();
    }

    /** Whether the starts differ per plane (fractional max pooling): {@link #starts} then has planes * out[d]. */
    public boolean perPlane() {
        return perPlane;
    }

    /**
     * The first tap of each output along dimension d (0 = D, 1 = H, 2 = W), which may lie in the padding (below 0):
     * out[d] entries, or planes * out[d] (plane-major) when {@link #perPlane}.
     */
    public int[] starts(int d) {
        return start[d].clone();
    }

    /** The number of taps of each output along dimension d (dilation apart), out[d] entries. */
    public int[] counts(int d) {
        return count[d].clone();
    }

    /**
     * The average's divisor factors of each output along dimension d (the divisor of output (od, oh, ow) is their
     * product), or null when the windows have none (max pooling, or a {@link #divisorOverride}).
     */
    public double[] divisors(int d) {
        return divisor == null ? null : divisor[d].clone();
    }

    /** divisor_override's divisor for every output, or 0 when there is none. */
    public double divisorOverride() {
        return divisorOverride;
    }

    int inSpatial() {
        return in[0] * in[1] * in[2];
    }

    int outSpatial() {
        return out[0] * out[1] * out[2];
    }

    /** The start of output o along dimension d for a plane. */
    int start(int d, int plane, int o) {
        return perPlane ? start[d][plane * out[d] + o] : start[d][o];
    }

    /** The divisor of output (od, oh, ow). */
    double divisor(int od, int oh, int ow) {
        return divisor == null ? divisorOverride : divisor[0][od] * divisor[1][oh] * divisor[2][ow];
    }
}
