package dev.jtorch.spark;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.Reduction;

import java.io.Serializable;

/**
 * The training loss, run on the executors (so {@link Serializable}): the model's output for a batch and its
 * labels in, the batch's <em>mean</em> loss over its rows out, a scalar. {@link SparkTrainer} scales each
 * partition's mean by its row count, so the gradient it sums is the global batch's mean, as one JVM would
 * compute. A loss that averages over something else (cross entropy with class weights or ignored targets
 * averages over the weights of the rows it counts) is then weighted by rows across partitions, not by that.
 *
 * <p>Example: {@code LossFunction l = (out, y) -> F.mseLoss(out.squeeze(1), y, Reduction.MEAN);}
 */
@FunctionalInterface
public interface LossFunction extends Serializable {
    /** The mean loss of a batch. */
    Tensor apply(Tensor output, Tensor target);

    /** {@link #crossEntropy()}: the trainer's default, and how it knows double labels are classes. */
    LossFunction CROSS_ENTROPY = F::crossEntropy;

    /** Cross entropy of (B, C) logits against int64 class labels, the default. */
    static LossFunction crossEntropy() {
        return CROSS_ENTROPY;
    }

    /** Mean squared error against labels of the output's shape. */
    static LossFunction mse() {
        return (out, y) -> F.mseLoss(out, y, Reduction.MEAN);
    }
}
