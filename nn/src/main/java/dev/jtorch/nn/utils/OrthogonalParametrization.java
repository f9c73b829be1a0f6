package dev.jtorch.nn.utils;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;

import java.util.Arrays;

/**
 * PyTorch's {@code _Orthogonal} (torch/nn/utils/parametrizations.py), the parametrization that
 * {@link Parametrizations#orthogonal} registers: maps a matrix or batch of matrices {@code (..., n, k)} to one with
 * orthonormal columns ({@code n >= k}) or rows ({@code n < k}).
 *
 * <p>Args: {@code weight} (the tensor it will parametrize: its shape is kept for {@link #rightInverse});
 * {@code orthogonalMap}; {@code useTrivialization}.
 *
 * <p>Attributes: {@code base} (a buffer, only with {@code useTrivialization}): the orthogonal {@code n x n} matrix
 * the map's output is multiplied by, set by {@link #rightInverse}.
 *
 * <p>Forward (as PyTorch): transpose to a tall matrix; {@code matrix_exp} and {@code cayley} take the lower
 * triangle of {@code X}, embedded in a square matrix, {@code A = X - X^T}, and {@code exp(A)} or
 * {@code (I - A/2)^{-1}(I + A/2)}, then the first k columns; {@code householder} takes the product of the
 * Householder reflectors below the diagonal of {@code X} (with {@code tau = 2 / (1 + |v|^2)}) times the signs
 * on its diagonal (not differentiated). Then {@code base @ Q} with trivialization, and the transpose back.
 *
 * <p>Example: {@code Parametrizations.orthogonal(new Linear(20, 40))}; the module's
 * {@code parametrizations.weight.0} is this.
 */
public final class OrthogonalParametrization extends Module implements Parametrize.RightInverse {
    private final int[] shape;
    private final Parametrizations.OrthogonalMap orthogonalMap;
    private final boolean useTrivialization;

    /** The parametrization of a tensor shaped as {@code weight}. */
    public OrthogonalParametrization(Tensor weight, Parametrizations.OrthogonalMap orthogonalMap,
                                     boolean useTrivialization) {
        this.shape = weight.shape();
        this.orthogonalMap = orthogonalMap;
        this.useTrivialization = useTrivialization;
        if (useTrivialization) {
            registerBuffer("base", null);
        }
    }

    /** PyTorch's class name, for {@code toString()}. */
    @Override
    public String name() {
        return "_Orthogonal";
    }

    /** The map. */
    public Parametrizations.OrthogonalMap orthogonalMap() {
        return orthogonalMap;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        int n = x.size(-2);
        int k = x.size(-1);
        boolean transposed = n < k;
        if (transposed) {
            x = x.transpose(-2, -1);
            int t = n;
            n = k;
            k = t;
        }
        Tensor q;
        if (orthogonalMap != Parametrizations.OrthogonalMap.HOUSEHOLDER) {
            x = x.tril();
            if (n != k) {
                int[] zs = x.shape();
                zs[zs.length - 1] = n - k;
                x = Torch.cat(new Tensor[] {x, Torch.zeros(x.dtype(), x.device(), zs)}, -1);
            }
            Tensor a = x.sub(x.transpose(-2, -1));
            if (orthogonalMap == Parametrizations.OrthogonalMap.MATRIX_EXP) {
                q = MatrixFunctions.matrixExp(a);
            } else {
                Tensor id = MatrixFunctions.eye(n, n, a);
                q = MatrixFunctions.solveUnpivoted(id.add(a, -0.5), id.add(a, 0.5));
            }
            if (n != k) {
                q = q.narrow(-1, 0, k);
            }
        } else {
            Tensor a = x.tril(-1);
            Tensor tau = a.mul(a).sum(-2).add(1.0).reciprocal().mul(2.0);
            q = MatrixFunctions.householderProduct(a, tau);
            // the diagonal of X holds the signs (1 and -1); it is not differentiated (PyTorch casts it to int)
            q = q.mul(MatrixFunctions.diagonal(x.detach()).trunc().unsqueeze(-2));
        }
        if (useTrivialization) {
            Tensor base = attr("base");
            if (base == null) {
                // PyTorch fails here too (None @ Q): the base is set by right_inverse, which does not run when
                // orthogonal is appended to an existing parametrization
                throw new IllegalStateException("orthogonal: the parametrization's base was never set: register "
                        + "orthogonal as the first parametrization of the tensor (appended to another one, its "
                        + "right_inverse does not run)");
            }
            q = base.matmul(q);
        }
        if (transposed) {
            q = q.transpose(-2, -1);
        }
        return q;
    }

