package dev.jtorch.nn.functional;

/** The {@code mode} of {@code torch.nn.functional.interpolate}, with PyTorch's names. */
public enum InterpolationMode {
    /** Nearest neighbour, PyTorch's legacy index {@code floor(dst * scale)} ("nearest"). */
    NEAREST("nearest"),
    /** Nearest neighbour with centred pixels, {@code floor((dst + 0.5) * scale)} ("nearest-exact"). */
    NEAREST_EXACT("nearest-exact"),
    /** Linear interpolation of 3-D (N, C, L) input ("linear"). */
    LINEAR("linear"),
    /** Bilinear interpolation of 4-D (N, C, H, W) input ("bilinear"). */
    BILINEAR("bilinear"),
    /** Bicubic (cubic convolution, A = -0.75) interpolation of 4-D input ("bicubic"). */
    BICUBIC("bicubic"),
    /** Trilinear interpolation of 5-D (N, C, D, H, W) input ("trilinear"). */
    TRILINEAR("trilinear"),
    /** Adaptive average pooling to the output size ("area"). */
    AREA("area");

    private final String pytorchName;

    InterpolationMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's string for this mode, e.g. {@code "nearest-exact"}. */
    public String pytorchName() {
        return pytorchName;
    }

    /** True for the modes that take {@code align_corners} (linear, bilinear, bicubic, trilinear). */
    public boolean interpolating() {
        return this == LINEAR || this == BILINEAR || this == BICUBIC || this == TRILINEAR;
    }

    /** The mode PyTorch calls {@code name}; unknown names fail with PyTorch's list of modes. */
    public static InterpolationMode of(String name) {
        for (InterpolationMode m : values()) {
            if (m.pytorchName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Input Error: interpolate is supported for the modes: nearest | linear | "
                + "bilinear | bicubic | trilinear | area | nearest-exact (got " + name + ")");
    }

    @Override
    public String toString() {
        return pytorchName;
    }
}
