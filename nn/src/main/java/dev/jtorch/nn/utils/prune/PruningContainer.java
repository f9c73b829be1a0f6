package dev.jtorch.nn.utils.prune;

import dev.jtorch.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * PyTorch's {@code torch.nn.utils.prune.PruningContainer}: the pruning methods applied, in order, to one tensor
 * (iterative pruning). {@link BasePruningMethod#apply} makes one when a pruned tensor is pruned again; its
 * {@link #computeMask} applies the latest method to the part of the tensor not pruned yet and combines the result
 * with the mask so far (PyTorch's {@code _combine_masks}):
 * <ul>
 *   <li>{@code UNSTRUCTURED}: the new mask is computed on the flattened entries whose mask is 1;</li>
 *   <li>{@code STRUCTURED}: on the channels along the method's {@code dim} that are not entirely 0;</li>
 *   <li>{@code GLOBAL}: on all entries.</li>
 * </ul>
 *
 * <p>Args: the methods, acting on the same tensor (the first one's {@link #tensorName()}).
 *
 * <p>Attributes: the methods in order ({@link #get}, {@link #size}, iteration).
 *
 * <p>Example:
 * <pre>{@code
 * Prune.l1Unstructured(conv, "weight", 0.3);
 * Prune.lnStructured(conv, "weight", 0.5, 2, 0);
 * // the second mask zeroes half of the output channels that still have a nonzero entry
 * }</pre>
 */
public final class PruningContainer extends BasePruningMethod implements Iterable<BasePruningMethod> {
    private final List<BasePruningMethod> methods = new ArrayList<>();

    /** A container of {@code methods}; its tensor name is the first one's (none when empty). */
    public PruningContainer(BasePruningMethod... methods) {
        if (methods.length > 0) {
            tensorName = methods[0].tensorName;
        }
        for (BasePruningMethod m : methods) {
            addPruningMethod(m);
        }
    }

    /** Adds {@code method}, which must act on this container's tensor ({@code add_pruning_method}). */
    public void addPruningMethod(BasePruningMethod method) {
        if (method == null) {
            throw new IllegalArgumentException("null is not a BasePruningMethod subclass");
        }
        if (tensorName == null ? method.tensorName != null : !tensorName.equals(method.tensorName)) {
            throw new IllegalArgumentException("Can only add pruning methods acting on the parameter named '"
                    + tensorName + "' to PruningContainer " + this + ". Found '" + method.tensorName + "'");
        }
        methods.add(method);
    }

    /** The number of methods ({@code len}). */
    public int size() {
        return methods.size();
    }

    /** The {@code i}-th method. */
    public BasePruningMethod get(int i) {
        return methods.get(i);
    }

    @Override
    public Iterator<BasePruningMethod> iterator() {
        return Collections.unmodifiableList(methods).iterator();
    }

    /** The latest method's type (PyTorch's container has none of its own). */
    @Override
    public PruningType pruningType() {
        return last().pruningType();
    }

    private BasePruningMethod last() {
        if (methods.isEmpty()) {
            throw new IllegalStateException("PruningContainer is empty");
        }
        return methods.get(methods.size() - 1);
    }

    /**
     * The latest method's mask computed on the part of {@code t} that {@code defaultMask} left, combined with
     * {@code defaultMask}.
     */
    @Override
    public Tensor computeMask(Tensor t, Tensor defaultMask) {
        return combineMasks(last(), t, defaultMask);
    }

    /** PyTorch's {@code _combine_masks(method, t, mask)}. */
    static Tensor combineMasks(BasePruningMethod method, Tensor t, Tensor mask) {
        Tensor newMask = mask.to(t.dtype());
        switch (method.pruningType()) {
            case UNSTRUCTURED -> {
                Tensor flatMask = mask.reshape(-1);
                Tensor idx = Masks.positions(flatMask.eq(1.0));
                Tensor partial = method.computeMask(t.reshape(-1).indexSelect(0, idx), flatMask.indexSelect(0, idx));
                return Masks.put(newMask.reshape(-1), 0, idx, partial.to(newMask.dtype())).view(mask.shape());
            }
            case STRUCTURED -> {
                int nDims = t.dim();
                int dim = method.dim();
                if (dim < 0) {
                    dim = nDims + dim;
                }
                if (dim < 0) {
                    throw new IndexOutOfBoundsException("Index is out of bounds for tensor with dimensions " + nDims);
                }
                if (nDims <= 1 || dim >= nDims) {
                    // no channels to select: the method's own checks give PyTorch's error
                    return method.computeMask(t, mask).to(newMask.dtype());
                }
                int[] others = new int[nDims - 1];
                for (int d = 0, j = 0; d < nDims; d++) {
                    if (d != dim) {
                        others[j++] = d;
                    }
                }
                Tensor idx = Masks.positions(mask.sum(others, false).ne(0.0));
                Tensor partial = method.computeMask(t.indexSelect(dim, idx), mask.indexSelect(dim, idx));
                return Masks.put(newMask, dim, idx, partial.to(newMask.dtype()));
            }
            case GLOBAL -> {
                return method.computeMask(t, mask).to(newMask.dtype());
            }
            default -> throw new IllegalArgumentException("Unrecognized PRUNING_TYPE " + method.pruningType());
        }
    }

    @Override
    public String toString() {
        return "PruningContainer" + methods;
    }
}
