package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.Losses;
import dev.jtorch.nn.functional.Reduction;

/**
 * max(d(a, p) - d(a, n) + margin, 0) with the p-norm distance. Like {@code torch.nn.TripletMarginLoss}.
 *
 * <p>Args:<br>
 * {@code margin} (the margin, default 1.0),<br>
 * {@code p} (the norm degree, default 2.0),<br>
 * {@code eps} (added to the difference for stability, default 1e-6),<br>
 * {@code swap} (use the harder of d(a, n) and d(p, n), default false),<br>
 * {@code reduction} (how to reduce: NONE, MEAN or SUM, default Reduction.MEAN).
 *
 * <p>Shape: anchor, positive, negative (N, D) or (D); output scalar, or (N) with NONE.
 *
 * <p>Example: {@code Tensor loss = new TripletMarginLoss().call(x1, x2, y);}
 */
public class TripletMarginLoss extends Module {
    /** The margin. */
    public final double margin;
    /** The norm degree. */
    public final double p;
    /** Added to the difference for stability. */
    public final double eps;
    /** Use the harder of d(a, n) and d(p, n). */
    public final boolean swap;
    /** How to reduce: NONE, MEAN or SUM. */
    public final Reduction reduction;

    /** With PyTorch's defaults. */
    public TripletMarginLoss() {
        this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    /** The options builder: {@code TripletMarginLoss.options().p(...)}. */
    public static TripletMarginOptions options() {
        return new TripletMarginOptions();
    }

    /** From options ({@link #options}). */
    public TripletMarginLoss(TripletMarginOptions o) {
        this(TripletMarginOptions.of(o).margin, o.p, o.eps, o.swap, o.reduction);
    }

    /** With every argument. */
    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction='batchmean' is only valid for KLDivLoss");
        }
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor a, Tensor b, Tensor c) {
        return Losses.tripletMarginLoss(a, b, c, margin, p, eps, swap, reduction);
    }
}
