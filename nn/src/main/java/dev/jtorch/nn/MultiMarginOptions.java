package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Reduction;

/**
 * The arguments of {@link MultiMarginLoss} and {@link dev.jtorch.nn.functional.F#multiMarginLoss} with PyTorch's
 * names and defaults: {@code p}, {@code margin}, {@code weight}, {@code reduction}.
 *
 * <p>Example: {@code new MultiMarginLoss(MultiMarginLoss.options().p(2).margin(0.5))}.
 */
public final class MultiMarginOptions {
    int p = 1;
    double margin = 1.0;
    Tensor weight;
    Reduction reduction = Reduction.MEAN;

    /** PyTorch's defaults. */
    public MultiMarginOptions() {
    }

    /** The norm degree, 1 (default) or 2. */
    public MultiMarginOptions p(int v) {
        p = v;
        return this;
    }

    /** The margin (default 1). */
    public MultiMarginOptions margin(double v) {
        margin = v;
        return this;
    }

    /** A weight per class (default null: none). */
    public MultiMarginOptions weight(Tensor v) {
        weight = v;
        return this;
    }

    /** NONE, MEAN (default) or SUM. */
    public MultiMarginOptions reduction(Reduction v) {
        reduction = v;
        return this;
    }

    /** The {@code p} set (or its default). */
    public int p() {
        return p;
    }

    /** The {@code margin} set (or its default). */
    public double margin() {
        return margin;
    }

    /** The {@code weight} set (or its default). */
    public Tensor weight() {
        return weight;
    }

    /** The {@code reduction} set (or its default). */
    public Reduction reduction() {
        return reduction;
    }

    /** {@code o}, refusing null: a module's options ({@code MultiMarginLoss.options()}: the defaults). */
    static MultiMarginOptions of(MultiMarginOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("MultiMarginLoss: options must not be null ("
                    + "MultiMarginLoss.options() gives PyTorch's defaults)");
        }
        return o;
    }
}
