package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.NnOps;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Repr;

import java.util.Arrays;

/**
 * {@code torch.nn.functional.interpolate} of PyTorch 1.13, composed from engine ops so that autograd and
 * every backend come for free: each spatial dim is resampled on its own (last dim first, as ATen's separable
 * CPU kernel), by gathering the taps along that dim with {@code indexSelect} and summing them times a weight
 * tensor broadcast along the dim.
 *
 * <p>The source indices and weights are computed on the host with ATen's formulas (UpSample.h and the CPU
 * kernel's helpers) in ATen's precision: float arithmetic for float32 inputs, double for float64, and the
 * double accumulator ATen's linear helper uses on the CPU for both; indices therefore match PyTorch exactly
 * and float32 weights to the last bit for the linear modes.
 */
final class Interpolate {
    /** The cubic convolution constant of ATen (and OpenCV). */
    private static final double A = -0.75;

    private Interpolate() {
    }

    /** See {@link Vision#interpolate}. */
    static Tensor interpolate(Tensor input, int[] size, double[] scaleFactor, InterpolationMode mode,
                              Boolean alignCorners, Boolean recomputeScaleFactor) {
        if (mode == null) {
            throw new IllegalArgumentException("interpolate: mode must not be null");
        }
        boolean align;
        if (!mode.interpolating()) {
            if (alignCorners != null) {
                throw new IllegalArgumentException("align_corners option can only be set with the interpolating "
                        + "modes: linear | bilinear | bicubic | trilinear");
            }
            align = false;
        } else {
            align = alignCorners != null && alignCorners;
        }
        int dim = Math.max(0, input.dim() - 2);
        int[] spatial = Arrays.copyOfRange(input.shape(), Math.min(2, input.dim()), input.dim());
        int[] outSize = null;
        double[] scales = null;
        if (size != null && scaleFactor != null) {
            throw new IllegalArgumentException("only one of size or scale_factor should be defined");
        } else if (size != null) {
            if (size.length != 1 && size.length != dim) {
                throw new IllegalArgumentException("Input and output must have the same number of spatial "
                        + "dimensions, but got input with spatial dimensions of " + Arrays.toString(spatial)
                        + " and output size of " + Arrays.toString(size) + ". Please provide input tensor in (N, C, "
                        + "d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
            }
            outSize = new int[dim];
            for (int i = 0; i < dim; i++) {
                outSize[i] = size.length == 1 ? size[0] : size[i];
            }
        } else if (scaleFactor != null) {
            if (scaleFactor.length != 1 && scaleFactor.length != dim) {
                StringBuilder s = new StringBuilder("[");
                for (int i = 0; i < scaleFactor.length; i++) {
                    s.append(i > 0 ? ", " : "").append(Repr.num(scaleFactor[i]));
                }
                throw new IllegalArgumentException("Input and scale_factor must have the same number of spatial "
                        + "dimensions, but got input with spatial dimensions of " + Arrays.toString(spatial)
                        + " and scale_factor of shape " + s + "]. Please provide input tensor in (N, C, d1, d2, "
                        + "...,dK) format and scale_factor in (s1, s2, ...,sK) format.");
            }
            scales = new double[dim];
            for (int i = 0; i < dim; i++) {
                scales[i] = scaleFactor.length == 1 ? scaleFactor[0] : scaleFactor[i];
            }
        } else {
            throw new IllegalArgumentException("either size or scale_factor should be defined");
        }
        boolean recompute = recomputeScaleFactor != null && recomputeScaleFactor;
        if (recompute && size != null) {
            throw new IllegalArgumentException("recompute_scale_factor is not meaningful with an explicit size.");
        }
        if (mode == InterpolationMode.AREA && outSize == null) {
            recompute = true;   // area always needs an explicit size
        }
        if (recompute) {
            // Python: int(math.floor(float(input.size(i + 2)) * scale_factors[i])); the kernel recomputes the scale
            outSize = new int[dim];
            for (int i = 0; i < dim; i++) {
                outSize[i] = (int) Math.floor((double) spatial[i] * scales[i]);
            }
            scales = null;
        }
        checkModeAndRank(input.dim(), mode);
        if (mode == InterpolationMode.AREA) {
            checkAreaSize(outSize);
            checkAreaDtype(input);
            return NnOps.adaptiveAvgPool(input, outSize);
        }
        if (outSize == null) {
            // ATen's compute_output_size: static_cast<int64_t>(double(input_size) * scale), truncation
            outSize = new int[dim];
            for (int i = 0; i < dim; i++) {
                outSize[i] = (int) (long) ((double) spatial[i] * scales[i]);
            }
        }
        checkSizes(spatial, outSize);
        checkDtype(input, mode);
        return resample(input, outSize, scales, mode, align);
    }

    /** The dispatch of torch/nn/functional.py, with its NotImplementedError messages. */
    private static void checkModeAndRank(int nd, InterpolationMode mode) {
        boolean ok = switch (mode) {
            case NEAREST, NEAREST_EXACT, AREA -> nd >= 3 && nd <= 5;
            case LINEAR -> nd == 3;
            case BILINEAR, BICUBIC -> nd == 4;
            case TRILINEAR -> nd == 5;
        };
        if (ok) {
            return;
        }
        boolean specific = nd >= 3 && nd <= 5 && (mode == InterpolationMode.LINEAR
                || mode == InterpolationMode.BILINEAR || mode == InterpolationMode.TRILINEAR);
        if (specific) {
            int needs = mode == InterpolationMode.LINEAR ? 3 : mode == InterpolationMode.BILINEAR ? 4 : 5;
            throw new IllegalArgumentException("Got " + nd + "D input, but " + mode.pytorchName() + " mode needs "
                    + needs + "D input");
        }
        throw new IllegalArgumentException("Input Error: Only 3D, 4D and 5D input Tensors supported (got " + nd
                + "D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got "
                + mode.pytorchName() + ")");
    }

    /** ATen's adaptive average pooling check, with its wording (1-D runs as 2-D; 3-D prints "2d" too). */
    private static void checkAreaSize(int[] out) {
        if (Arrays.stream(out).allMatch(o -> o >= 0)) {
            return;
        }
        String received = switch (out.length) {
            case 1 -> "{1, " + out[0] + "}";
            case 2 -> "{" + out[0] + ", " + out[1] + "}";
            default -> "{" + out[0] + ", " + out[1] + "," + out[2] + "}";
        };
        throw new IllegalArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or "
                + "equal to 0 but received " + received);
    }

