package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;

/**
 * Group normalization, like {@code torch.nn.GroupNorm}: the channels split into numGroups groups, each
 * (sample, group) normalised by its own mean and variance, then a per-channel affine transform.
 *
 * <p>Args: {@code numGroups}, {@code numChannels} (divisible by numGroups), {@code eps} (1e-5), {@code affine}
 * (true), {@code dtype}.
 *
 * <p>Shape: input (N, C, *); output the same.
 *
 * <p>Attributes: {@code weight} (C) ones and {@code bias} (C) zeros when affine.
 *
 * <p>Example: {@code new GroupNorm(3, 6).call(Torch.randn(20, 6, 10, 10))}
 */
public class GroupNorm extends Module {
    /** Groups. */
    public final int numGroups;
    /** Channels. */
    public final int numChannels;
    /** Added to the variance. */
    public final double eps;
    /** Learnable per-channel scale and shift. */
    public final boolean affine;
    /** The scale (C), or null. */
    public final Parameter weight;
    /** The shift (C), or null. */
    public final Parameter bias;

    /** eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /** Float32. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        this(numGroups, numChannels, eps, affine, DType.FLOAT32);
    }

    /** With every argument. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("num_channels must be divisible by num_groups");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        this.weight = registerParameter("weight", affine ? new Parameter(Torch.empty(dtype, numChannels)) : null);
        this.bias = registerParameter("bias", affine ? new Parameter(Torch.empty(dtype, numChannels)) : null);
        resetParameters();
    }

    /** Weight to ones, bias to zeros. */
    public void resetParameters() {
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.groupNorm(input, numGroups, attr("weight"), attr("bias"), eps);
    }

    @Override
    public String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Repr.num(eps) + ", affine=" + (affine ? "True" : "False");
    }
}
