package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ModuleList;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.internal.ModuleAccess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.nn.utils.parametrize.ParametrizationList}: the parametrizations of one tensor of a module (children
 * {@code "0"}, {@code "1"}, ...) and the {@code original} parameter or buffer they are applied to (or
 * {@code original0}, {@code original1}, ... when the first parametrization's right inverse returns several tensors,
 * see {@link Parametrize.RightInverseSequence}). It is {@code module.parametrizations.<name>}; registering a
 * parametrization creates it ({@link Parametrize#registerParametrization}), a user does not.
 *
 * <p>Attributes: {@code original} (or {@code original0}, ...): the unconstrained tensor(s). When the right inverse
 * returns one tensor, {@code original} is the same Parameter object that the module held under the name (its
 * values replaced by the right inverse's, as PyTorch's {@code set_}), so a layer's Java field and an optimizer built
 * before the registration still hold it.
 *
 * <p>Example:
 * <pre>{@code
 * Parametrize.registerParametrization(linear, "weight", new Symmetric());
 * ParametrizationList list = Parametrize.parametrizations(linear, "weight");
 * Tensor w = list.forward();          // what linear.attr("weight") gives
 * list.rightInverse(someSymmetric);   // PyTorch's linear.weight = someSymmetric
 * }</pre>
 */
public final class ParametrizationList extends ModuleList {
    private boolean unsafe;
    private final boolean isTensor;
    private final int ntensors;

    /**
     * Registers {@code original} (after the parametrization's right inverse) under {@code original} or
     * {@code original0, ...}, checking what PyTorch checks; {@code original} is changed only when every check
     * passes.
     */
    ParametrizationList(Module parametrization, Tensor original, boolean unsafe) {
        super(parametrization);
        this.unsafe = unsafe;
        int[] originalShape = original.shape();
        Object inverse;
        try (var _ = Autograd.noGrad()) {
            inverse = Parametrize.rightInverseOrIdentity(parametrization, original);
        }
        this.isTensor = inverse instanceof Tensor;
        List<Tensor> many = isTensor ? List.of() : Parametrize.sequence(inverse);
        this.ntensors = isTensor ? 1 : many.size();
        if (isTensor) {
            Tensor t = (Tensor) inverse;
            if (t.dtype() != original.dtype()) {
                throw new IllegalArgumentException("When `right_inverse` outputs one tensor, it may not change the "
                        + "dtype.\noriginal.dtype: " + original.dtype() + "\nright_inverse(original).dtype: "
                        + t.dtype());
            }
        }
        if (!unsafe) {
            Tensor z = isTensor ? parametrization.call((Tensor) inverse) : parametrization.call(many.toArray(Tensor[]::new));
            checkConsistent(z, original.dtype(), originalShape);
        }
        if (isTensor) {
            Tensor t = (Tensor) inverse;
            if (t != original) {
                try (var _ = Autograd.noGrad()) {
                    original.setData(t.detach());
                }
            }
            registerOriginal("original", original);
        } else {
            for (int i = 0; i < many.size(); i++) {
                Tensor oi = many.get(i);
                if (original instanceof Parameter) {
                    oi = new Parameter(oi, original.requiresGrad());
                } else {
                    oi.requiresGrad_(original.requiresGrad());
                }
                registerOriginal("original" + i, oi);
            }
        }
    }

    private static void checkConsistent(Tensor z, dev.jtorch.DType dtype, int[] shape) {
        if (z == null) {
            throw new IllegalArgumentException("A parametrization must return a tensor. Got NoneType.");
        }
        if (z.dtype() != dtype) {
            throw new IllegalArgumentException("Registering a parametrization may not change the dtype of the "
                    + "tensor, unless `unsafe` flag is enabled.\nunparametrized dtype: " + dtype
                    + "\nparametrized dtype: " + z.dtype());
        }
        if (!Arrays.equals(z.shape(), shape)) {
            throw new IllegalArgumentException("Registering a parametrization may not change the shape of the "
                    + "tensor, unless `unsafe` flag is enabled.\nunparametrized shape: " + Parametrize.size(shape)
                    + "\nparametrized shape: " + Parametrize.size(z.shape()));
        }
    }

    private void registerOriginal(String name, Tensor t) {
        if (t instanceof Parameter p) {
            registerParameter(name, p);
        } else {
            registerBuffer(name, t);
        }
    }

    /** Whether the first right inverse returned one tensor ({@code original}) rather than a sequence. */
    public boolean isTensor() {
        return isTensor;
    }

    /** How many originals there are (1 for {@code original}). */
    public int ntensors() {
        return ntensors;
    }

    /** Whether shape and dtype changes are allowed ({@code unsafe}, or-ed over the registrations). */
    public boolean unsafe() {
        return unsafe;
    }

    void orUnsafe(boolean u) {
        unsafe |= u;
    }

    /** The registered {@code original} parameter or buffer (the one of a one-tensor right inverse). */
    public Tensor original() {
        return registered("original");
    }

    /** The registered {@code original<i>} of a right inverse that returned several tensors. */
    public Tensor original(int i) {
        return registered("original" + i);
    }

    private Tensor registered(String name) {
        ModuleAccess a = ModuleAccess.get();
        if (a.isParameter(this, name)) {
            return parameter(name);
        }
        if (a.isBuffer(this, name)) {
            return buffer(name);
        }
        throw new IllegalArgumentException("'ParametrizationList' object has no attribute '" + name + "'");
    }

    /**
     * {@code right_inverse(value)} (what PyTorch's {@code module.name = value} calls): runs the right inverses of the
     * parametrizations in reverse order without gradient and stores the result in the originals (in place, keeping
     * the objects).
     *
     * @throws UnsupportedOperationException when a parametrization has no right inverse
     * @throws IllegalArgumentException when the result does not fit the originals
     */
    public void rightInverse(Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException("right_inverse: value must be a tensor, got null");
        }
        Object v = value;
        try (var _ = Autograd.noGrad()) {
            List<Module> mods = new ArrayList<>();
            for (Module m : this) {
                mods.add(m);
            }
            for (int i = mods.size() - 1; i >= 0; i--) {
                Module m = mods.get(i);
                if (!(v instanceof Tensor t)) {
                    throw new IllegalArgumentException("`right_inverse` should return a tensor. Got "
                            + (v == null ? "NoneType" : v.getClass().getSimpleName()));
                }
                if (m instanceof Parametrize.RightInverse r) {
                    v = r.rightInverse(t);
                } else if (m instanceof Parametrize.RightInverseSequence r) {
                    v = r.rightInverse(t);
                } else {
                    throw new UnsupportedOperationException("parametrization " + m.name() + " does not implement "
                            + "right_inverse.");
                }
            }
            if (isTensor) {
                if (!(v instanceof Tensor t)) {
                    throw new IllegalArgumentException("`right_inverse` should return a tensor. Got "
                            + (v == null ? "NoneType" : v.getClass().getSimpleName()));
                }
                Tensor original = original();
                if (t.dtype() != original.dtype()) {
                    throw new IllegalArgumentException("The tensor returned by `right_inverse` has dtype " + t.dtype()
                            + " while `original` has dtype " + original.dtype());
                }
                original.setData(t.detach());
            } else {
                if (!(v instanceof List<?>)) {
                    throw new IllegalArgumentException("'right_inverse' must return a sequence of tensors. Got "
                            + (v == null ? "NoneType" : v.getClass().getSimpleName()) + ".");
                }
                List<Tensor> seq = Parametrize.sequence(v);
                if (seq.size() != ntensors) {
                    throw new IllegalArgumentException("'right_inverse' must return a sequence of tensors of length "
                            + ntensors + ". Got a sequence of lenght " + seq.size() + ".");
                }
                for (int i = 0; i < seq.size(); i++) {
                    Tensor oi = original(i);
                    if (oi.dtype() != seq.get(i).dtype()) {
                        throw new IllegalArgumentException("Tensor " + i + " returned by `right_inverse` has dtype "
                                + seq.get(i).dtype() + " while `original" + i + "` has dtype " + oi.dtype());
                    }
                }
                for (int i = 0; i < seq.size(); i++) {
                    original(i).setData(seq.get(i).detach());
                }
            }
        }
    }

    /**
     * The parametrized tensor: the first parametrization called on the original(s) (read through {@link #attr}, so
     * a functional call's {@code parametrizations.<name>.original} applies), then each further one on the result.
     */
    public Tensor forward() {
        Tensor x;
        if (isTensor) {
            x = get(0).call(attr("original"));
        } else {
            Tensor[] originals = new Tensor[ntensors];
            for (int i = 0; i < ntensors; i++) {
                originals[i] = attr("original" + i);
            }
            x = get(0).call(originals);
        }
        for (int i = 1; i < size(); i++) {
            x = get(i).call(x);
        }
        return x;
    }

    /** {@code parametrizations.weight()}: no inputs runs {@link #forward()}. */
    @Override
    protected Tensor forwardInputs(Tensor[] inputs) {
        if (inputs.length == 0) {
            return forward();
        }
        return super.forwardInputs(inputs);
    }
}
