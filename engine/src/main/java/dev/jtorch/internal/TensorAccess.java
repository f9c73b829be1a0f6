package dev.jtorch.internal;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Node;

/**
 * The engine-internal view of {@link Tensor}'s autograd fields, for dev.jtorch.autograd. Not exported.
 */
public interface TensorAccess {
    /** Makes {@code node}'s output {@code outputNr} the history of {@code t} (sets requiresGrad). */
    void setGradFn(Tensor t, Node node, int outputNr);

    /** The leaf's gradient accumulator node, created on first use. */
    Node gradAccumulator(Tensor leaf);

    /** Element {@code i} in row-major logical order, as a double. */
    double getFlat(Tensor t, int i);

    /** Writes element {@code i} in row-major logical order without bumping the version. */
    void setFlat(Tensor t, int i, double v);

    /** The accessor, installed by Tensor's initialisation. */
    static TensorAccess get() {
        return Holder.access;
    }

    /** Installs the accessor; called once by Tensor. */
    static void install(TensorAccess a) {
        Holder.access = a;
    }

    /** Holds the singleton. */
    final class Holder {
        static TensorAccess access;

        private Holder() {
        }

        static {
            try {
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
