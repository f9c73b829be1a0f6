package dev.jtorch.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Multiplies each group's lr by a function of the epoch at every step (from epoch 1), like
 * {@code torch.optim.lr_scheduler.MultiplicativeLR}.
 *
 * <p>Args: {@code optimizer}, {@code lrLambda} (one function for every group, or a list with one per group).
 *
 * <p>State dict: {@code lr_lambdas} holds one null per group, as PyTorch stores for functions and lambdas.
 *
 * <p>Example: {@code new MultiplicativeLR(opt, epoch -> 0.95)}
 */
public class MultiplicativeLR extends LRScheduler {
    private final List<IntToDoubleFunction> lrLambdas;

    /** The same factor function for every group. */
    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, Collections.nCopies(LambdaLR.groupCount(optimizer), lrLambda));
    }

    /** One factor function per group. */
    public MultiplicativeLR(Optimizer optimizer, List<? extends IntToDoubleFunction> lrLambdas) {
        super(LambdaLR.checkLambdas(optimizer, lrLambdas));
        this.lrLambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = groupLrs();
        if (lastEpoch <= 0) {
            return lrs;
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < lrs.size(); i++) {
            out.add(lrs.get(i) * lrLambdas.get(i).applyAsDouble(lastEpoch));
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
