package dev.jtorch.nn;

import dev.jtorch.nn.functional.Reduction;

/**
 * The arguments of {@link TripletMarginLoss} and {@link dev.jtorch.nn.functional.F#tripletMarginLoss} with
 * PyTorch's names and defaults: {@code margin}, {@code p}, {@code eps}, {@code swap}, {@code reduction}.
 *
 * <p>Example: {@code new TripletMarginLoss(TripletMarginLoss.options().margin(0.5).swap(true))}.
 */
public final class TripletMarginOptions {
    double margin = 1.0;
    double p = 2.0;
    double eps = 1e-6;
    boolean swap;
    Reduction reduction = Reduction.MEAN;

    /** PyTorch's defaults. */
    public TripletMarginOptions() {
    }

    /** The margin (default 1). */
    public TripletMarginOptions margin(double v) {
        margin = v;
        return this;
    }

    /** The norm degree of the pairwise distance (default 2). */
    public TripletMarginOptions p(double v) {
        p = v;
        return this;
    }

    /** Added to the differences (default 1e-6). */
    public TripletMarginOptions eps(double v) {
        eps = v;
        return this;
    }

    /** Use the distance swap of Balntas et al. (default false). */
    public TripletMarginOptions swap(boolean v) {
        swap = v;
        return this;
    }

    /** NONE, MEAN (default) or SUM. */
    public TripletMarginOptions reduction(Reduction v) {
        reduction = v;
        return this;
    }

    /** The {@code margin} set (or its default). */
    public double margin() {
        return margin;
    }

    /** The {@code p} set (or its default). */
    public double p() {
        return p;
    }

    /** The {@code eps} set (or its default). */
    public double eps() {
        return eps;
    }

    /** The {@code swap} set (or its default). */
    public boolean swap() {
        return swap;
    }

    /** The {@code reduction} set (or its default). */
    public Reduction reduction() {
        return reduction;
    }

    /** {@code o}, refusing null: a module's options ({@code TripletMarginLoss.options()}: the defaults). */
    static TripletMarginOptions of(TripletMarginOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("TripletMarginLoss: options must not be null ("
                    + "TripletMarginLoss.options() gives PyTorch's defaults)");
        }
        return o;
    }
}
