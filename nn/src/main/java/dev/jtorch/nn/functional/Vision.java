package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.internal.Numel;

import java.util.Arrays;

/**
 * The vision functions of {@code torch.nn.functional} (PyTorch 1.13): pixel (un)shuffle, channel shuffle,
 * {@code interpolate} (in {@link Interpolate}), {@code grid_sample} and {@code affine_grid}. Everything is
 * composed from public engine ops (reshape, permute, indexSelect, gather, where, floor, matmul, ...), so
 * autograd flows through them and their gradients are PyTorch's; the index arithmetic follows ATen's
 * UpSample.h and GridSampler.h, in the input's precision.
 *
 * <p>Example: {@code Tensor y = Vision.gridSample(x, Vision.affineGrid(theta, x.shape(), false),
 * GridSampleMode.BILINEAR, GridSamplePadding.ZEROS, false);}
 */
final class Vision {
    private Vision() {
    }

    // ------------------------------------------------------------------ shuffles

    /**
     * Rearranges (*, C r^2, H, W) into (*, C, H r, W r) ({@code F.pixel_shuffle}); any number of leading
     * batch dims.
     */
    static Tensor pixelShuffle(Tensor input, int upscaleFactor) {
        if (input.dim() < 3) {
            throw new IllegalArgumentException("pixel_shuffle expects input to have at least 3 dimensions, but got "
                    + "input with " + input.dim() + " dimension(s)");
        }
        if (upscaleFactor <= 0) {
            throw new IllegalArgumentException("pixel_shuffle expects a positive upscale_factor, but got "
                    + upscaleFactor);
        }
        int r = upscaleFactor;
        int nd = input.dim();
        int c = input.size(-3);
        int h = input.size(-2);
        int w = input.size(-1);
        if (c % (r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                    + "by the square of upscale_factor, but input.size(-3)=" + c + " is not divisible by " + r * r);
        }
        int lead = nd - 3;
        int oc = c / (r * r);
        // (*, oc, r, r, h, w) -> (*, oc, h, r, w, r)
        Tensor v = input.reshape(concat(input.shape(), lead, oc, r, r, h, w));
        Tensor p = v.permute(concat(range(lead), lead, lead, lead + 3, lead + 1, lead + 4, lead + 2));
        return p.reshape(concat(input.shape(), lead, oc, h * r, w * r));
    }

