package dev.jtorch.nn.functional;

/** The {@code mode} of {@code torch.nn.functional.grid_sample}, with PyTorch's names. */
public enum GridSampleMode {
    /** Bilinear (trilinear for 5-D input) interpolation of the 4 (8) neighbours ("bilinear"). */
    BILINEAR("bilinear"),
    /** The nearest pixel, rounding half to even ("nearest"). */
    NEAREST("nearest"),
    /** Bicubic interpolation of the 16 neighbours, 4-D input only ("bicubic"). */
    BICUBIC("bicubic");

    private final String pytorchName;

    GridSampleMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's string for this mode. */
    public String pytorchName() {
        return pytorchName;
    }

    /** The mode PyTorch calls {@code name}; anything else fails with PyTorch's message. */
    public static GridSampleMode of(String name) {
        for (GridSampleMode m : values()) {
            if (m.pytorchName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or "
                + "'bicubic', but got: '" + name + "'");
    }

    @Override
    public String toString() {
        return pytorchName;
    }
}
