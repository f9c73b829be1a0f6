package dev.jtorch.nn.functional;

/** How {@code EmbeddingBag} reduces each bag: PyTorch's mode strings 'sum', 'mean' and 'max'. */
public enum EmbeddingBagMode {
    /** Sum of the bag's rows (weighted by per_sample_weights when given). */
    SUM("sum"),
    /** Mean of the bag's rows (PyTorch's default). */
    MEAN("mean"),
    /** Elementwise maximum of the bag's rows. */
    MAX("max");

    private final String pytorchName;

    EmbeddingBagMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    /** PyTorch's name of the mode. */
    public String pytorchName() {
        return pytorchName;
    }

    /** The mode PyTorch calls {@code name}. */
    public static EmbeddingBagMode of(String name) {
        for (EmbeddingBagMode m : values()) {
            if (m.pytorchName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode has to be one of sum, mean or max, got '" + name + "'");
    }
}
