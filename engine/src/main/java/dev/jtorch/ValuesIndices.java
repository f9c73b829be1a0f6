package dev.jtorch;

/**
 * Values and their int64 indices along a dim: what {@link Tensor#sort}, {@link Tensor#topk} and
 * {@link Tensor#kthvalue} return, as PyTorch's named tuples {@code torch.return_types.sort}, {@code topk} and
 * {@code kthvalue} (fields {@code values}, {@code indices}, in that order).
 *
 * <p>Example:
 * <pre>{@code
 * ValuesIndices top = x.topk(3);
 * Tensor best = top.values();
 * Tensor where = top.indices();
 * }</pre>
 *
 * @param values the selected (or sorted) elements, of the input's dtype; differentiable when the input is
 * @param indices their positions along the dim, int64
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    /** Element {@code i} of the pair as a tuple: 0 the values, 1 the indices ({@code result[i]} in PyTorch). */
    public Tensor get(int i) {
        return switch (i) {
            case 0, -2 -> values;
            case 1, -1 -> indices;
            default -> throw new IndexOutOfBoundsException("tuple index out of range: " + i + " (values, indices)");
        };
    }
}
