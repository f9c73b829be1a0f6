package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.InterpolationMode;

/**
 * Upsamples (or downsamples) 1-d, 2-d or 3-d data, like {@code torch.nn.Upsample}: {@code F.interpolate} with
 * the module's arguments.
 *
 * <p>Args (through {@link UpsampleOptions}): {@code size} or {@code scaleFactor}, {@code mode} (NEAREST),
 * {@code alignCorners}, {@code recomputeScaleFactor}.
 *
 * <p>Shape: input (N, C, W_in), (N, C, H_in, W_in) or (N, C, D_in, H_in, W_in); output the same with each
 * spatial size the given size or floor(in * scale).
 *
 * <p>Example: {@code new Upsample(Upsample.options().scaleFactor(2).mode(InterpolationMode.BILINEAR)).call(x)}
 */
public class Upsample extends Module {
    /** Output size as given, or null. */
    public final int[] size;
    /** Scale factors as given, or null. */
    public final double[] scaleFactor;
    /** The interpolation. */
    public final InterpolationMode mode;
    /** align_corners, or null. */
    public final Boolean alignCorners;
    /** recompute_scale_factor, or null. */
    public final Boolean recomputeScaleFactor;

    /** With every argument. */
    public Upsample(UpsampleOptions o) {
        this.size = o.size == null ? null : o.size.clone();
        this.scaleFactor = o.scaleFactor == null ? null : o.scaleFactor.clone();
        this.mode = o.mode;
        this.alignCorners = o.alignCorners;
        this.recomputeScaleFactor = o.recomputeScaleFactor;
    }

    /** The options builder: {@code Upsample.options().size(32, 32).mode(InterpolationMode.BICUBIC)}. */
    public static UpsampleOptions options() {
        return new UpsampleOptions();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.interpolate(input, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    @Override
    public String extraRepr() {
        String info;
        if (scaleFactor != null) {
            if (scaleFactor.length == 1) {
                info = "scale_factor=" + Repr.num(scaleFactor[0]);
            } else {
                StringBuilder s = new StringBuilder("(");
                for (int i = 0; i < scaleFactor.length; i++) {
                    s.append(i > 0 ? ", " : "").append(Repr.num(scaleFactor[i]));
                }
                info = "scale_factor=" + s.append(')');
            }
        } else {
            info = "size=" + (size == null ? "None" : PoolArgs.asGiven(size));
        }
        return info + ", mode=" + mode.pytorchName();
    }
}
