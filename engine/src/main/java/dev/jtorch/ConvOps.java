package dev.jtorch;

import dev.jtorch.backend.Op;
import dev.jtorch.kernels.ConvGeometry;

import java.util.Arrays;

import static dev.jtorch.NnSupport.dense;
import static dev.jtorch.NnSupport.shape;

/**
 * Convolution and transposed convolution over 1 to 3 spatial dims (aten::convolution), im2col and col2im
 * (unfold and fold), with PyTorch's checks and messages and their backward rules.
 */
final class ConvOps {
    private ConvOps() {
    }

    private static void param(String name, int[] v, int nd) {
        if (v.length != nd) {
            throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of " + nd
                    + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
        }
    }

    static Tensor convolution(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                              boolean transposed, int[] outputPadding, int groups) {
        NnSupport.checkDevice(input, weight);
        NnSupport.checkDevice(input, bias);
        int k = weight.dim(), nd = k - 2;
        if (nd < 1 || nd > 3) {
            throw new IllegalArgumentException("convolution: expected a 3-, 4- or 5-dimensional weight, got "
                    + shape(weight.shape));
        }
        param("stride", stride, nd);
        param("padding", padding, nd);
        param("dilation", dilation, nd);
        param("output_padding", outputPadding, nd);
        if (groups <= 0) {
            throw new IllegalArgumentException("non-positive groups is not supported");
        }
        for (int i = 0; i < nd; i++) {
            if (stride[i] <= 0) {
                throw new IllegalArgumentException("non-positive stride is not supported");
            }
            if (padding[i] < 0) {
                throw new IllegalArgumentException("negative padding is not supported");
            }
            if (dilation[i] <= 0) {
                throw new IllegalArgumentException("non-positive dilation is not supported");
            }
            if (outputPadding[i] < 0) {
                throw new IllegalArgumentException("negative output_padding is not supported");
            }
        }
        if (input.dim() != k) {
            throw new IllegalArgumentException("Expected " + k + "-dimensional input for " + k + "-dimensional weight "
                    + shape(weight.shape) + ", but got " + input.dim() + "-dimensional input of size "
                    + shape(input.shape) + " instead");
        }
        NnSupport.sameDtype(input, weight);
        NnSupport.sameDtype(input, bias);
        NnSupport.requireFloating("convolution", input);
        int[] kernel = Arrays.copyOfRange(weight.shape, 2, k);
        int[] in = Arrays.copyOfRange(input.shape, 2, k);
        int outChannels = transposed ? weight.shape[1] * groups : weight.shape[0];
        if (!transposed) {
            if (weight.shape[0] % groups != 0) {
                throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by "
                        + groups + " at dimension 0, but got weight of size " + shape(weight.shape) + " instead");
            }
            if (input.shape[1] != weight.shape[1] * groups) {
                throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + shape(weight.shape)
                        + ", expected input" + shape(input.shape) + " to have " + weight.shape[1] * groups
                        + " channels, but got " + input.shape[1] + " channels instead");
            }
        } else if (input.shape[1] != weight.shape[0]) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + shape(weight.shape)
                    + ", expected input" + shape(input.shape) + " to have " + weight.shape[0]
                    + " channels, but got " + input.shape[1] + " channels instead");
        }
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != outChannels)) {
            throw new IllegalArgumentException("Given " + (transposed ? "transposed=1, " : "") + "weight of size "
                    + shape(weight.shape) + ", expected bias to be 1-dimensional with " + outChannels
                    + " elements, but got bias of size " + shape(bias.shape) + " instead");
        }
        int[] out = new int[nd];
        if (!transposed) {
            int[] padded = new int[nd];
            int[] ext = new int[nd];
            boolean tooBig = false;
            for (int i = 0; i < nd; i++) {
                padded[i] = in[i] + 2 * padding[i];
                ext[i] = dilation[i] * (kernel[i] - 1) + 1;
                tooBig |= ext[i] > padded[i];
                out[i] = (padded[i] - ext[i]) / stride[i] + 1;
            }
            if (tooBig) {
                throw new IllegalArgumentException("Calculated padded input size per channel: ("
                        + NnSupport.joinX(padded, " x ") + "). Kernel size: (" + NnSupport.joinX(ext, " x ")
                        + "). Kernel size can't be greater than actual input size");
            }
        } else {
            for (int i = 0; i < nd; i++) {
                if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                    throw new IllegalArgumentException(outputPaddingMessage(outputPadding, stride, dilation));
                }
                out[i] = (in[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1;
            }
            if (Arrays.stream(out).anyMatch(o -> o <= 0)) {
                throw new IllegalArgumentException("Given input size per channel: (" + NnSupport.joinX(in, " x ")
                        + "). Calculated output size per channel: (" + NnSupport.joinX(out, " x ")
                        + "). Output size is too small");
            }
        }
        if (NnSupport.half(input.dtype)) {
            DType f = DType.FLOAT32;
            return convolution(input.to(f), weight.to(f), bias == null ? null : bias.to(f), stride, padding, dilation,
                    transposed, outputPadding, groups).to(input.dtype);
        }
        int[] outShape = new int[k];
        outShape[0] = input.shape[0];
        outShape[1] = outChannels;
        System.arraycopy(out, 0, outShape, 2, nd);
        return transposed ? transposed(input, weight, bias, stride, padding, dilation, outputPadding, groups, out,
                outShape) : forward(input, weight, bias, stride, padding, dilation, groups, in, outShape);
    }

    private static String outputPaddingMessage(int[] op, int[] s, int[] d) {
        String[] names = op.length == 1 ? new String[] {"width"} : op.length == 2
                ? new String[] {"height", "width"} : new String[] {"depth", "height", "width"};
        StringBuilder b = new StringBuilder("output padding must be smaller than either stride or dilation, but got");
        for (String[] part : new String[][] {{"output_padding_"}, {"stride_"}, {"dilation_"}}) {
            int[] v = part[0].startsWith("o") ? op : part[0].startsWith("s") ? s : d;
            for (int i = 0; i < names.length; i++) {
                b.append(' ').append(part[0]).append(names[i]).append(": ").append(v[i]);
            }
        }
        return b.toString();
    }

    private static Tensor forward(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                  int[] dilation, int groups, int[] in, int[] outShape) {
        Tensor out = NnSupport.empty(input, input.dtype, outShape);
        boolean empty = input.numel() == 0 || out.numel() == 0;
        ConvGeometry g = empty ? null : ConvGeometry.of(input.shape[0], input.shape[1], outShape[1], groups, in,
                Arrays.copyOfRange(weight.shape, 2, weight.dim()), stride, padding, dilation);
        Tensor x = dense(input);
        Tensor w = dense(weight);
        if (!empty) {
            Dispatch.conv(Op.CONV, x, w, dense(bias), out, g);
        } else if (bias != null && out.numel() > 0) {
            addBias(out, bias);
        }
        boolean nx = input.requiresGrad(), nw = weight.requiresGrad(), nb = bias != null && bias.requiresGrad();
        int[] xShape = input.shape;
        int[] wShape = weight.shape;
        return FnNode.record("ConvolutionBackward0", out, new Tensor[] {input, weight, bias}, (gr, s) -> {
            Tensor dy = dense(gr);
            Tensor dx = null, dw = null;
            if (nx) {
                dx = NnSupport.empty(dy, dy.dtype, xShape);
                if (!empty) {
                    Dispatch.conv(Op.CONV_BACKWARD_INPUT, dy, dense(s[1]), null, dx, g);
                }
            }
            if (nw) {
                dw = NnSupport.empty(dy, dy.dtype, wShape);
                if (!empty) {
                    Dispatch.conv(Op.CONV_BACKWARD_WEIGHT, dense(s[0]), dy, null, dw, g);
                }
            }
            return new Tensor[] {dx, dw, nb ? gr.sum(NnSupport.allButChannel(gr.dim()), false) : null};
        }, nw ? x : null, nx ? w : null);
    }

    /** out += bias along dim 1, in place, outside autograd. */
    private static void addBias(Tensor out, Tensor bias) {
        int[] st = new int[out.dim()];
        st[1] = bias.stride[0];
        Dispatch.binary(Op.ADD, out, new Tensor(bias.storage, out.shape, st, bias.offset), out, 1);
    }

    private static Tensor transposed(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                     int[] dilation, int[] outputPadding, int groups, int[] out, int[] outShape) {
        int nd = out.length;
        int[] kernel = Arrays.copyOfRange(weight.shape, 2, weight.dim());
        // the transposed convolution is the input gradient of the convolution from `out` back to the input;
        // that convolution's output is the input itself, or (output_padding >= stride, allowed when it is
        // below the dilation) longer, and then the input is zero-extended to it
        int[] convOut = new int[nd];
        boolean grows = false;
        for (int i = 0; i < nd; i++) {
            convOut[i] = (out[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i] + 1;
            grows |= convOut[i] != input.shape[2 + i];
        }
        boolean grow = grows;
        boolean empty = input.numel() == 0 || Shapes.numel(outShape) == 0;
        ConvGeometry g = empty ? null : ConvGeometry.of(input.shape[0], outShape[1], input.shape[1], groups, out,
                kernel, stride, padding, dilation);
        Tensor x = dense(input);
        if (grow && !empty) {
            int[] big = Arrays.copyOf(input.shape, input.dim());
            System.arraycopy(convOut, 0, big, 2, nd);
            Tensor z = NnSupport.empty(input, input.dtype, big);
            Tensor view = z;
            for (int i = 0; i < nd; i++) {
                view = NnSupport.narrow(view, 2 + i, input.shape[2 + i]);
            }
            Dispatch.copy(x, view);
            x = z;
        }
        Tensor w = dense(weight);
        Tensor res = NnSupport.empty(input, input.dtype, outShape);
        if (!empty) {
            Dispatch.conv(Op.CONV_BACKWARD_INPUT, x, w, null, res, g);
        }
        if (bias != null && res.numel() > 0) {
            addBias(res, bias);
        }
        boolean nx = input.requiresGrad(), nw = weight.requiresGrad(), nb = bias != null && bias.requiresGrad();
        int[] xShape = input.shape;
        int[] bigShape = x.shape;
        int[] wShape = weight.shape;
        return FnNode.record("ConvolutionBackward0", res, new Tensor[] {input, weight, bias}, (gr, s) -> {
            Tensor dy = dense(gr);
            Tensor dx = null, dw = null;
            if (nx) {
                dx = NnSupport.empty(dy, dy.dtype, bigShape);
                if (!empty) {
                    Dispatch.conv(Op.CONV, dy, dense(s[1]), null, dx, g);
                }
                if (grow) {
                    Tensor v = dx;
                    for (int i = 0; i < nd; i++) {
                        v = NnSupport.narrow(v, 2 + i, xShape[2 + i]);
                    }
                    dx = dense(v);
                }
            }
            if (nw) {
                dw = NnSupport.empty(dy, dy.dtype, wShape);
                if (!empty) {
                    Dispatch.conv(Op.CONV_BACKWARD_WEIGHT, dy, dense(s[0]), null, dw, g);
                }
            }
            return new Tensor[] {dx, dw, nb ? gr.sum(NnSupport.allButChannel(gr.dim()), false) : null};
        }, nw ? x : null, nx ? w : null);
    }

    // ------------------------------------------------------------------------------------------ unfold / fold

    private static void positive(String what, int[] v, String[] names) {
        for (int x : v) {
            if (x <= 0) {
                StringBuilder b = new StringBuilder(what + " should be greater than zero, but got");
                for (int i = 0; i < v.length; i++) {
                    b.append(' ').append(names[i]).append(": ").append(v[i]);
                }
                throw new IllegalArgumentException(b.toString());
            }
        }
    }

    private static void twoD(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (kernel.length != 2 || dilation.length != 2 || padding.length != 2 || stride.length != 2) {
            throw new IllegalArgumentException("im2col/col2im take 2 values each for kernel_size, dilation, padding "
                    + "and stride, got " + kernel.length + ", " + dilation.length + ", " + padding.length + ", "
                    + stride.length);
        }
        positive("kernel size", kernel, new String[] {"kernel_height", "kernel_width"});
        positive("stride", stride, new String[] {"stride_height", "stride_width"});
        positive("dilation", dilation, new String[] {"dilation_height", "dilation_width"});
        if (padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException("padding should be non-negative, but got pad_height: " + padding[0]
                    + " pad_width: " + padding[1]);
        }
    }

    private static int[] blocks(int[] size, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        int[] b = new int[2];
        for (int i = 0; i < 2; i++) {
            int span = size[i] + 2 * padding[i] - (dilation[i] * (kernel[i] - 1) + 1);
            b[i] = span < 0 ? 0 : span / stride[i] + 1;
        }
        return b;
    }

    static Tensor im2col(Tensor input, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        twoD(kernel, dilation, padding, stride);
        boolean batched = input.dim() == 4;
        if (!(input.dim() == 3 || batched) || input.shape[input.dim() - 1] == 0 || input.shape[input.dim() - 2] == 0
                || input.shape[input.dim() - 3] == 0) {
            throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                    + "other non-zero dimensions for input, but got: " + shape(input.shape));
        }
        NnSupport.requireFloating("im2col", input);
        Tensor x4 = batched ? input : input.unsqueeze(0);
        int[] hw = {x4.shape[2], x4.shape[3]};
        int[] b = blocks(hw, kernel, dilation, padding, stride);
        if (b[0] < 1 || b[1] < 1) {
            throw new IllegalArgumentException("Given input with spatial size " + NnSupport.tuple(hw) + ", kernel_size="
                    + NnSupport.tuple(kernel) + ", dilation=" + NnSupport.tuple(dilation) + ", padding="
                    + NnSupport.tuple(padding) + ", calculated shape of the array of sliding blocks as "
                    + NnSupport.tuple(b) + ", but its components must be at least one.");
        }
        if (NnSupport.half(input.dtype)) {
            return im2col(input.to(DType.FLOAT32), kernel, dilation, padding, stride).to(input.dtype);
        }
        int n = x4.shape[0], c = x4.shape[1];
        Tensor out = NnSupport.empty(input, input.dtype, n, c * kernel[0] * kernel[1], b[0] * b[1]);
        ConvGeometry g = n == 0 ? null : ConvGeometry.of(n, c, 1, 1, hw, kernel, stride, padding, dilation);
        if (g != null) {
            Dispatch.conv(Op.IM2COL, dense(x4), null, null, out, g);
        }
        Tensor r = FnNode.record1("Im2ColBackward0", out, x4, (gr, s) -> {
            Tensor dx = NnSupport.empty(gr, gr.dtype, n, c, hw[0], hw[1]);
            if (g != null) {
                Dispatch.conv(Op.COL2IM, dense(gr), null, null, dx, g);
            }
            return new Tensor[] {dx};
        });
        return batched ? r : r.squeeze(0);
    }

    static Tensor col2im(Tensor input, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        twoD(kernel, dilation, padding, stride);
        if (outputSize.length != 2) {
            throw new IllegalArgumentException("col2im: output_size must have 2 values, got "
                    + Arrays.toString(outputSize));
        }
        boolean batched = input.dim() == 3;
        if (!(input.dim() == 2 || batched) || input.shape[input.dim() - 1] == 0 || input.shape[input.dim() - 2] == 0) {
            throw new IllegalArgumentException("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch "
                    + "size and non-zero dimensions for input, but got: " + shape(input.shape));
        }
        NnSupport.requireFloating("col2im", input);
        Tensor x3 = batched ? input : input.unsqueeze(0);
        int kk = kernel[0] * kernel[1];
        if (x3.shape[1] % kk != 0) {
            throw new IllegalArgumentException("Expected size of input's dimension 1 to be divisible by the product of "
                    + "kernel_size, but got input.size(1)=" + x3.shape[1] + " and kernel_size="
                    + NnSupport.tuple(kernel) + ".");
        }
        int[] b = blocks(outputSize, kernel, dilation, padding, stride);
        if (x3.shape[2] != b[0] * b[1]) {
            throw new IllegalArgumentException("Given output_size=" + NnSupport.tuple(outputSize) + ", kernel_size="
                    + NnSupport.tuple(kernel) + ", dilation=" + NnSupport.tuple(dilation) + ", padding="
                    + NnSupport.tuple(padding) + ", stride=" + NnSupport.tuple(stride) + ", expected size of input's "
                    + "dimension 2 to match the calculated number of sliding blocks " + b[0] + " * " + b[1] + " = "
                    + b[0] * b[1] + ", but got input.size(2)=" + x3.shape[2] + ".");
        }
        if (b[0] < 1 || b[1] < 1) {
            throw new IllegalArgumentException("Given output_size=" + NnSupport.tuple(outputSize) + ", kernel_size="
                    + NnSupport.tuple(kernel) + ", dilation=" + NnSupport.tuple(dilation) + ", padding="
                    + NnSupport.tuple(padding) + ", stride=" + NnSupport.tuple(stride) + ", calculated shape of the "
                    + "array of sliding blocks as " + NnSupport.tuple(b) + ", which is too small (non-positive)");
        }
        if (NnSupport.half(input.dtype)) {
            return col2im(input.to(DType.FLOAT32), outputSize, kernel, dilation, padding, stride).to(input.dtype);
        }
        int n = x3.shape[0], c = x3.shape[1] / kk;
        Tensor out = NnSupport.empty(input, input.dtype, n, c, outputSize[0], outputSize[1]);
        ConvGeometry g = n == 0 ? null : ConvGeometry.of(n, c, 1, 1, outputSize, kernel, stride, padding, dilation);
        if (g != null) {
            Dispatch.conv(Op.COL2IM, dense(x3), null, null, out, g);
        }
        int[] colShape = x3.shape;
        Tensor r = FnNode.record1("Col2ImBackward0", out, x3, (gr, s) -> {
            Tensor dx = NnSupport.empty(gr, gr.dtype, colShape);
            if (g != null) {
                Dispatch.conv(Op.IM2COL, dense(gr), null, null, dx, g);
            }
            return new Tensor[] {dx};
        });
        return batched ? r : r.squeeze(0);
    }
}
