package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

import java.util.function.BinaryOperator;

/**
 * The triplet margin loss with any distance function, like {@code torch.nn.TripletMarginWithDistanceLoss}.
 *
 * <p>Args:<br>
 * {@code distanceFunction} (a differentiable distance of two tensors; default null: the 2-norm pairwise
 * distance),<br>
 * {@code margin} (default 1.0),<br>
 * {@code swap} (use the harder of d(a, n) and d(p, n), default false),<br>
 * {@code reduction} (default MEAN).
 *
 * <p>Shape: anchor, positive, negative (N, *); output scalar, or (N) with NONE.
 *
 * <p>Example: {@code new TripletMarginWithDistanceLoss((x, y) -> x.sub(y).abs().sum(-1), 1.0, false,
 * Reduction.MEAN).call(a, p, n);}
 */
public class TripletMarginWithDistanceLoss extends Module {
    private final BinaryOperator<Tensor> distanceFunction;
    /** The margin. */
    public final double margin;
    /** Whether the distance swap is used. */
    public final boolean swap;
    /** How to reduce. */
    public final Reduction reduction;

    /** The 2-norm distance, margin 1. */
    public TripletMarginWithDistanceLoss() {
        this(null, 1.0, false, Reduction.MEAN);
    }

    /** The options builder: {@code TripletMarginWithDistanceLoss.options().margin(...)}. */
    public static TripletMarginWithDistanceOptions options() {
        return new TripletMarginWithDistanceOptions();
    }

    /** From options ({@link #options}). */
    public TripletMarginWithDistanceLoss(TripletMarginWithDistanceOptions o) {
        this(TripletMarginWithDistanceOptions.of(o).distanceFunction, o.margin, o.swap, o.reduction);
    }

    /** With every argument. */
    public TripletMarginWithDistanceLoss(BinaryOperator<Tensor> distanceFunction, double margin, boolean swap,
                                         Reduction reduction) {
        if (margin <= 0) {
            throw new IllegalArgumentException("TripletMarginWithDistanceLoss: expected margin to be greater than 0, "
                    + "got " + margin + " instead");
        }
        if (distanceFunction == null) {
            // PyTorch's default is a PairwiseDistance module, which shows in the repr
            PairwiseDistance pd = registerModule("distance_function", new PairwiseDistance());
            this.distanceFunction = (x, y) -> pd.call(x, y);
        } else {
            this.distanceFunction = distanceFunction;
        }
        this.margin = margin;
        this.swap = swap;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        return Losses.tripletMarginWithDistanceLoss(anchor, positive, negative, distanceFunction, margin, swap,
                reduction);
    }
}
