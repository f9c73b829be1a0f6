package dev.jtorch;

import dev.jtorch.backend.Op;
import dev.jtorch.kernels.PoolWindows;

import java.util.Arrays;

import static dev.jtorch.NnSupport.dense;
import static dev.jtorch.NnSupport.shape;

/**
 * Max, average, adaptive and fractional pooling over 1 to 3 spatial dims, and max unpooling, with PyTorch's
 * output sizes, checks and messages, and their backward rules. Inputs are (N, C, *spatial) or unbatched
 * (C, *spatial); every channel plane is pooled alike.
 */
final class PoolOps {
    private PoolOps() {
    }

    private static final String[] DIM_NAMES = {"T", "H", "W"};

    /** The (possibly batched) input's leading dims and planes; checks the rank. */
    private record Planes(int lead, int planes, int channels, int[] in) {
    }

    private static Planes planes(Tensor input, int nd, String rankMessage) {
        int d = input.dim();
        if (d != nd + 1 && d != nd + 2) {
            throw new IllegalArgumentException(rankMessage);
        }
        int lead = d - nd;
        int planes = 1;
        for (int i = 0; i < lead; i++) {
            planes *= input.shape[i];
        }
        int[] in = Arrays.copyOfRange(input.shape, lead, d);
        for (int s : in) {
            if (s == 0) {
                throw new IllegalArgumentException(rankMessage);
            }
        }
        return new Planes(lead, planes, input.shape[lead - 1], in);
    }

    private static String rankMessage(String op, int nd, Tensor input) {
        if (nd == 1) {
            return op.startsWith("max")
                    ? "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but "
                    + "got:" + shape(input.shape)
                    : "Expected 2 to 3 dimensions, but got " + input.dim() + "-dimensional tensor for argument #1 'self' "
                    + "(while checking arguments for " + op + ")";
        }
        return "non-empty " + (nd + 1) + "D or " + (nd + 2) + "D (batch mode) tensor expected for input";
    }

    private static int[] outShape(Tensor input, int lead, int[] out) {
        int[] s = Arrays.copyOf(input.shape, lead + out.length);
        System.arraycopy(out, 0, s, lead, out.length);
        return s;
    }

    /** PyTorch's pooling_output_shape. */
    static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        long num = (long) in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        long out = Math.floorDiv(num, stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return (int) out;
    }

    /** Kernel, stride, padding and dilation checks with PyTorch's messages; returns the output sizes. */
    private static int[] regularShape(String op, int nd, Planes p, int[] kernel, int[] stride, int[] padding,
                                      int[] dilation, boolean ceil) {
        for (int[] a : new int[][] {kernel, stride, padding, dilation}) {
            if (a.length != nd) {
                throw new IllegalArgumentException(op + ": kernel_size, stride, padding and dilation must have " + nd
                        + " values each, got " + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", "
                        + Arrays.toString(padding) + ", " + Arrays.toString(dilation));
            }
        }
        boolean one = nd == 1 && op.startsWith("max");
        for (int i = 0; i < nd; i++) {
            if (kernel[i] <= 0) {
                if (one) {
                    throw new IllegalArgumentException("max_pool1d() kernel_size must be greater than zero, but got "
                            + kernel[i]);
                }
                StringBuilder b = new StringBuilder("kernel size should be greater than zero, but got");
                for (int j = 0; j < nd; j++) {
                    b.append(" k").append(DIM_NAMES[3 - nd + j]).append(": ").append(kernel[j]);
                }
                throw new IllegalArgumentException(b.toString());
            }
        }
        for (int i = 0; i < nd; i++) {
            if (stride[i] <= 0) {
                throw new IllegalArgumentException(one ? "max_pool1d() stride must be greater than zero, but got "
                        + stride[i] : "stride should not be zero");
            }
            if (dilation[i] <= 0) {
                throw new IllegalArgumentException(one ? "max_pool1d() dilation must be greater than zero, but got "
                        + dilation[i] : "dilation should be greater than zero, but got dilation: " + dilation[i]);
            }
            if (padding[i] < 0) {
                throw new IllegalArgumentException(one ? "max_pool1d() padding must be non-negative, but got "
                        + padding[i] : "pad must be non-negative, but got pad: " + padding[i]);
            }
            if (padding[i] > kernel[i] / 2) {
                throw new IllegalArgumentException(one ? "max_pool1d() padding should be at most half of kernel size, "
                        + "but got padding=" + padding[i] + " and kernel_size=" + kernel[i]
                        : "pad should be at most half of kernel size, but got pad=" + padding[i] + " and kernel_size="
                        + kernel[i]);
            }
        }
        int[] out = new int[nd];
        boolean small = false;
        for (int i = 0; i < nd; i++) {
            out[i] = outputSize(p.in[i], kernel[i], padding[i], stride[i], dilation[i], ceil);
            small |= out[i] < 1;
        }
        if (small && !(one && Arrays.stream(out).allMatch(o -> o >= 0))) {
            throw new IllegalArgumentException("Given input size: (" + channels(p) + "x" + sizes(p.in, nd, op)
                    + "). Calculated output size: (" + channels(p) + "x" + sizes(out, nd, op)
                    + "). Output size is too small");
        }
        return out;
    }

