package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.internal.Numel;
import dev.jtorch.internal.TensorAccess;

import java.util.function.Function;

/** Central finite differences in float64 against the backward pass, one output element at a time. */
final class Gradcheck {
    private Gradcheck() {
    }

    static boolean check(Function<Tensor[], Tensor> fn, Tensor[] inputs, double eps, double atol, double rtol) {
        TensorAccess access = TensorAccess.get();
        int diff = 0;
        for (int i = 0; i < inputs.length; i++) {
            Autograd.requireDouble(inputs[i], i);
            if (inputs[i].requiresGrad()) {
                diff++;
            }
        }
        if (diff == 0) {
            throw new IllegalArgumentException("gradcheck expects at least one input tensor to require gradient");
        }
        Tensor[] wrt = new Tensor[diff];
        int[] wrtIndex = new int[diff];
        for (int i = 0, k = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                wrt[k] = inputs[i];
                wrtIndex[k++] = i;
            }
        }
        Tensor out;
        try (var _ = Autograd.enableGrad()) {
            out = fn.apply(inputs);
        }
        int m = Numel.of(out);
        // analytical[k][j][e]: d out[j] / d wrt[k][e]
        double[][][] analytical = new double[diff][m][];
        for (int j = 0; j < m; j++) {
            double[] onehot = new double[m];
            onehot[j] = 1;
            Tensor seed = Torch.tensor(onehot).reshape(out.shape()).to(out.dtype()).to(out.device());
            Tensor[] grads = out.requiresGrad()
                    ? Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {seed}, true, true)
                    : new Tensor[diff];
            for (int k = 0; k < diff; k++) {
                analytical[k][j] = grads[k] == null ? new double[Numel.of(wrt[k])] : grads[k].toDoubleArray();
            }
        }
        try (var _ = Autograd.noGrad()) {
            for (int k = 0; k < diff; k++) {
                Tensor x = wrt[k];
                for (int e = 0, n = Numel.of(x); e < n; e++) {
                    double orig = access.getFlat(x, e);
                    access.setFlat(x, e, orig + eps);
                    double[] plus = fn.apply(inputs).toDoubleArray();
                    access.setFlat(x, e, orig - eps);
                    double[] minus = fn.apply(inputs).toDoubleArray();
                    access.setFlat(x, e, orig);
                    for (int j = 0; j < m; j++) {
                        double num = (plus[j] - minus[j]) / (2 * eps);
                        double ana = analytical[k][j][e];
                        if (!(Math.abs(ana - num) <= atol + rtol * Math.abs(num))) {
                            throw new GradcheckError("Jacobian mismatch for output 0 with respect to input "
                                    + wrtIndex[k] + ",\nnumerical: " + num + "\nanalytical: " + ana
                                    + "\nat output element " + j + ", input element " + e + " (eps " + eps
                                    + ", atol " + atol + ", rtol " + rtol + ")");
                        }
                    }
                }
            }
        }
        return true;
    }
}
