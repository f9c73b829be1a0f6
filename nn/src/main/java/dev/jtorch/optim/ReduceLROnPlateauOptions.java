package dev.jtorch.optim;

import java.util.List;

/**
 * The arguments of {@link ReduceLROnPlateau} with PyTorch's names and defaults: {@code mode} MIN, {@code factor}
 * 0.1, {@code patience} 10, {@code threshold} 1e-4, {@code thresholdMode} REL, {@code cooldown} 0, {@code minLr}
 * 0 (one value for every group, or a list with one per group), {@code eps} 1e-8.
 *
 * <p>Example: {@code new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().mode(ReduceLROnPlateau.Mode.MAX)
 * .patience(3))}.
 */
public final class ReduceLROnPlateauOptions {
    ReduceLROnPlateau.Mode mode = ReduceLROnPlateau.Mode.MIN;
    double factor = 0.1;
    int patience = 10;
    double threshold = 1e-4;
    ReduceLROnPlateau.ThresholdMode thresholdMode = ReduceLROnPlateau.ThresholdMode.REL;
    int cooldown;
    Object minLr = 0.0;
    double eps = 1e-8;

    /** PyTorch's defaults. */
    public ReduceLROnPlateauOptions() {
    }

    /** Reduce when the metric stops decreasing (MIN, default) or increasing (MAX). */
    public ReduceLROnPlateauOptions mode(ReduceLROnPlateau.Mode v) {
        mode = v;
        return this;
    }

    /** The lr is multiplied by this factor (below 1; default 0.1). */
    public ReduceLROnPlateauOptions factor(double v) {
        factor = v;
        return this;
    }

    /** Epochs without improvement before the lr is reduced (default 10). */
    public ReduceLROnPlateauOptions patience(int v) {
        patience = v;
        return this;
    }

    /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
    public ReduceLROnPlateauOptions threshold(double v) {
        threshold = v;
        return this;
    }

    /** Relative (REL, default) or absolute (ABS) threshold. */
    public ReduceLROnPlateauOptions thresholdMode(ReduceLROnPlateau.ThresholdMode v) {
        thresholdMode = v;
        return this;
    }

    /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
    public ReduceLROnPlateauOptions cooldown(int v) {
        cooldown = v;
        return this;
    }

    /** A lower bound on the lr of every group (default 0). */
    public ReduceLROnPlateauOptions minLr(double v) {
        minLr = v;
        return this;
    }

    /** A lower bound on the lr of each group. */
    public ReduceLROnPlateauOptions minLr(List<Double> v) {
        minLr = List.copyOf(v);
        return this;
    }

    /** A reduction smaller than this is skipped (default 1e-8). */
    public ReduceLROnPlateauOptions eps(double v) {
        eps = v;
        return this;
    }
}
