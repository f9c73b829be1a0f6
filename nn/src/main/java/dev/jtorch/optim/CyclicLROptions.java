package dev.jtorch.optim;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The arguments of {@link CyclicLR} with PyTorch's names and defaults: {@code baseLr} and {@code maxLr}
 * (required; one value for every group, or a list with one per group), {@code stepSizeUp} 2000,
 * {@code stepSizeDown} (default {@code stepSizeUp}), {@code mode} TRIANGULAR, {@code gamma} 1, {@code scaleFn}
 * null with {@code scaleMode} CYCLE, {@code cycleMomentum} true, {@code baseMomentum} 0.8, {@code maxMomentum}
 * 0.9.
 *
 * <p>Example: {@code new CyclicLR(opt, CyclicLR.options(0.01, 0.1).stepSizeUp(500).mode(CyclicLR.Mode.TRIANGULAR2))}.
 */
public final class CyclicLROptions {
    Object baseLr;
    Object maxLr;
    double stepSizeUp = 2000;
    Double stepSizeDown;
    CyclicLR.Mode mode = CyclicLR.Mode.TRIANGULAR;
    double gamma = 1.0;
    DoubleUnaryOperator scaleFn;
    CyclicLR.ScaleMode scaleMode = CyclicLR.ScaleMode.CYCLE;
    boolean cycleMomentum = true;
    Object baseMomentum = 0.8;
    Object maxMomentum = 0.9;

    /** The lower and upper lr boundaries of the cycle, the same for every group. */
    public CyclicLROptions(double baseLr, double maxLr) {
        this.baseLr = baseLr;
        this.maxLr = maxLr;
    }

    /** The lower lr boundary of each group. */
    public CyclicLROptions baseLr(List<Double> v) {
        baseLr = List.copyOf(v);
        return this;
    }

    /** The upper lr boundary of each group. */
    public CyclicLROptions maxLr(List<Double> v) {
        maxLr = List.copyOf(v);
        return this;
    }

    /** Iterations in the increasing half of a cycle (default 2000). */
    public CyclicLROptions stepSizeUp(double v) {
        stepSizeUp = v;
        return this;
    }

    /** Iterations in the decreasing half of a cycle (default: {@code stepSizeUp}). */
    public CyclicLROptions stepSizeDown(double v) {
        stepSizeDown = v;
        return this;
    }

    /** The built-in scaling policy (default TRIANGULAR; ignored when a {@link #scaleFn} is given). */
    public CyclicLROptions mode(CyclicLR.Mode v) {
        mode = v;
        return this;
    }

    /** The constant of EXP_RANGE's scaling, {@code gamma^iterations} (default 1). */
    public CyclicLROptions gamma(double v) {
        gamma = v;
        return this;
    }

    /** A custom scaling policy, with values in [0, 1], evaluated on the cycle or the iteration per
     * {@code scaleMode} (default null: the {@code mode}'s). */
    public CyclicLROptions scaleFn(DoubleUnaryOperator fn, CyclicLR.ScaleMode scaleMode) {
        this.scaleFn = fn;
        this.scaleMode = scaleMode;
        return this;
    }

    /** Cycle the groups' momentum inversely to the lr (default true; the optimizer needs a "momentum"). */
    public CyclicLROptions cycleMomentum(boolean v) {
        cycleMomentum = v;
        return this;
    }

    /** The lower momentum boundary, for every group (default 0.8). */
    public CyclicLROptions baseMomentum(double v) {
        baseMomentum = v;
        return this;
    }

    /** The lower momentum boundary of each group. */
    public CyclicLROptions baseMomentum(List<Double> v) {
        baseMomentum = List.copyOf(v);
        return this;
    }

    /** The upper momentum boundary, for every group (default 0.9). */
    public CyclicLROptions maxMomentum(double v) {
        maxMomentum = v;
        return this;
    }

    /** The upper momentum boundary of each group. */
    public CyclicLROptions maxMomentum(List<Double> v) {
        maxMomentum = List.copyOf(v);
        return this;
    }
}
