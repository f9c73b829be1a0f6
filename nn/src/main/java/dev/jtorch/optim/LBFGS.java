package dev.jtorch.optim;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * L-BFGS, like {@code torch.optim.LBFGS} (after minFunc): each {@link #step(Supplier)} runs up to
 * {@code maxIter} iterations of the two-loop recursion over the last {@code historySize} updates, with a fixed
 * step of {@code lr} or PyTorch's strong-Wolfe line search, and calls the closure to reevaluate the loss and its
 * gradient. It holds one parameter group, and works on all parameters flattened into one vector.
 *
 * <p>Args: {@code params}, and in {@link LBFGSOptions}: {@code lr} (default 1), {@code maxIter} (default 20),
 * {@code maxEval} (default {@code maxIter * 5 / 4}), {@code toleranceGrad} (default 1e-7),
 * {@code toleranceChange} (default 1e-9), {@code historySize} (default 100), {@code lineSearchFn} (default null,
 * or {@link LineSearch#STRONG_WOLFE}).
 *
 * <p>State (under the first parameter, with PyTorch's keys): {@code func_evals}, {@code n_iter} (Longs),
 * {@code al}, {@code d}, {@code t}, {@code old_dirs}, {@code old_stps}, {@code ro}, {@code H_diag},
 * {@code prev_flat_grad}, {@code prev_loss}. The scalars ({@code t}, {@code H_diag}, {@code prev_loss} and the
 * entries of {@code ro} and {@code al}) are Java doubles where PyTorch holds 0-dim tensors of the parameters'
 * dtype: the same numbers for float64 parameters, computed in double for float32 ones.
 *
 * <p>Example:
 * <pre>{@code
 * LBFGS opt = new LBFGS(model.parameters(), LBFGS.options().lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE));
 * Tensor loss = opt.step(() -> {
 *     opt.zeroGrad();
 *     Tensor l = lossFn(model.call(x), y);
 *     l.backward();
 *     return l;
 * });
 * }</pre>
 */
public class LBFGS extends Optimizer {
    /** The line searches PyTorch offers ({@code line_search_fn}). */
    public enum LineSearch {
        /** PyTorch's "strong_wolfe". */
        STRONG_WOLFE;

        /** PyTorch's name, "strong_wolfe". */
        public String pytorchName() {
            return "strong_wolfe";
        }

        /** From PyTorch's name; null for null (no line search). */
        public static LineSearch of(String name) {
            if (name == null) {
                return null;
            }
            if (name.equals("strong_wolfe")) {
                return STRONG_WOLFE;
            }
            throw new IllegalArgumentException("only 'strong_wolfe' is supported");
        }
    }

    private final List<Parameter> params;

    /** With PyTorch's defaults. */
    public LBFGS(List<? extends Parameter> params) {
        this(params, new LBFGSOptions());
    }

    /** With PyTorch's defaults and this learning rate. */
    public LBFGS(List<? extends Parameter> params, double lr) {
        this(params, new LBFGSOptions().lr(lr));
    }

    /** With the hyperparameters of {@code options}. */
    public LBFGS(List<? extends Parameter> params, LBFGSOptions options) {
        super(params, defaults(options));
        singleGroupOnly("LBFGS doesn't support per-parameter options (parameter groups)");
        this.params = paramGroups().get(0).params();
    }

    /** The options builder with PyTorch's defaults: {@code LBFGS.options().historySize(10)}. */
    public static LBFGSOptions options() {
        return new LBFGSOptions();
    }

    private static Map<String, Object> defaults(LBFGSOptions o) {
        check(o != null, "LBFGS: options must not be null (LBFGS.options() gives PyTorch's defaults)");
        check(o.maxIter > 0, "max_iter must be positive, got " + o.maxIter);
        int maxEval = o.maxEval == null ? o.maxIter * 5 / 4 : o.maxEval;
        check(maxEval > 0, "max_eval must be positive, got " + maxEval);
        check(o.historySize > 0, "history_size must be positive, got " + o.historySize);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", o.lr);
        d.put("max_iter", o.maxIter);
        d.put("max_eval", maxEval);
        d.put("tolerance_grad", o.toleranceGrad);
        d.put("tolerance_change", o.toleranceChange);
        d.put("history_size", o.historySize);
        d.put("line_search_fn", o.lineSearchFn == null ? null : o.lineSearchFn.pytorchName());
        return d;
    }

    /** Refused: L-BFGS reevaluates the loss, so it needs {@link #step(Supplier)}. */
    @Override
    public void step() {
        step(null);
    }

    /**
     * One optimization step: up to {@code max_iter} iterations, each calling {@code closure} (which must clear
     * the gradients, compute the loss, call backward and return the loss) at least once. Returns the loss of the
     * first evaluation, as PyTorch does.
     */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        if (closure == null) {
            throw new IllegalArgumentException("LBFGS.step needs a closure that reevaluates the model and returns "
                    + "the loss");
        }
        ParamGroup group = paramGroups().get(0);
        double lr = group.get("lr");
        int maxIter = (int) group.get("max_iter");
        int maxEval = (int) group.get("max_eval");
        double toleranceGrad = group.get("tolerance_grad");
        double toleranceChange = group.get("tolerance_change");
        LineSearch lineSearch = LineSearch.of((String) group.options().get("line_search_fn"));
        int historySize = (int) group.get("history_size");
        Map<String, Object> state = state(params.get(0));
        state.putIfAbsent("func_evals", 0L);
        state.putIfAbsent("n_iter", 0L);

        Tensor origLoss = evaluate(closure);
        double loss = origLoss.item();
        int currentEvals = 1;
        state.put("func_evals", (Long) state.get("func_evals") + 1);
        try (var _ = Autograd.noGrad()) {
            Tensor flatGrad = gatherFlatGrad();
            if (flatGrad.abs().max().item() <= toleranceGrad) {
                return origLoss;
            }
            Tensor d = (Tensor) state.get("d");
            double t = state.get("t") instanceof Number n ? n.doubleValue() : 0;
            List<Tensor> oldDirs = tensors(state.get("old_dirs"));
            List<Tensor> oldStps = tensors(state.get("old_stps"));
            List<Double> ro = doubles(state.get("ro"));
            double hDiag = state.get("H_diag") instanceof Number n ? n.doubleValue() : 1;
            Tensor prevFlatGrad = (Tensor) state.get("prev_flat_grad");
            double prevLoss = state.get("prev_loss") instanceof Number n ? n.doubleValue() : Double.NaN;
            int nIter = 0;
            while (nIter < maxIter) {
                nIter++;
                long globalIter = (Long) state.get("n_iter") + 1;
                state.put("n_iter", globalIter);
                if (globalIter == 1) {
                    d = flatGrad.neg();
                    oldDirs = new ArrayList<>();
                    oldStps = new ArrayList<>();
                    ro = new ArrayList<>();
                    hDiag = 1;
                } else {
                    Tensor y = flatGrad.sub(prevFlatGrad);
                    Tensor s = d.mul(t);
                    double ys = y.dot(s).item();
                    if (ys > 1e-10) {
                        if (oldDirs.size() == historySize) {
                            oldDirs.removeFirst();
                            oldStps.removeFirst();
                            ro.removeFirst();
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(1.0 / ys);
                        hDiag = ys / y.dot(y).item();
                    }
                    int numOld = oldDirs.size();
                    if (!state.containsKey("al")) {
                        List<Double> al = new ArrayList<>();
                        for (int i = 0; i < historySize; i++) {
                            al.add(null);
                        }
                        state.put("al", al);
                    }
                    List<Double> al = doubles(state.get("al"));
                    while (al.size() < numOld) {
                        al.add(null);
                    }
                    state.put("al", al);
                    Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--) {
                        al.set(i, oldStps.get(i).dot(q).item() * ro.get(i));
                        q.add_(oldDirs.get(i), -al.get(i));
                    }
                    Tensor r = q.mul(hDiag);
                    d = r;
                    for (int i = 0; i < numOld; i++) {
                        double be = oldDirs.get(i).dot(r).item() * ro.get(i);
                        r.add_(oldStps.get(i), al.get(i) - be);
                    }
                }
                if (prevFlatGrad == null) {
                    prevFlatGrad = flatGrad.clone();
                } else {
                    prevFlatGrad.copy_(flatGrad);
                }
                prevLoss = loss;
                t = globalIter == 1 ? Math.min(1.0, 1.0 / flatGrad.abs().sum().item()) * lr : lr;
                double gtd = flatGrad.dot(d).item();
                if (gtd > -toleranceChange) {
                    break;
                }
                int lsEvals = 0;
                boolean optCond = false;
                if (lineSearch == LineSearch.STRONG_WOLFE) {
                    List<Tensor> xInit = cloneParams();
                    Tensor dir = d;
                    StrongWolfe.Found found = StrongWolfe.search(s -> directionalEvaluate(closure, xInit, s, dir),
                            t, d, loss, flatGrad, gtd, toleranceChange);
                    loss = found.loss();
                    flatGrad = found.grad();
                    t = found.t();
                    lsEvals = found.evals();
                    addGrad(t, d);
                    optCond = flatGrad.abs().max().item() <= toleranceGrad;
                } else {
                    addGrad(t, d);
                    if (nIter != maxIter) {
                        loss = evaluate(closure).item();
                        flatGrad = gatherFlatGrad();
                        optCond = flatGrad.abs().max().item() <= toleranceGrad;
                        lsEvals = 1;
                    }
                }
                currentEvals += lsEvals;
                state.put("func_evals", (Long) state.get("func_evals") + lsEvals);
                if (nIter == maxIter || currentEvals >= maxEval || optCond) {
                    break;
                }
                if (d.mul(t).abs().max().item() <= toleranceChange) {
                    break;
                }
                if (Math.abs(loss - prevLoss) < toleranceChange) {
                    break;
                }
            }
            state.put("d", d);
            state.put("t", t);
            state.put("old_dirs", oldDirs);
            state.put("old_stps", oldStps);
            state.put("ro", ro);
            state.put("H_diag", hDiag);
            state.put("prev_flat_grad", prevFlatGrad);
            state.put("prev_loss", prevLoss);
        }
        return origLoss;
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamGroup group, Map<String, Object> state) {
        throw new IllegalStateException("LBFGS updates all parameters at once in step(closure)");
    }

    private static Tensor evaluate(Supplier<Tensor> closure) {
        Tensor loss;
        try (var _ = Autograd.enableGrad()) {
            loss = closure.get();
        }
        if (loss == null || loss.numel() != 1) {
            throw new IllegalArgumentException("the LBFGS closure must return the loss as a one-element tensor, got "
                    + (loss == null ? "null" : "shape " + java.util.Arrays.toString(loss.shape())));
        }
        return loss;
    }

    private Tensor gatherFlatGrad() {
        Tensor[] views = new Tensor[params.size()];
        for (int i = 0; i < views.length; i++) {
            Parameter p = params.get(i);
            Tensor g = p.grad();
            views[i] = g == null ? p.newFull(new int[] {(int) p.numel()}, 0, p.dtype()) : g.reshape(-1);
        }
        return Torch.cat(views, 0);
    }

    private void addGrad(double stepSize, Tensor update) {
        int offset = 0;
        for (Parameter p : params) {
            int n = (int) p.numel();
            p.add_(update.narrow(0, offset, n).viewAs(p), stepSize);
            offset += n;
        }
    }

    private List<Tensor> cloneParams() {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(p.detach().clone());
        }
        return out;
    }

    private StrongWolfe.Result directionalEvaluate(Supplier<Tensor> closure, List<Tensor> x, double t, Tensor d) {
        addGrad(t, d);
        double loss = evaluate(closure).item();
        Tensor flatGrad = gatherFlatGrad();
        for (int i = 0; i < params.size(); i++) {
            params.get(i).copy_(x.get(i));
        }
        return new StrongWolfe.Result(loss, flatGrad);
    }

    private static List<Tensor> tensors(Object o) {
        List<Tensor> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                out.add((Tensor) e);
            }
        }
        return out;
    }

    private static List<Double> doubles(Object o) {
        List<Double> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                out.add(e instanceof Number n ? n.doubleValue() : null);
            }
        }
        return out;
    }
}
