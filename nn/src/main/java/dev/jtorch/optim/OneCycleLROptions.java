package dev.jtorch.optim;

import java.util.List;

/**
 * The arguments of {@link OneCycleLR} with PyTorch's names and defaults: {@code maxLr} (required; one value for
 * every group, or a list with one per group), {@code totalSteps}, or {@code epochs} and {@code stepsPerEpoch}
 * (one of the two is required), {@code pctStart} 0.3, {@code annealStrategy} COS, {@code cycleMomentum} true,
 * {@code baseMomentum} 0.85, {@code maxMomentum} 0.95, {@code divFactor} 25, {@code finalDivFactor} 1e4,
 * {@code threePhase} false.
 *
 * <p>Example: {@code new OneCycleLR(opt, OneCycleLR.options(0.01).epochs(10).stepsPerEpoch(len))}.
 */
public final class OneCycleLROptions {
    Object maxLr;
    Integer totalSteps;
    Integer epochs;
    Integer stepsPerEpoch;
    double pctStart = 0.3;
    OneCycleLR.AnnealStrategy annealStrategy = OneCycleLR.AnnealStrategy.COS;
    boolean cycleMomentum = true;
    Object baseMomentum = 0.85;
    Object maxMomentum = 0.95;
    double divFactor = 25.;
    double finalDivFactor = 1e4;
    boolean threePhase;

    /** The peak lr, the same for every group. */
    public OneCycleLROptions(double maxLr) {
        this.maxLr = maxLr;
    }

    /** The peak lr of each group. */
    public OneCycleLROptions maxLr(List<Double> v) {
        maxLr = List.copyOf(v);
        return this;
    }

    /** The number of steps in the cycle. */
    public OneCycleLROptions totalSteps(int v) {
        totalSteps = v;
        return this;
    }

    /** With {@link #stepsPerEpoch}, gives the total steps when {@link #totalSteps} is not set. */
    public OneCycleLROptions epochs(int v) {
        epochs = v;
        return this;
    }

    /** With {@link #epochs}, gives the total steps when {@link #totalSteps} is not set. */
    public OneCycleLROptions stepsPerEpoch(int v) {
        stepsPerEpoch = v;
        return this;
    }

    /** The fraction of the cycle spent increasing the lr (default 0.3). */
    public OneCycleLROptions pctStart(double v) {
        pctStart = v;
        return this;
    }

    /** Cosine or linear annealing (default COS). */
    public OneCycleLROptions annealStrategy(OneCycleLR.AnnealStrategy v) {
        annealStrategy = v;
        return this;
    }

    /** Cycle the momentum (SGD's "momentum" or Adam's beta1) inversely to the lr (default true). */
    public OneCycleLROptions cycleMomentum(boolean v) {
        cycleMomentum = v;
        return this;
    }

    /** The lower momentum boundary, for every group (default 0.85). */
    public OneCycleLROptions baseMomentum(double v) {
        baseMomentum = v;
        return this;
    }

    /** The lower momentum boundary of each group. */
    public OneCycleLROptions baseMomentum(List<Double> v) {
        baseMomentum = List.copyOf(v);
        return this;
    }

    /** The upper momentum boundary, for every group (default 0.95). */
    public OneCycleLROptions maxMomentum(double v) {
        maxMomentum = v;
        return this;
    }

    /** The upper momentum boundary of each group. */
    public OneCycleLROptions maxMomentum(List<Double> v) {
        maxMomentum = List.copyOf(v);
        return this;
    }

    /** The initial lr is {@code maxLr / divFactor} (default 25). */
    public OneCycleLROptions divFactor(double v) {
        divFactor = v;
        return this;
    }

    /** The final lr is {@code initialLr / finalDivFactor} (default 1e4). */
    public OneCycleLROptions finalDivFactor(double v) {
        finalDivFactor = v;
        return this;
    }

    /** A third phase annihilates the lr, and the first two are symmetric (the original paper; default false). */
    public OneCycleLROptions threePhase(boolean v) {
        threePhase = v;
        return this;
    }
}
