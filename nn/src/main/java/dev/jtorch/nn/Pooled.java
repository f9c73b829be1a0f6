package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * A pooling layer's output with the positions of its maxima ({@code return_indices=True} in PyTorch): the
 * indices index each flattened input plane and feed {@code MaxUnpool}.
 *
 * @param output  the pooled values
 * @param indices int64 positions of each maximum in its input plane
 */
public record Pooled(Tensor output, Tensor indices) {
}