    /**
     * {@code right_inverse(Q)} without gradient. With trivialization: stores in {@code base} an orthogonal completion
     * of {@code Q} ({@code Q} itself if orthogonal, else the Q of its QR decomposition; a non-square {@code Q} is
     * completed with {@code randn} columns from the global generator) and returns {@code -I}. Without: for
     * {@code householder}, the reflectors of the QR decomposition of {@code Q} with the signs on the diagonal; for
     * the other maps it throws {@link UnsupportedOperationException} (PyTorch's {@code NotImplementedError}, so
     * registration keeps the tensor as is).
     *
     * @throws IllegalArgumentException when {@code value} does not have the registered shape
     */
    @Override
    public Tensor rightInverse(Tensor value) {
        if (!Arrays.equals(value.shape(), shape)) {
            throw new IllegalArgumentException("Expected a matrix or batch of matrices of shape "
                    + Parametrize.size(shape) + ". Got a tensor of shape " + Parametrize.size(value.shape()) + ".");
        }
        try (var _ = Autograd.noGrad()) {
            Tensor q = value;
            int n = q.size(-2);
            int k = q.size(-1);
            boolean transpose = n < k;
            if (transpose) {
                q = q.transpose(-2, -1);
                int t = n;
                n = k;
                k = t;
            }
            if (!useTrivialization) {
                if (orthogonalMap != Parametrizations.OrthogonalMap.HOUSEHOLDER) {
                    throw new UnsupportedOperationException("It is not possible to assign to the matrix exponential "
                            + "or the Cayley parametrizations when use_trivialization=False.");
                }
                Tensor[] qr = MatrixFunctions.geqrf(q);
                Tensor a = qr[0];
                Tensor d = MatrixFunctions.diagonal(a);
                Tensor signs = d.sign();
                signs = Torch.where(qr[1].eq(0), signs.neg(), signs);
                Tensor e = MatrixFunctions.eye(n, k, a);
                a = a.sub(e.mul(d.unsqueeze(-2))).add(e.mul(signs.unsqueeze(-2)));
                return transpose ? a.transpose(-2, -1) : a;
            }
            if (n == k) {
                q = isOrthogonal(q) ? q.clone() : MatrixFunctions.makeOrthogonal(q);
            } else {
                int[] ns = q.shape();
                ns[ns.length - 1] = n - k;
                Tensor noise = Torch.randn(Torch.defaultGenerator(), q.dtype(), ns).to(q.device());
                q = MatrixFunctions.makeOrthogonal(Torch.cat(new Tensor[] {q, noise}, -1));
            }
            setBuffer("base", q);
            int n0 = value.size(-2);
            int k0 = value.size(-1);
            return Torch.zerosLike(value).sub(MatrixFunctions.eye(n0, k0, value));
        }
    }

    /** {@code _is_orthogonal}: {@code Q^T Q} close to the identity, with atol {@code 10 n eps(dtype)}. */
    private static boolean isOrthogonal(Tensor q) {
        int n = q.size(-2);
        int k = q.size(-1);
        Tensor qtq = q.transpose(-2, -1).matmul(q);
        double eps = 10.0 * n * epsilon(q.dtype());
        return qtq.allclose(MatrixFunctions.eye(k, k, q).expandAs(qtq), 1e-5, eps);
    }

    private static double epsilon(DType t) {
        return switch (t) {
            case FLOAT64 -> Math.ulp(1.0);
            case FLOAT16 -> Math.scalb(1.0, -10);
            case BFLOAT16 -> Math.scalb(1.0, -7);
            default -> Math.ulp(1.0f);
        };
    }
}
