package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Reduction;

/**
 * The arguments of {@link CrossEntropyLoss} and {@link dev.jtorch.nn.functional.F#crossEntropy} with PyTorch's
 * names and defaults: {@code weight}, {@code ignoreIndex}, {@code reduction}, {@code labelSmoothing}.
 *
 * <p>Example: {@code F.crossEntropy(x, t, CrossEntropyLoss.options().ignoreIndex(2).labelSmoothing(0.1))}.
 */
public final class CrossEntropyOptions {
    Tensor weight;
    long ignoreIndex = -100L;
    Reduction reduction = Reduction.MEAN;
    double labelSmoothing = 0.0;

    /** PyTorch's defaults. */
    public CrossEntropyOptions() {
    }

    /** A manual rescaling weight per class (default null: none). */
    public CrossEntropyOptions weight(Tensor v) {
        weight = v;
        return this;
    }

    /** A target value that is ignored and does not count in the mean (default -100). */
    public CrossEntropyOptions ignoreIndex(long v) {
        ignoreIndex = v;
        return this;
    }

    /** NONE, MEAN (default) or SUM. */
    public CrossEntropyOptions reduction(Reduction v) {
        reduction = v;
        return this;
    }

    /** The amount of smoothing in [0, 1] (default 0). */
    public CrossEntropyOptions labelSmoothing(double v) {
        labelSmoothing = v;
        return this;
    }

    /** The {@code weight} set (or its default). */
    public Tensor weight() {
        return weight;
    }

    /** The {@code ignoreIndex} set (or its default). */
    public long ignoreIndex() {
        return ignoreIndex;
    }

    /** The {@code reduction} set (or its default). */
    public Reduction reduction() {
        return reduction;
    }

    /** The {@code labelSmoothing} set (or its default). */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** {@code o}, refusing null: a module's options ({@code CrossEntropyLoss.options()}: the defaults). */
    static CrossEntropyOptions of(CrossEntropyOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("CrossEntropyLoss: options must not be null ("
                    + "CrossEntropyLoss.options() gives PyTorch's defaults)");
        }
        return o;
    }
}
