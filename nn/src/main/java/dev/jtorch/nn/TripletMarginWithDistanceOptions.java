package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Reduction;

/**
 * The arguments of {@link TripletMarginWithDistanceLoss} and {@link
 * dev.jtorch.nn.functional.F#tripletMarginWithDistanceLoss} with PyTorch's names and defaults: {@code
 * distanceFunction}, {@code margin}, {@code swap}, {@code reduction}.
 *
 * <p>Example: {@code new TripletMarginWithDistanceLoss(TripletMarginWithDistanceLoss.options().margin(0.5))}.
 */
public final class TripletMarginWithDistanceOptions {
    java.util.function.BinaryOperator<Tensor> distanceFunction;
    double margin = 1.0;
    boolean swap;
    Reduction reduction = Reduction.MEAN;

    /** PyTorch's defaults. */
    public TripletMarginWithDistanceOptions() {
    }

    /** The distance (default null: PairwiseDistance, the Euclidean distance). */
    public TripletMarginWithDistanceOptions distanceFunction(java.util.function.BinaryOperator<Tensor> v) {
        distanceFunction = v;
        return this;
    }

    /** The margin (default 1). */
    public TripletMarginWithDistanceOptions margin(double v) {
        margin = v;
        return this;
    }

    /** Use the distance swap (default false). */
    public TripletMarginWithDistanceOptions swap(boolean v) {
        swap = v;
        return this;
    }

    /** NONE, MEAN (default) or SUM. */
    public TripletMarginWithDistanceOptions reduction(Reduction v) {
        reduction = v;
        return this;
    }

    /** The {@code distanceFunction} set (or its default). */
    public java.util.function.BinaryOperator<Tensor> distanceFunction() {
        return distanceFunction;
    }

    /** The {@code margin} set (or its default). */
    public double margin() {
        return margin;
    }

    /** The {@code swap} set (or its default). */
    public boolean swap() {
        return swap;
    }

    /** The {@code reduction} set (or its default). */
    public Reduction reduction() {
        return reduction;
    }

    /** {@code o}, refusing null: a module's options ({@code TripletMarginWithDistanceLoss.options()}: the defaults). */
    static TripletMarginWithDistanceOptions of(TripletMarginWithDistanceOptions o) {
        if (o == null) {
            throw new IllegalArgumentException("TripletMarginWithDistanceLoss: options must not be null ("
                    + "TripletMarginWithDistanceLoss.options() gives PyTorch's defaults)");
        }
        return o;
    }
}
