package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.nn.functional.F;

/**
 * log(sigmoid(x)), computed stably. Like {@code torch.nn.LogSigmoid}.
 *
 * <p>Args: none.
 *
 * <p>Shape: input (*), any shape; output (*), the same shape.
 *
 * <p>Example: {@code Tensor y = new LogSigmoid().call(Torch.randn(2, 3));}
 */
public class LogSigmoid extends Module {

    /** The module (it has no arguments). */
    public LogSigmoid() {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logsigmoid(input);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
