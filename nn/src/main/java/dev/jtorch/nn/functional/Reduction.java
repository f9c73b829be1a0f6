package dev.jtorch.nn.functional;

/** How a loss reduces its per-element values, PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** Keep the per-element losses. */
    NONE,
    /** Average (weighted losses: divide by the total weight). */
    MEAN,
    /** Sum. */
    SUM,
    /** KLDivLoss only: sum divided by the batch size (the mathematically correct KL divergence). */
    BATCHMEAN;

    /** PyTorch's string for this reduction. */
    public String pytorchName() {
        return name().toLowerCase();
    }
}
