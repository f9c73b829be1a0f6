package dev.jtorch.nn.functional;

/** The {@code padding_mode} of {@code torch.nn.functional.grid_sample}, with PyTorch's names. */
public enum GridSamplePadding {
    /** Zero outside the input ("zeros"). */
    ZEROS("zeros"),
    /** Coordinates clamped to the border pixels ("border"). */
    BORDER("border"),
    /** Coordinates reflected at the borders, then clamped ("reflection"). */
    REFLECTION("reflection");

    private final String pytorchName;

    GridSamplePadding(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's string for this padding mode. */
    public String pytorchName() {
        return pytorchName;
    }

    /** The padding mode PyTorch calls {@code name}; anything else fails with PyTorch's message. */
    public static GridSamplePadding of(String name) {
        for (GridSamplePadding m : values()) {
            if (m.pytorchName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                + "'border', or 'reflection', but got: '" + name + "'");
    }

    @Override
    public String toString() {
        return pytorchName;
    }
}
