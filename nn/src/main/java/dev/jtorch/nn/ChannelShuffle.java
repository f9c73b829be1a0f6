package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * Interleaves the channels of g groups (ShuffleNet), like {@code torch.nn.ChannelShuffle}: channel i of group k moves
 * to position i g + k. (PyTorch 1.13 has no gradient for it; jtorch has.)
 *
 * <p>Args: {@code groups}.
 *
 * <p>Shape: input (N, C, *) with C divisible by groups; output the same.
 *
 * <p>Example: {@code new ChannelShuffle(2).call(Torch.randn(1, 4, 2, 2))}
 */
public class ChannelShuffle extends Module {
    /** The factor. */
    public final int groups;

    /** With the factor. */
    public ChannelShuffle(int groups) {
        this.groups = groups;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.channelShuffle(input, groups);
    }

    @Override
    public String extraRepr() {
        return "groups=" + groups;
    }
}
