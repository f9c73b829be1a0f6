package dev.jtorch.spark;

import dev.jtorch.nn.Parameter;
import dev.jtorch.optim.Adam;
import dev.jtorch.optim.Optimizer;
import dev.jtorch.optim.SGD;

import java.io.Serializable;
import java.util.List;

/**
 * Makes the optimizer over a module's parameters: on the driver for synchronous training, and on each executor
 * for the local steps of model averaging (so it is {@link Serializable}).
 *
 * <p>Example: {@code OptimizerFactory o = p -> new SGD(p, SGD.options(0.1).momentum(0.9));}
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer over {@code params}. */
    Optimizer create(List<Parameter> params);

    /** Plain SGD at learning rate {@code lr}. */
    static OptimizerFactory sgd(double lr) {
        return p -> new SGD(p, lr);
    }

    /** Adam at learning rate {@code lr}, PyTorch's other defaults. */
    static OptimizerFactory adam(double lr) {
        return p -> new Adam(p, lr);
    }
}
