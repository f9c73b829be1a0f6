package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * Flattens a contiguous range of dims, like {@code torch.nn.Flatten}.
 *
 * <p>Args: {@code startDim} (default 1), {@code endDim} (default -1).
 *
 * <p>Shape: input (*, S_start, ..., S_end, *); output (*, prod(S_start..S_end), *).
 *
 * <p>Example: {@code new Flatten().call(Torch.randn(32, 1, 5, 5)).shape()  // [32, 25]}
 */
public class Flatten extends Module {
    /** First dim to flatten. */
    public final int startDim;
    /** Last dim to flatten. */
    public final int endDim;

    /** Flattens all but the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens startDim..endDim. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