    /** The inverse of {@link #pixelShuffle}: (*, C, H r, W r) into (*, C r^2, H, W) ({@code F.pixel_unshuffle}). */
    static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) {
        if (input.dim() < 3) {
            throw new IllegalArgumentException("pixel_unshuffle expects input to have at least 3 dimensions, but got "
                    + "input with " + input.dim() + " dimension(s)");
        }
        if (downscaleFactor <= 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects a positive downscale_factor, but got "
                    + downscaleFactor);
        }
        int r = downscaleFactor;
        int nd = input.dim();
        int c = input.size(-3);
        int h = input.size(-2);
        int w = input.size(-1);
        if (h % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects height to be divisible by downscale_factor, "
                    + "but input.size(-2)=" + h + " is not divisible by " + r);
        }
        if (w % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects width to be divisible by downscale_factor, "
                    + "but input.size(-1)=" + w + " is not divisible by " + r);
        }
        int lead = nd - 3;
        int oh = h / r;
        int ow = w / r;
        // (*, c, oh, r, ow, r) -> (*, c, r, r, oh, ow)
        Tensor v = input.reshape(concat(input.shape(), lead, c, oh, r, ow, r));
        Tensor p = v.permute(concat(range(lead), lead, lead, lead + 2, lead + 4, lead + 1, lead + 3));
        return p.reshape(concat(input.shape(), lead, c * r * r, oh, ow));
    }

    /**
     * Splits the C channels of (N, C, *) into groups and interleaves them ({@code F.channel_shuffle}):
     * output channel {@code j * groups + g} is input channel {@code g * (C / groups) + j}. Differentiable (PyTorch
     * 1.13 has no derivative for it).
     */
    static Tensor channelShuffle(Tensor input, int groups) {
        if (input.dim() <= 2) {
            throw new IllegalArgumentException("channel_shuffle expects input with > 2 dims, but got input with sizes "
                    + Arrays.toString(input.shape()));
        }
        if (groups <= 0) {
            throw new IllegalArgumentException("Number of groups to divide channels in must be positive. Value of "
                    + "groups:" + groups);
        }
        int c = input.size(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException("Number of channels must be divisible by groups. Got " + c
                    + " channels and " + groups + " groups.");
        }
        int n = input.size(0);
        int rest = n * c == 0 ? 0 : Numel.of(input) / (n * c);
        return input.reshape(n, groups, c / groups, rest).transpose(1, 2).reshape(input.shape());
    }

    // ------------------------------------------------------------------ interpolate

    /**
     * Resamples the spatial dims of a 3-D (N, C, L), 4-D (N, C, H, W) or 5-D (N, C, D, H, W) input
     * ({@code F.interpolate}, PyTorch 1.13, without antialias).
     *
     * @param size the output spatial size, or null; one entry applies to every spatial dim
     * @param scaleFactor the scale per spatial dim, or null (exactly one of size and scaleFactor is given);
     *     one entry applies to every spatial dim. The output size is {@code floor(in * scale)}
     * @param mode the interpolation mode ({@link InterpolationMode#AREA} is adaptive average pooling)
     * @param alignCorners null for PyTorch's default (false); only for the interpolating modes
     * @param recomputeScaleFactor true: the kernel gets the output size only and recomputes the scale from
     *     it; null or false: a given scale factor is the one used for the index math
     */
    static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, InterpolationMode mode,
                              Boolean alignCorners, Boolean recomputeScaleFactor) {
        return Interpolate.interpolate(input, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    // ------------------------------------------------------------------ grid_sample

    /**
     * Samples input at the locations of grid ({@code F.grid_sample}): 4-D input (N, C, H, W) with grid
     * (N, Ho, Wo, 2), or 5-D input (N, C, D, H, W) with grid (N, Do, Ho, Wo, 3); grid[..., 0] is the x
     * (width) coordinate in [-1, 1], grid[..., 1] y, grid[..., 2] z. Differentiable in input and grid
     * (the grid gradient of nearest sampling is zero, as in PyTorch).
     */
    static Tensor gridSample(Tensor input, Tensor grid, GridSampleMode mode, GridSamplePadding paddingMode,
                             boolean alignCorners) {
        checkGridSampler(input, grid, mode);
        int nsp = input.dim() - 2;
        int n = input.size(0);
        int ch = input.size(1);
        int[] sizes = Arrays.copyOfRange(input.shape(), 2, input.dim());
        int[] outSpatial = Arrays.copyOfRange(grid.shape(), 1, grid.dim() - 1);
        int points = 1;
        for (int s : outSpatial) {
            points *= s;
        }
        int volume = 1;
        for (int s : sizes) {
            volume *= s;
        }
        Tensor flat = input.reshape(n, ch, volume);
        // coordinate of spatial axis a (0 = D or H) is grid component nsp - 1 - a, flattened to (N, P)
        Tensor[] raw = new Tensor[nsp];
        for (int a = 0; a < nsp; a++) {
            raw[a] = grid.select(-1, nsp - 1 - a).reshape(n, points);
        }
        Tensor out = switch (mode) {
            case BILINEAR -> linearSample(flat, raw, sizes, paddingMode, alignCorners);
            case NEAREST -> nearestSample(flat, raw, sizes, paddingMode, alignCorners);
            case BICUBIC -> bicubicSample(flat, raw, sizes, paddingMode, alignCorners);
        };
        int[] shape = new int[2 + nsp];
        shape[0] = n;
        shape[1] = ch;
        System.arraycopy(outSpatial, 0, shape, 2, nsp);
        return out.reshape(shape);
    }

    private static void checkGridSampler(Tensor input, Tensor grid, GridSampleMode mode) {
        String in = Arrays.toString(input.shape());
        String gr = Arrays.toString(grid.shape());
        if (input.dim() == 0 || grid.dim() == 0) {
            throw new IllegalArgumentException("grid_sampler(): expected input and grid to have at least one "
                    + "dimension, but got input with sizes " + in + " and grid with sizes " + gr);
        }
        if (input.size(0) != grid.size(0)) {
            throw new IllegalArgumentException("grid_sampler(): expected grid and input to have same batch size, but "
                    + "got input with sizes " + in + " and grid with sizes " + gr);
        }
        if (grid.size(-1) != input.dim() - 2) {
            throw new IllegalArgumentException("grid_sampler(): expected grid to have size " + (input.dim() - 2)
                    + " in last dimension, but got grid with sizes " + gr);
        }
        for (int i = 2; i < input.dim(); i++) {
            if (input.size(i) <= 0) {
                throw new IllegalArgumentException("grid_sampler(): expected input to have non-empty spatial "
                        + "dimensions, but input has sizes " + in + " with dimension " + i + " being empty");
            }
        }
        if (input.dim() == 4) {
            if (grid.dim() != 4) {
                throw new IllegalArgumentException("grid_sampler(): expected 4D input and grid with same number of "
                        + "dimensions, but got input with sizes " + in + " and grid with sizes " + gr);
            }
        } else {
            if (input.dim() != 5 || grid.dim() != 5) {
                throw new IllegalArgumentException("grid_sampler(): expected 5D input and grid with same number of "
                        + "dimensions, but got input with sizes " + in + " and grid with sizes " + gr);
            }
            if (mode == GridSampleMode.BICUBIC) {
                throw new IllegalArgumentException("grid_sampler(): bicubic interpolation only supports 4D input");
            }
        }
        DType dt = input.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException(input.dim() == 4
                    ? "grid_sampler_2d_cpu not implemented for " + scalarName(dt)
                    : "\"grid_sampler3d_cpu\" not implemented for '" + scalarName(dt) + "'");
        }
        if (grid.dtype() != input.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + scalarName(input.dtype())
                    + " but found " + scalarName(grid.dtype()));
        }
    }

    /** grid_sampler_unnormalize: [-1, 1] to pixel coordinates. */
    private static Tensor unnormalize(Tensor coord, int size, boolean align) {
        if (align) {
            return coord.add(1.0).div(2.0).mul((double) (size - 1));
        }
        return coord.add(1.0).mul((double) size).sub(1.0).div(2.0);
    }

    /** clip_coordinates: min(size - 1, max(c, 0)), with gradient 0 where clipped (bounds included). */
    private static Tensor clip(Tensor c, int size) {
        Tensor low = Torch.where(c.gt(0.0), c, 0.0);
        return Torch.where(low.lt((double) (size - 1)), low, (double) (size - 1));
    }

    /** reflect_coordinates: reflects c into [twiceLow / 2, twiceHigh / 2]; the slope is +-1 (sign of c - min). */
    private static Tensor reflect(Tensor c, int twiceLow, int twiceHigh) {
        if (twiceLow == twiceHigh) {
            return Torch.where(Torch.zeros(DType.BOOL, c.device(), c.shape()), c, 0.0);   // 0, with a zero gradient
        }
        double min = twiceLow / 2.0;
        double span = (twiceHigh - twiceLow) / 2.0;
        Tensor in = c.sub(min).abs();
        Tensor flipsSpan;
        Tensor odd;
        try (var _ = Autograd.noGrad()) {
            Tensor flips = in.div(span).floor();
            flipsSpan = flips.mul(span);
            odd = flips.div(2.0).floor().mul(2.0).ne(flips);
        }
        Tensor extra = in.sub(flipsSpan);   // fmod(in, span): exact, as in - flips * span is
        return Torch.where(odd, extra.rsub(span).add(min), extra.add(min));
    }

    /** compute_coordinates: the padding mode applied to pixel coordinates. */
    private static Tensor pad(Tensor c, int size, GridSamplePadding padding, boolean align) {
        return switch (padding) {
            case ZEROS -> c;
            case BORDER -> clip(c, size);
            case REFLECTION -> clip(align ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1), size);
        };
    }

    /** grid_sampler_compute_source_index. */
    private static Tensor sourceIndex(Tensor coord, int size, GridSamplePadding padding, boolean align) {
        return pad(unnormalize(coord, size, align), size, padding, align);
    }

    /**
     * The input values at integer pixel coordinates (float tensors (N, P), one per spatial axis), 0 where out of
     * bounds: a gather from the flattened (N, C, S) input, giving (N, C, P).
     */
    private static Tensor valuesAt(Tensor flat, Tensor[] at, int[] sizes) {
        Tensor lin = null;
        Tensor inside = null;
        try (var _ = Autograd.noGrad()) {
            for (int a = 0; a < at.length; a++) {
                Tensor ok = at[a].ge(0.0).logicalAnd(at[a].le((double) (sizes[a] - 1)));
                inside = inside == null ? ok : inside.logicalAnd(ok);
                Tensor idx = at[a].clamp(0, sizes[a] - 1).to(DType.INT64);
                lin = lin == null ? idx : lin.mul((long) sizes[a]).add(idx);
            }
        }
        int n = flat.size(0);
        int ch = flat.size(1);
        int p = lin.size(1);
        Tensor v = flat.gather(2, lin.unsqueeze(1).expand(n, ch, p).contiguous());
        return Torch.where(inside.unsqueeze(1), v, 0.0);
    }

    private static Tensor linearSample(Tensor flat, Tensor[] raw, int[] sizes, GridSamplePadding padding,
                                       boolean align) {
        int nsp = raw.length;
        Tensor[] c = new Tensor[nsp];
        Tensor[] f = new Tensor[nsp];
        for (int a = 0; a < nsp; a++) {
            c[a] = sourceIndex(raw[a], sizes[a], padding, align);
            try (var _ = Autograd.noGrad()) {
                f[a] = c[a].floor();
            }
        }
        // the corners in ATen's order (nw, ne, sw, se; then the bottom layer in 3-D): last axis fastest
        Tensor out = null;
        for (int corner = 0; corner < 1 << nsp; corner++) {
            Tensor w = null;
            Tensor[] at = new Tensor[nsp];
            for (int a = nsp - 1; a >= 0; a--) {
                boolean high = (corner >> (nsp - 1 - a) & 1) == 1;
                Tensor factor;
                try (var _ = Autograd.noGrad()) {
                    at[a] = high ? f[a].add(1.0) : f[a];
                }
                // weight factor: (floor + 1 - c) for the low corner, (c - floor) for the high one
                factor = high ? c[a].sub(f[a]) : f[a].add(1.0).sub(c[a]);
                w = w == null ? factor : w.mul(factor);
            }
            Tensor term = valuesAt(flat, at, sizes).mul(w.unsqueeze(1));
            out = out == null ? term : out.add(term);
        }
        return out;
    }

    private static Tensor nearestSample(Tensor flat, Tensor[] raw, int[] sizes, GridSamplePadding padding,
                                        boolean align) {
        int nsp = raw.length;
        Tensor[] at = new Tensor[nsp];
        Tensor zero = null;
        for (int a = 0; a < nsp; a++) {
            Tensor c = sourceIndex(raw[a], sizes[a], padding, align);
            if (c.requiresGrad() && zero == null) {
                // PyTorch's grid gradient is zero for nearest: keep the grid in the graph with a zero slope
                zero = Torch.where(Torch.zeros(DType.BOOL, c.device(), c.shape()), c, 0.0).unsqueeze(1);
            }
            try (var _ = Autograd.noGrad()) {
                at[a] = c.round();   // std::nearbyint: half to even
            }
        }
        Tensor out = valuesAt(flat, at, sizes);
        return zero == null ? out : out.add(zero);
    }

    /** The four cubic convolution coefficients (A = -0.75) of the fraction t, as ATen's get_cubic_coefficients. */
    private static Tensor[] cubicCoefficients(Tensor t) {
        double a = -0.75;
        Tensor x0 = t.add(1.0);
        Tensor x3 = t.rsub(2.0);
        Tensor x2 = t.rsub(1.0);
        return new Tensor[] {
            x0.mul(a).sub(5 * a).mul(x0).add(8 * a).mul(x0).sub(4 * a),
            t.mul(a + 2).sub(a + 3).mul(t).mul(t).add(1.0),
            x2.mul(a + 2).sub(a + 3).mul(x2).mul(x2).add(1.0),
            x3.mul(a).sub(5 * a).mul(x3).add(8 * a).mul(x3).sub(4 * a),
        };
    }

    private static Tensor bicubicSample(Tensor flat, Tensor[] raw, int[] sizes, GridSamplePadding padding,
                                        boolean align) {
        // 4-D only: raw[0] is y (H), raw[1] is x (W); padding applies to each tap, not to the coordinate
        Tensor iy = unnormalize(raw[0], sizes[0], align);
        Tensor ix = unnormalize(raw[1], sizes[1], align);
        Tensor fy;
        Tensor fx;
        try (var _ = Autograd.noGrad()) {
            fy = iy.floor();
            fx = ix.floor();
        }
        Tensor[] cy = cubicCoefficients(iy.sub(fy));
        Tensor[] cx = cubicCoefficients(ix.sub(fx));
        Tensor[] tapX = new Tensor[4];
        Tensor[] tapY = new Tensor[4];
        try (var _ = Autograd.noGrad()) {
            for (int j = 0; j < 4; j++) {
                // get_value_bounded: pad the tap coordinate, then truncate to an index
                tapX[j] = pad(fx.add(j - 1.0), sizes[1], padding, align).trunc();
                tapY[j] = pad(fy.add(j - 1.0), sizes[0], padding, align).trunc();
            }
        }
        Tensor out = null;
        for (int i = 0; i < 4; i++) {
            Tensor row = null;
            for (int j = 0; j < 4; j++) {
                Tensor term = valuesAt(flat, new Tensor[] {tapY[i], tapX[j]}, sizes).mul(cx[j].unsqueeze(1));
                row = row == null ? term : row.add(term);
            }
            Tensor term = row.mul(cy[i].unsqueeze(1));
            out = out == null ? term : out.add(term);
        }
        return out;
    }

    // ------------------------------------------------------------------ affine_grid

    /**
     * The sampling grid of a batch of affine matrices ({@code F.affine_grid}): theta (N, 2, 3) with size
     * (N, C, H, W) gives (N, H, W, 2); theta (N, 3, 4) with size (N, C, D, H, W) gives (N, D, H, W, 3).
     * Differentiable in theta.
     */
    static Tensor affineGrid(Tensor theta, int[] size, boolean alignCorners) {
        if (!theta.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Expected theta to have floating point type, but got "
                    + theta.dtype());
        }
        String sz = Arrays.toString(size);
        int nsp;
        if (size.length == 4) {
            if (theta.dim() != 3 || theta.size(-2) != 2 || theta.size(-1) != 3) {
                throw new IllegalArgumentException("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                        + sz + ". Got torch.Size(" + Arrays.toString(theta.shape()) + ").");
            }
            nsp = 2;
        } else if (size.length == 5) {
            if (theta.dim() != 3 || theta.size(-2) != 3 || theta.size(-1) != 4) {
                throw new IllegalArgumentException("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                        + sz + ". Got torch.Size(" + Arrays.toString(theta.shape()) + ").");
            }
            nsp = 3;
        } else {
            throw new IllegalArgumentException("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine "
                    + "transforms, respectively. Got size " + sz + ".");
        }
        int[] spatial = Arrays.copyOfRange(size, 2, size.length);
        int minSpatial = Arrays.stream(spatial).min().getAsInt();
        boolean unitWithAlign = alignCorners && minSpatial == 1;   // PyTorch only warns here
        if (!unitWithAlign && Arrays.stream(size).min().getAsInt() <= 0) {
            throw new IllegalArgumentException("Expected non-zero, positive output size. Got " + sz);
        }
        int n = size[0];
        if (theta.size(0) != n) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + n
                    + ", " + (nsp + 1) + "] but got: [" + theta.size(0) + ", " + (nsp + 1) + "].");
        }
        // base grid (points, nsp + 1): x (W) fastest, then y, z, and a column of ones
        int points = 1;
        for (int s : spatial) {
            points *= s;
        }
        Tensor[] cols = new Tensor[nsp + 1];
        for (int k = 0; k < nsp; k++) {
            int axis = nsp - 1 - k;   // column k is x, y, z: the spatial axes from the last
            int[] view = new int[nsp];
            Arrays.fill(view, 1);
            view[axis] = spatial[axis];
            cols[k] = linspaceFromNegOne(theta.dtype(), spatial[axis], alignCorners).to(theta.device()).reshape(view)
                    .expand(spatial)
                    .reshape(points);
        }
        cols[nsp] = Torch.ones(theta.dtype(), theta.device(), points);
        Tensor base = Torch.stack(cols, 1);
        Tensor grid = base.unsqueeze(0).expand(n, points, nsp + 1).bmm(theta.transpose(1, 2));
        int[] shape = new int[nsp + 2];
        shape[0] = n;
        System.arraycopy(spatial, 0, shape, 1, nsp);
        shape[nsp + 1] = nsp;
        return grid.reshape(shape);
    }

    /** ATen's linspace_from_neg_one: linspace(-1, 1, steps), times (steps - 1) / steps unless alignCorners. */
    private static Tensor linspaceFromNegOne(DType dtype, int steps, boolean alignCorners) {
        if (steps <= 1) {
            return Torch.zeros(dtype, 1);
        }
        Tensor range = Torch.linspace(-1, 1, steps, dtype);
        return alignCorners ? range : range.mul((double) (steps - 1)).div((double) steps);
    }

    // ------------------------------------------------------------------ helpers

    /** ATen's scalar type name, as in "... not implemented for 'Long'". */
    static String scalarName(DType d) {
        return switch (d) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case INT64 -> "Long";
            case BOOL -> "Bool";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The first {@code lead} entries of head followed by tail. */
    private static int[] concat(int[] head, int lead, int... tail) {
        int[] r = Arrays.copyOf(head, lead + tail.length);
        System.arraycopy(tail, 0, r, lead, tail.length);
        return r;
    }
}
