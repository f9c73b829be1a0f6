package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.BatchNormBase;
import dev.jtorch.nn.Conv1d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Conv3d;
import dev.jtorch.nn.ConvNd;
import dev.jtorch.nn.ConvOptions;
import dev.jtorch.nn.ConvTranspose1d;
import dev.jtorch.nn.ConvTranspose2d;
import dev.jtorch.nn.ConvTranspose3d;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;

/**
 * {@code torch.nn.utils.fusion}: folds an eval-mode batch norm into the convolution or linear layer before it,
 * for inference. {@code fuseConvBnEval(conv, bn)} returns a new layer of the convolution's kind whose output is
 * {@code bn(conv(x))}: {@code w' = w * gamma / sqrt(var + eps)} per output channel (per input-side channel of a
 * transposed convolution's weight, as PyTorch reshapes it), {@code b' = (b - mean) * gamma / sqrt(var + eps) +
 * beta}. The inputs are not changed.
 *
 * <p>Example: {@code ConvNd fused = Fusion.fuseConvBnEval(conv.eval(), bn.eval());}
 */
public final class Fusion {
    private Fusion() {
    }

    /** {@code fuse_conv_bn_eval(conv, bn)}: transposed convolutions are fused as such. */
    public static ConvNd fuseConvBnEval(ConvNd conv, BatchNormBase bn) {
        return fuseConvBnEval(conv, bn, conv.transposed);
    }

    /** {@code fuse_conv_bn_eval(conv, bn, transpose)}. */
    public static ConvNd fuseConvBnEval(ConvNd conv, BatchNormBase bn, boolean transpose) {
        evalOnly(conv, bn);
        if (bn.runningMean() == null || bn.runningVar() == null) {
            throw new IllegalArgumentException("fuse_conv_bn_eval: the batch norm has no running statistics "
                    + "(track_running_stats=False)");
        }
        ConvNd fused = sameConv(conv);
        Tensor[] wb = fuseConvBnWeights(conv.weight, conv.bias, bn.runningMean(), bn.runningVar(), bn.eps,
                bn.weight, bn.bias, transpose);
        try (var _ = Autograd.noGrad()) {
            fused.weight.copy_(wb[0]);
            fused.bias.copy_(wb[1]);
        }
        return fused;
    }

    /**
     * {@code fuse_conv_bn_weights}: the fused weight and bias; a null conv bias is zeros, a null bn weight ones
     * and a null bn bias zeros.
     */
    public static Tensor[] fuseConvBnWeights(Tensor convW, Tensor convB, Tensor bnRm, Tensor bnRv, double bnEps,
                                             Tensor bnW, Tensor bnB, boolean transpose) {
        try (var _ = Autograd.noGrad()) {
            Tensor b = convB == null ? Torch.zerosLike(bnRm) : convB;
            Tensor gamma = bnW == null ? Torch.onesLike(bnRm) : bnW;
            Tensor beta = bnB == null ? Torch.zerosLike(bnRm) : bnB;
            Tensor rsqrt = bnRv.add(bnEps).rsqrt();
            int[] shape = new int[convW.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[transpose ? 1 : 0] = -1;
            Tensor w = convW.mul(gamma.mul(rsqrt).reshape(shape));
            Tensor fb = b.sub(bnRm).mul(rsqrt).mul(gamma).add(beta);
            return new Tensor[] {w.to(convW.dtype()), fb.to(b.dtype())};
        }
    }

    /** {@code fuse_linear_bn_eval(linear, bn)}: a new Linear whose output is {@code bn(linear(x))}. */
    public static Linear fuseLinearBnEval(Linear linear, BatchNormBase bn) {
        evalOnly(linear, bn);
        if (linear.outFeatures != bn.numFeatures) {
            throw new IllegalArgumentException("To fuse, linear.out_features must equal bn.num_features, got "
                    + linear.outFeatures + " and " + bn.numFeatures);
        }
        if (bn.runningMean() == null || bn.runningVar() == null) {
            throw new IllegalArgumentException("fuse_linear_bn_eval: the batch norm has no running statistics "
                    + "(track_running_stats=False)");
        }
        Linear fused = new Linear(linear.inFeatures, linear.outFeatures, true, linear.weight.dtype());
        fused.to(linear.weight.device());
        Tensor[] wb = fuseLinearBnWeights(linear.weight, linear.bias, bn.runningMean(), bn.runningVar(), bn.eps,
                bn.weight, bn.bias);
        try (var _ = Autograd.noGrad()) {
            fused.weight.copy_(wb[0]);
            fused.bias.copy_(wb[1]);
        }
        return fused;
    }

    /** {@code fuse_linear_bn_weights}: {@code w * scale[:, None]}, {@code (b - mean) * scale + beta}. */
    public static Tensor[] fuseLinearBnWeights(Tensor linearW, Tensor linearB, Tensor bnRm, Tensor bnRv, double bnEps,
                                               Tensor bnW, Tensor bnB) {
        try (var _ = Autograd.noGrad()) {
            Tensor b = linearB == null ? Torch.zerosLike(bnRm) : linearB;
            Tensor gamma = bnW == null ? Torch.onesLike(bnRm) : bnW;
            Tensor beta = bnB == null ? Torch.zerosLike(bnRm) : bnB;
            Tensor scale = gamma.mul(bnRv.add(bnEps).rsqrt());
            return new Tensor[] {linearW.mul(scale.unsqueeze(-1)), b.sub(bnRm).mul(scale).add(beta)};
        }
    }

    private static void evalOnly(Module layer, Module bn) {
        if (layer.isTraining() || bn.isTraining()) {
            throw new IllegalArgumentException("Fusion only for eval!");
        }
    }

    /** A layer of conv's kind and arguments, with a bias, in eval mode, on conv's device. */
    private static ConvNd sameConv(ConvNd c) {
        ConvOptions o = new ConvOptions(c.inChannels, c.outChannels, c.kernelSize).stride(c.stride)
                .dilation(c.dilation).groups(c.groups).bias(true).paddingMode(c.paddingMode)
                .dtype(c.weight.dtype());
        if (c.paddingString != null) {
            o.padding(c.paddingString);
        } else {
            o.padding(c.padding);
        }
        if (c.transposed) {
            o.outputPadding(c.outputPadding);
        }
        int nd = c.kernelSize.length;
        ConvNd f = switch (nd) {
            case 1 -> c.transposed ? new ConvTranspose1d(o) : new Conv1d(o);
            case 2 -> c.transposed ? new ConvTranspose2d(o) : new Conv2d(o);
            case 3 -> c.transposed ? new ConvTranspose3d(o) : new Conv3d(o);
            default -> throw new IllegalArgumentException("fuse_conv_bn_eval: a convolution of " + nd + " dims");
        };
        f.to(c.weight.device());
        f.eval();
        return f;
    }
}
