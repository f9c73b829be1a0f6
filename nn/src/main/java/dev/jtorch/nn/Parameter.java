package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * A tensor that is a module parameter, like {@code torch.nn.Parameter}: assigning it to a module with
 * {@link Module#registerParameter} makes it appear in {@link Module#parameters()} and in the state dict.
 * It shares the storage of the tensor it is made from and is a leaf that requires grad by default.
 *
 * <p>Args: {@code data} (the initial values), {@code requiresGrad} (default true).
 *
 * <p>Example: {@code Parameter w = new Parameter(Torch.randn(3, 4));}
 */
public class Parameter extends Tensor {
    /** A parameter over {@code data} that requires grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    /** A parameter over {@code data}. */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.detach());
        if (requiresGrad && !data.isFloatingPoint()) {
            throw new IllegalArgumentException("Only Tensors of floating point dtype can require gradients, got "
                    + data.dtype());
        }
        requiresGrad_(requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
