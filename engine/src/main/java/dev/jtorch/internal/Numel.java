package dev.jtorch.internal;

import dev.jtorch.Tensor;
import dev.jtorch.backend.View;


/**
 * Element counts where jtorch needs an int. {@link Tensor#numel()} is a long, as PyTorch's int64 numel:
 * views (expand, as_strided) can have more than 2^31 - 1 elements even though no storage can. Allocation, the
 * kernels and host copies index with an int, so they take the count through here, which refuses a larger one
 * with a message instead of wrapping. Not exported (nn reads it through a qualified export).
 */
public final class Numel {
    /** The most elements a storage or one kernel call handles. */
    public static final int LIMIT = View.LIMIT;

    private Numel() {
    }

    /** {@code t.numel()} as an int, or an IllegalArgumentException naming the limit. */
    public static int of(Tensor t) {
        return toInt(t.numel(), t.shape());
    }

    /** A count of the tensor of {@code shape} as an int, or an IllegalArgumentException naming the limit. */
    public static int toInt(long count, int[] shape) {
        return View.intCount(count, shape);
    }

    /** A size along one dim as an int, or an IllegalArgumentException naming the limit ({@code what}: whose). */
    public static int dimSize(long size, String what) {
        if (size > LIMIT) {
            throw new IllegalArgumentException(what + " would have size " + size + ", more than jtorch's limit of "
                    + LIMIT + " per dimension");
        }
        return (int) size;
    }
}
