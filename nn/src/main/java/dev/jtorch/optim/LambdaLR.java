package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's lr to its initial lr times a function of the epoch, like
 * {@code torch.optim.lr_scheduler.LambdaLR}.
 *
 * <p>Args: {@code optimizer}, {@code lrLambda} (one function for every group, or a list with one per group).
 *
 * <p>State dict: as PyTorch stores for functions and lambdas, {@code lr_lambdas} holds one null per group (the
 * functions themselves are not saved; the scheduler that loads the state keeps its own).
 *
 * <p>Example: {@code new LambdaLR(opt, epoch -> Math.pow(0.95, epoch))}
 */
public class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lrLambdas;

    /** The same factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, Collections.nCopies(groupCount(optimizer), lrLambda));
    }

    /** One factor function per group. */
    public LambdaLR(Optimizer optimizer, List<? extends IntToDoubleFunction> lrLambdas) {
        super(checkLambdas(optimizer, lrLambdas));
        this.lrLambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    static int groupCount(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("null is not an Optimizer");
        }
        return optimizer.paramGroups().size();
    }

    static Optimizer checkLambdas(Optimizer optimizer, List<?> lambdas) {
        int groups = groupCount(optimizer);
        if (lambdas == null || lambdas.size() != groups) {
            throw new IllegalArgumentException("Expected " + groups + " lr_lambdas, but got "
                    + (lambdas == null ? 0 : lambdas.size()));
        }
        for (Object l : lambdas) {
            if (l == null) {
                throw new IllegalArgumentException("lr_lambda must be a function, got null");
            }
        }
        return optimizer;
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < baseLrs.size(); i++) {
            out.add(baseLrs.get(i) * lrLambdas.get(i).applyAsDouble(lastEpoch));
        }
        return out;
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = super.stateDict();
        sd.put("lr_lambdas", new ArrayList<>(Collections.nCopies(lrLambdas.size(), null)));
        return sd;
    }
}