    /** The dtypes of ATen's adaptive average pooling kernels (1-D runs as 2-D; 3-D also takes float16). */
    private static void checkAreaDtype(Tensor input) {
        DType d = input.dtype();
        if (input.dim() == 5 ? !d.isFloatingPoint() : d == DType.FLOAT16 || !d.isFloatingPoint()) {
            throw new IllegalArgumentException("\"adaptive_avg_pool" + (input.dim() == 5 ? "3d_cpu" : "2d")
                    + "\" not implemented for '" + Vision.scalarName(d) + "'");
        }
    }

    /** upsample_{1,2,3}d_common_check of ATen. */
    private static void checkSizes(int[] in, int[] out) {
        boolean positive = true;
        for (int i = 0; i < in.length; i++) {
            positive &= in[i] > 0 && out[i] > 0;
        }
        if (positive) {
            return;
        }
        String[] names = in.length == 1 ? new String[] {"W"} : in.length == 2 ? new String[] {"H", "W"}
                : new String[] {"D", "H", "W"};
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < in.length; i++) {
            a.append(i > 0 ? ", " : "").append(names[i]).append(": ").append(in[i]);
            b.append(i > 0 ? ", " : "").append(names[i]).append(": ").append(out[i]);
        }
        throw new IllegalArgumentException("Input and output sizes should be greater than 0, but got input (" + a
                + (in.length == 1 ? ") and output (" : ") output (") + b + ")");
    }

    /** The dtypes ATen's CPU kernels are compiled for (float32, float64 and, except nearest-exact, bfloat16). */
    private static void checkDtype(Tensor input, InterpolationMode mode) {
        DType d = input.dtype();
        boolean ok = d == DType.FLOAT32 || d == DType.FLOAT64
                || d == DType.BFLOAT16 && mode != InterpolationMode.NEAREST_EXACT;
        if (!ok) {
            String kind = switch (mode) {
                case NEAREST, NEAREST_EXACT -> "nearest";
                case BICUBIC -> "cubic";
                default -> "linear";
            };
            throw new IllegalArgumentException("\"compute_indices_weights_" + kind + "\" not implemented for '"
                    + Vision.scalarName(d) + "'");
        }
    }

    private static Tensor resample(Tensor input, int[] outSize, double[] scales, InterpolationMode mode,
                                   boolean align) {
        // bfloat16 is resampled in float32 and rounded once at the end
        Tensor x = input.dtype() == DType.BFLOAT16 ? input.to(DType.FLOAT32) : input;
        boolean dbl = x.dtype() == DType.FLOAT64;
        int nsp = outSize.length;
        for (int d = nsp - 1; d >= 0; d--) {
            int axis = 2 + d;
            int in = x.size(axis);
            int out = outSize[d];
            Double scale = scales == null ? null : scales[d];
            x = switch (mode) {
                case NEAREST -> x.indexSelect(axis, longs(x, nearestIndices(in, out, scale, dbl)));
                case NEAREST_EXACT -> x.indexSelect(axis, longs(x, nearestExactIndices(in, out, scale, dbl)));
                case BICUBIC -> cubicAlong(x, axis, in, out, align, scale, dbl);
                default -> linearAlong(x, axis, in, out, align, scale, dbl);
            };
        }
        if (x == input) {
            return input.clone();   // every dim kept its size: a copy, as PyTorch returns
        }
        return input.dtype() == DType.BFLOAT16 ? x.to(DType.BFLOAT16) : x;
    }

    // ---------------------------------------------------------------------------------- separable passes

    /** Indices on {@code like}'s device. */
    private static Tensor longs(Tensor like, long[] v) {
        return Torch.tensor(v, v.length).to(like.device());
    }

    /** A weight vector shaped to broadcast along axis of a tensor of rank nd. */
    private static Tensor weights(Tensor like, double[] w, float[] wf, int axis, int nd) {
        int[] shape = new int[nd - axis];
        Arrays.fill(shape, 1);
        shape[0] = w != null ? w.length : wf.length;
        return (w != null ? Torch.tensor(w, shape) : Torch.tensor(wf, shape)).to(like.device());
    }

    private static Tensor linearAlong(Tensor x, int axis, int in, int out, boolean align, Double scale,
                                      boolean dbl) {
        if (in == out) {
            return x;   // compute_source_index_and_lambda: equal sizes copy, whatever the scale
        }
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        double[] l0 = dbl ? new double[out] : null;
        double[] l1 = dbl ? new double[out] : null;
        float[] f0 = dbl ? null : new float[out];
        float[] f1 = dbl ? null : new float[out];
        double ratio = dbl ? areaPixelScale(in, out, align, scale) : areaPixelScaleF(in, out, align, scale);
        for (int k = 0; k < out; k++) {
            // the CPU accumulator type is double for float32 as well (acc_type<float, false>)
            double real = align ? ratio * k : Math.fma(ratio, k + 0.5, -0.5);
            if (!align && real < 0) {
                real = 0;
            }
            long idx = (long) real;
            i0[k] = idx;
            i1[k] = idx + (idx < in - 1 ? 1 : 0);
            if (dbl) {
                l1[k] = real - idx;
                l0[k] = 1.0 - l1[k];
            } else {
                f1[k] = (float) (real - idx);
                f0[k] = 1f - f1[k];
            }
        }
        int nd = x.dim();
        Tensor a = x.indexSelect(axis, longs(x, i0)).mul(weights(x, l0, f0, axis, nd));
        return a.add(x.indexSelect(axis, longs(x, i1)).mul(weights(x, l1, f1, axis, nd)));
    }

    private static Tensor cubicAlong(Tensor x, int axis, int in, int out, boolean align, Double scale,
                                     boolean dbl) {
        long[][] idx = new long[4][out];
        double[][] w = dbl ? new double[4][out] : null;
        float[][] wf = dbl ? null : new float[4][out];
        if (dbl) {
            double s = areaPixelScale(in, out, align, scale);
            for (int k = 0; k < out; k++) {
                double real = align ? s * k : Math.fma(s, k + 0.5, -0.5);
                long i = (long) Math.floor((float) real);   // floorf, as ATen's cubic helper
                double t = real - i;
                double[] c = cubicCoefficients(t);
                for (int j = 0; j < 4; j++) {
                    idx[j][k] = Math.max(Math.min(i + j - 1, in - 1), 0);
                    w[j][k] = c[j];
                }
            }
        } else {
            float s = areaPixelScaleF(in, out, align, scale);
            for (int k = 0; k < out; k++) {
                float real = align ? s * k : Math.fma(s, k + 0.5f, -0.5f);
                long i = (long) Math.floor(real);
                float t = real - i;
                float[] c = cubicCoefficientsF(t);
                for (int j = 0; j < 4; j++) {
                    idx[j][k] = Math.max(Math.min(i + j - 1, in - 1), 0);
                    wf[j][k] = c[j];
                }
            }
        }
        int nd = x.dim();
        Tensor y = null;
        for (int j = 0; j < 4; j++) {
            Tensor term = x.indexSelect(axis, longs(x, idx[j])).mul(weights(x, dbl ? w[j] : null, dbl ? null : wf[j],
                    axis, nd));
            y = y == null ? term : y.add(term);
        }
        return y;
    }

    // ---------------------------------------------------------------------------------- ATen's index math

    /** compute_scales_value&lt;double&gt;: 1 / scale when a positive scale was given, else in / out. */
    static double scalesValue(Double scale, int in, int out) {
        return scale != null && scale > 0 ? 1.0 / scale : (double) in / out;
    }

    /** compute_scales_value&lt;float&gt;. */
    static float scalesValueF(Double scale, int in, int out) {
        return scale != null && scale > 0 ? (float) (1.0 / scale) : (float) in / (float) out;
    }

    /** area_pixel_compute_scale&lt;double&gt;. */
    static double areaPixelScale(int in, int out, boolean align, Double scale) {
        if (align) {
            return out > 1 ? (double) (in - 1) / (out - 1) : 0;
        }
        return scalesValue(scale, in, out);
    }

    /** area_pixel_compute_scale&lt;float&gt;. */
    static float areaPixelScaleF(int in, int out, boolean align, Double scale) {
        if (align) {
            return out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
        }
        return scalesValueF(scale, in, out);
    }

    /**
     * The nearest source indices of ATen's CPU forward kernel: {@code floorf(scale * dst)} with the scale of
     * the input's precision and the product in double, clamped to in - 1.
     */
    static long[] nearestIndices(int in, int out, Double scale, boolean dbl) {
        double s = dbl ? scalesValue(scale, in, out) : scalesValueF(scale, in, out);
        long[] idx = new long[out];
        for (int k = 0; k < out; k++) {
            double real = s * k;
            idx[k] = Math.min((long) Math.floor((float) real), in - 1);
        }
        return idx;
    }

    /** The nearest-exact source indices: {@code floorf(scale * (dst + 0.5) - 0.5 + 0.5)}, clamped. */
    static long[] nearestExactIndices(int in, int out, Double scale, boolean dbl) {
        double s = dbl ? scalesValue(scale, in, out) : scalesValueF(scale, in, out);
        long[] idx = new long[out];
        for (int k = 0; k < out; k++) {
            double real = Math.fma(s, k + 0.5, -0.5);
            if (real < 0) {
                real = 0;
            }
            idx[k] = Math.min((long) Math.floor((float) (real + 0.5)), in - 1);
        }
        return idx;
    }

    /** get_cubic_upsample_coefficients&lt;double&gt; for the fraction t. */
    static double[] cubicCoefficients(double t) {
        double x2 = 1.0 - t;
        return new double[] {cubic2(t + 1.0), cubic1(t), cubic1(x2), cubic2(x2 + 1.0)};
    }

    /** get_cubic_upsample_coefficients&lt;float&gt;. */
    static float[] cubicCoefficientsF(float t) {
        float x2 = 1f - t;
        return new float[] {cubic2F(t + 1f), cubic1F(t), cubic1F(x2), cubic2F(x2 + 1f)};
    }

    /** cubic_convolution1: ((A + 2) x - (A + 3)) x^2 + 1, for |x| &lt;= 1. */
    private static double cubic1(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** cubic_convolution2: ((A x - 5A) x + 8A) x - 4A, for 1 &lt; |x| &lt; 2. */
    private static double cubic2(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }

    private static float cubic1F(float x) {
        float a = (float) A;
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static float cubic2F(float x) {
        float a = (float) A;
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
}
