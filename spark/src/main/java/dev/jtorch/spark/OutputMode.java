package dev.jtorch.spark;

/**
 * What {@link Inference} (and {@link JtorchModel}) writes into the output column for each row.
 */
public enum OutputMode {
    /** The model's output for the row, flattened into an array (float, or double for a float64 model). */
    OUTPUT,
    /** The index of the largest value of a (batch, classes) output: an integer column, the class. */
    ARGMAX,
    /** The softmax over dim 1 of a (batch, classes) output of logits: an array, one probability per class. */
    PROBABILITIES
}
