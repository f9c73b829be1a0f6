package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.Tanh;

import java.util.function.Supplier;

/** The tests' models, instantiable by class name. */
final class TestModels {
    private TestModels() {
    }

    /** tools/parity/gen_spark_goldens.py's classifier: Linear(8, 16), Tanh, Linear(16, 3). */
    public static final class Mlp extends Sequential {
        /** Fresh weights. */
        public Mlp() {
            super(new Linear(8, 16), new Tanh(), new Linear(16, 3));
        }
    }

    /** The same classifier in float64, as a Supplier. */
    public static final class Mlp64 implements Supplier<Module> {
        @Override
        public Module get() {
            return new Mlp().to(DType.FLOAT64);
        }
    }
}