    private static String channels(Planes p) {
        return String.valueOf(p.channels);
    }

    private static String sizes(int[] s, int nd, String op) {
        String j = NnSupport.joinX(s, "x");
        return nd == 1 && !op.startsWith("max") ? "1x" + j : j;
    }

    // ------------------------------------------------------------------------------------------ max

    static Tensor[] maxPool(Tensor input, int nd, int[] kernel, int[] stride, int[] padding, int[] dilation,
                            boolean ceilMode, boolean withIndices) {
        String op = "max_pool" + nd + "d";
        Planes p = planes(input, nd, rankMessage(op, nd, input));
        if (!input.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + NnSupport.scalarName(input.dtype)
                    + "'");
        }
        int[] out = regularShape(op, nd, p, kernel, stride, padding, dilation, ceilMode);
        PoolWindows w = PoolWindows.regular(p.planes, p.in, out, kernel, stride, padding, dilation);
        return max(input, nd, p, out, w, "MaxPool" + nd + "DWithIndicesBackward0", withIndices);
    }

    private static Tensor[] max(Tensor input, int nd, Planes p, int[] out, PoolWindows w, String node,
                                boolean withIndices) {
        if (NnSupport.half(input.dtype)) {
            Tensor[] r = max(input.to(DType.FLOAT32), nd, p, out, w, node, withIndices);
            r[0] = r[0].to(input.dtype);
            return r;
        }
        int[] os = outShape(input, p.lead, out);
        Tensor y = NnSupport.empty(input, input.dtype, os);
        boolean grad = input.requiresGrad() && dev.jtorch.autograd.Autograd.isGradEnabled();
        Tensor idx = withIndices || grad ? NnSupport.empty(input, DType.INT64, os) : null;
        if (y.numel() > 0) {
            Dispatch.pool(Op.MAX_POOL, dense(input), idx, y, w);
        }
        int[] xs = input.shape;
        Tensor r = FnNode.record1(node, y, input, (g, s) -> {
            Tensor dx = NnSupport.empty(g, g.dtype, xs);
            if (g.numel() > 0) {
                Dispatch.pool(Op.MAX_POOL_BACKWARD, dense(g), s[0], dx, w);
            }
            return new Tensor[] {dx};
        }, idx);
        return new Tensor[] {r, withIndices ? idx : null};
    }

    static Tensor[] adaptiveMaxPool(Tensor input, int[] outputSize, boolean withIndices) {
        int nd = outputSize.length;
        String op = "adaptive_max_pool" + nd + "d";
        String msg = nd == 1 ? "Expected 2 to 3 dimensions, but got " + input.dim() + "-dimensional tensor for "
                + "argument #1 'self' (while checking arguments for " + op + ")"
                : op + "(): Expected " + (nd + 1) + "D or " + (nd + 2) + "D tensor, but got: " + shape(input.shape);
        Planes p = planes(input, nd, msg);
        NnSupport.requireFloating(op, input);
        for (int o : outputSize) {
            if (o < 0) {
                throw new IllegalArgumentException(op + "(): output_size must be non-negative, got "
                        + Arrays.toString(outputSize));
            }
        }
        PoolWindows w = PoolWindows.adaptive(p.planes, p.in, outputSize);
        return max(input, nd, p, outputSize, w, "AdaptiveMaxPool" + nd + "DBackward0", withIndices);
    }

    /**
     * PyTorch's fractional max pooling intervals, in the input's precision (float arithmetic for float32, as
     * generate_intervals<scalar_t> computes them).
     */
    static int[] intervals(double sample, boolean single, int in, int out, int k) {
        int[] seq = new int[out];
        if (out > 1) {
            if (single) {
                float s = (float) sample;
                float alpha = (float) (in - k) / (float) (out - 1);
                for (int i = 0; i < out - 1; i++) {
                    seq[i] = (int) ((i + s) * alpha) - (int) (s * alpha);
                }
            } else {
                double alpha = (double) (in - k) / (double) (out - 1);
                for (int i = 0; i < out - 1; i++) {
                    seq[i] = (int) ((i + sample) * alpha) - (int) (sample * alpha);
                }
            }
        }
        if (out > 0) {
            seq[out - 1] = in - k;
        }
        return seq;
    }

    static Tensor[] fractionalMaxPool(Tensor input, int[] kernel, int[] outputSize, Tensor samples,
                                      boolean withIndices) {
        int nd = outputSize.length;
        String op = "fractional_max_pool" + nd + "d";
        if (nd < 2 || nd > 3 || kernel.length != nd) {
            throw new IllegalArgumentException(op + ": expected 2 or 3 values for kernel_size and output_size, got "
                    + Arrays.toString(kernel) + " and " + Arrays.toString(outputSize));
        }
        Planes p = planes(input, nd, op + "(): Expected " + (nd + 1) + "D or " + (nd + 2) + "D tensor, but got: "
                + shape(input.shape));
        NnSupport.requireFloating(op, input);
        String[] names = nd == 2 ? new String[] {"height", "width"} : new String[] {"time", "height", "width"};
        for (int i = 0; i < nd; i++) {
            if (kernel[i] <= 0 || outputSize[i] <= 0) {
                throw new IllegalArgumentException(op + "(): kernel_size and output_size must be positive, got "
                        + Arrays.toString(kernel) + " and " + Arrays.toString(outputSize));
            }
            if (outputSize[i] + kernel[i] - 1 > p.in[i]) {
                throw new IllegalArgumentException((nd == 2 ? op + "()" : op + "_out()") + ": pool " + names[i] + " "
                        + kernel[i] + " too large relative to input " + names[i] + " " + p.in[i]);
            }
        }
        int batch = p.lead == 2 ? input.shape[0] : 1;
        int ch = p.channels;
        if (samples.dim() != 3 || samples.shape[0] != batch || samples.shape[1] != ch || samples.shape[2] != nd) {
            throw new IllegalArgumentException(op + "(): expected _random_samples of shape " + shape(new int[] {batch,
                ch, nd}) + ", got " + shape(samples.shape));
        }
        if (samples.dtype != input.dtype) {
            throw new IllegalArgumentException(op + "(): expected _random_samples of dtype " + input.dtype + ", got "
                    + samples.dtype);
        }
        double[] u = samples.toDoubleArray();
        boolean single = input.dtype != DType.FLOAT64;
        int[][] starts = new int[nd][];
        for (int d = 0; d < nd; d++) {
            starts[d] = new int[p.planes * outputSize[d]];
        }
        for (int plane = 0; plane < p.planes; plane++) {
            for (int d = 0; d < nd; d++) {
                // 2-d: sample 0 is for W and 1 for H; 3-d: 0 for T, 1 for H, 2 for W
                int sample = nd == 2 ? 1 - d : d;
                int[] seq = intervals(u[plane * nd + sample], single, p.in[d], outputSize[d], kernel[d]);
                System.arraycopy(seq, 0, starts[d], plane * outputSize[d], outputSize[d]);
            }
        }
        PoolWindows w = PoolWindows.perPlane(p.planes, p.in, outputSize, kernel, starts);
        return max(input, nd, p, outputSize, w, "FractionalMaxPool" + nd + "DBackward0", withIndices);
    }

    // ------------------------------------------------------------------------------------------ average

    static Tensor avgPool(Tensor input, int nd, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                          boolean countIncludePad, Integer divisorOverride) {
        String op = "avg_pool" + nd + "d";
        Planes p = planes(input, nd, rankMessage(op, nd, input));
        NnSupport.requireFloating(op, input);
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException("divisor must be not zero");
        }
        int[] dil = new int[nd];
        Arrays.fill(dil, 1);
        int[] out = regularShape(op, nd, p, kernel, stride, padding, dil, ceilMode);
        PoolWindows w = PoolWindows.regular(p.planes, p.in, out, kernel, stride, padding, dil);
        w = divisorOverride != null ? w.withDivisorOverride(divisorOverride) : w.withDivisors(countIncludePad, padding);
        return avg(input, p, out, w, "AvgPool" + nd + "DBackward0");
    }

    private static Tensor avg(Tensor input, Planes p, int[] out, PoolWindows w, String node) {
        if (NnSupport.half(input.dtype)) {
            return avg(input.to(DType.FLOAT32), p, out, w, node).to(input.dtype);
        }
        Tensor y = NnSupport.empty(input, input.dtype, outShape(input, p.lead, out));
        if (y.numel() > 0) {
            Dispatch.pool(Op.AVG_POOL, dense(input), null, y, w);
        }
        int[] xs = input.shape;
        return FnNode.record1(node, y, input, (g, s) -> {
            Tensor dx = NnSupport.empty(g, g.dtype, xs);
            if (g.numel() > 0) {
                Dispatch.pool(Op.AVG_POOL_BACKWARD, dense(g), null, dx, w);
            }
            return new Tensor[] {dx};
        });
    }

    static Tensor adaptiveAvgPool(Tensor input, int[] outputSize) {
        int nd = outputSize.length;
        String op = "adaptive_avg_pool" + nd + "d";
        String msg = nd == 1 ? "Expected 2 to 3 dimensions, but got " + input.dim() + "-dimensional tensor for "
                + "argument #1 'self' (while checking arguments for " + op + ")"
                : op + "(): Expected " + (nd + 1) + "D or " + (nd + 2) + "D tensor, but got " + shape(input.shape);
        Planes p = planes(input, nd, msg);
        NnSupport.requireFloating(op, input);
        for (int o : outputSize) {
            if (o < 0) {
                throw new IllegalArgumentException(op + "(): output_size must be non-negative, got "
                        + Arrays.toString(outputSize));
            }
        }
        PoolWindows w = PoolWindows.adaptive(p.planes, p.in, outputSize).withDivisors(true, new int[nd]);
        return avg(input, p, outputSize, w, "AdaptiveAvgPool" + nd + "DBackward0");
    }

    // ------------------------------------------------------------------------------------------ unpool

    static Tensor maxUnpool(Tensor input, Tensor indices, int[] outputSize) {
        int nd = outputSize.length;
        if (input.dim() != nd + 1 && input.dim() != nd + 2) {
            throw new IllegalArgumentException("Input to max_unpooling" + nd + "d should be a " + (nd + 1) + "d or "
                    + (nd + 2) + "d Tensor, but got a tensor with " + input.dim() + " dimensions.");
        }
        if (indices.dtype != DType.INT64) {
            throw new IllegalArgumentException("elements in indices should be type int64 but got: "
                    + NnSupport.scalarName(indices.dtype));
        }
        if (!Arrays.equals(input.shape, indices.shape)) {
            throw new IllegalArgumentException("Expected shape of indices to be same as that of the input tensor ("
                    + shape(input.shape) + ") but got indices tensor with shape: " + shape(indices.shape));
        }
        NnSupport.checkDevice(input, indices);
        int lead = input.dim() - nd;
        int planes = Shapes.numel(Arrays.copyOf(input.shape, lead));
        int outSpatial = Shapes.numel(outputSize);
        long[] v = indices.numel() == 0 || IndexOps.inRangeOnDevice(indices, outSpatial) ? new long[0]
                : indices.toLongArray();
        for (long x : v) {
            if (x < 0 || x >= outSpatial) {
                throw new IllegalArgumentException("Found an invalid max index: " + x + " (output volumes are of size "
                        + NnSupport.joinX(outputSize, "x") + (nd == 1 ? "x1" : ""));
            }
        }
        int[] os = outShape(input, lead, outputSize);
        int per = Shapes.numel(Arrays.copyOfRange(input.shape, lead, input.dim()));
        Tensor idx = dense(indices).reshape(planes, per);
        Tensor out = NnSupport.empty(input, input.dtype, planes, outSpatial);
        if (out.numel() > 0 && per > 0) {
            // each value is written (not added) at its index, as PyTorch's max_unpool does
            Dispatch.index(Op.SCATTER, out, 1, idx, dense(input).reshape(planes, per), out);
        }
        int[] xs = input.shape;
        return FnNode.record1("MaxUnpool" + nd + "DBackward0", out.view(os), input,
                (g, s) -> new Tensor[] {g.reshape(planes, outSpatial).gather(1, idx).view(xs)});
    }
}
