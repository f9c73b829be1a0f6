package dev.jtorch.optim;

/**
 * The hyperparameters of {@link LBFGS} with PyTorch's names and defaults: {@code lr} 1, {@code maxIter} 20,
 * {@code maxEval} (default {@code maxIter * 5 / 4}), {@code toleranceGrad} 1e-7, {@code toleranceChange} 1e-9,
 * {@code historySize} 100, {@code lineSearchFn} null (no line search; {@link LBFGS.LineSearch#STRONG_WOLFE} for
 * PyTorch's "strong_wolfe").
 *
 * <p>Example: {@code new LBFGS(params, LBFGS.options().historySize(10).lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE))}.
 */
public final class LBFGSOptions {
    double lr = 1;
    int maxIter = 20;
    Integer maxEval;
    double toleranceGrad = 1e-7;
    double toleranceChange = 1e-9;
    int historySize = 100;
    LBFGS.LineSearch lineSearchFn;

    /** PyTorch's defaults. */
    public LBFGSOptions() {
    }

    /** Learning rate (default 1). */
    public LBFGSOptions lr(double v) {
        lr = v;
        return this;
    }

    /** Maximal number of iterations per {@code step} (default 20). */
    public LBFGSOptions maxIter(int v) {
        maxIter = v;
        return this;
    }

    /** Maximal number of function evaluations per {@code step} (default {@code maxIter * 5 / 4}). */
    public LBFGSOptions maxEval(int v) {
        maxEval = v;
        return this;
    }

    /** Termination tolerance on first-order optimality, the largest gradient magnitude (default 1e-7). */
    public LBFGSOptions toleranceGrad(double v) {
        toleranceGrad = v;
        return this;
    }

    /** Termination tolerance on function value and parameter changes (default 1e-9). */
    public LBFGSOptions toleranceChange(double v) {
        toleranceChange = v;
        return this;
    }

    /** Number of past updates kept (default 100). */
    public LBFGSOptions historySize(int v) {
        historySize = v;
        return this;
    }

    /** The line search: null (default, a fixed step of {@code lr}) or {@link LBFGS.LineSearch#STRONG_WOLFE}. */
    public LBFGSOptions lineSearchFn(LBFGS.LineSearch v) {
        lineSearchFn = v;
        return this;
    }
}
