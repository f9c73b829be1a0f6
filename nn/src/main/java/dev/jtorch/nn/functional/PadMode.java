package dev.jtorch.nn.functional;

/**
 * How {@link F#pad} fills the border: PyTorch's {@code mode} strings 'constant', 'reflect', 'replicate' and
 * 'circular'. The convolutions' {@code padding_mode} uses the same values, with ZEROS for 'zeros'.
 */
public enum PadMode {
    /** A constant value ('constant'; 'zeros' for convolutions). */
    CONSTANT("constant"),
    /** Zeros: a convolution's default padding_mode ('zeros'). */
    ZEROS("zeros"),
    /** Mirror without repeating the edge ('reflect'). */
    REFLECT("reflect"),
    /** Repeat the edge ('replicate'). */
    REPLICATE("replicate"),
    /** Wrap around ('circular'). */
    CIRCULAR("circular");

    private final String pytorchName;

    PadMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's name of the mode. */
    public String pytorchName() {
        return pytorchName;
    }

    /** The mode PyTorch calls {@code name}. */
    public static PadMode of(String name) {
        for (PadMode m : values()) {
            if (m.pytorchName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unrecognised padding mode " + name);
    }
}
