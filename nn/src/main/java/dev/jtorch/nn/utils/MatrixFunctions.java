package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;

/**
 * The linear algebra {@code parametrizations.orthogonal} needs and the engine does not have, as composite Tensor
 * operations (so autograd differentiates through them): {@code torch.matrix_exp}, {@code torch.linalg.solve} (for
 * the Cayley map), {@code torch.linalg.householder_product}, and {@code torch.geqrf} (Householder QR, used without
 * gradient by the right inverses). Every function takes a matrix or a batch of matrices {@code (..., n, k)}.
 */
final class MatrixFunctions {
    /** Taylor degree after scaling: with the 1-norm at most 1/2 the remainder is below 0.5^19 / 19! ~ 2e-23. */
    private static final int TAYLOR_DEGREE = 18;

    private MatrixFunctions() {
    }

    /** {@code torch.eye(n, k)} in {@code like}'s dtype and device. */
    static Tensor eye(int n, int k, Tensor like) {
        return Torch.eye(n, k, like.dtype()).to(like.device());
    }

    /** The main diagonals of a batch of matrices, {@code (..., min(n, k))} ({@code X.diagonal(dim1=-2, dim2=-1)}). */
    static Tensor diagonal(Tensor x) {
        int n = x.size(-2);
        int k = x.size(-1);
        int m = Math.min(n, k);
        return x.mul(eye(n, k, x)).sum(-2).narrow(-1, 0, m);
    }

    /**
     * {@code torch.matrix_exp}: scaling and squaring, {@code exp(A) = T(A / 2^s)^(2^s)} with {@code T} the Taylor
     * polynomial of degree 18 (Horner's scheme) and {@code s} the smallest power that brings the largest 1-norm of
     * the batch to at most 1/2, which leaves a truncation error far below float64 rounding.
     */
    static Tensor matrixExp(Tensor a) {
        int n = a.size(-1);
        if (a.size(-2) != n) {
            throw new IllegalArgumentException("matrix_exp: expected a square matrix or a batch of square matrices, "
                    + "got shape " + java.util.Arrays.toString(a.shape()));
        }
        double norm;
        try (var _ = Autograd.noGrad()) {
            norm = a.numel() == 0 ? 0 : a.abs().sum(-2).max().item();
        }
        if (!Double.isFinite(norm)) {
            // an infinite or NaN entry: PyTorch's result is NaN; squaring 2^31 times would never end
            return a.mul(Double.NaN);
        }
        // at most 1100 squarings: float64's largest norm is below 2^1024
        int s = norm > 0.5 ? (int) Math.min(1100, Math.ceil(Math.log(norm / 0.5) / Math.log(2))) : 0;
        Tensor x = s > 0 ? a.div(Math.pow(2, s)) : a;
        Tensor id = eye(n, n, a);
        Tensor t = id.add(x.div(TAYLOR_DEGREE));
        for (int k = TAYLOR_DEGREE - 1; k >= 1; k--) {
            t = id.add(x.matmul(t).div(k));
        }
        for (int i = 0; i < s; i++) {
            t = t.matmul(t);
        }
        return t;
    }

    /**
     * {@code torch.linalg.solve(a, b)} by Gauss-Jordan elimination without pivoting: exact arithmetic aside, it
     * needs every leading principal minor of {@code a} non-zero, and it is stable when the symmetric part of
     * {@code a} is positive definite, as for the Cayley map's {@code I - A/2} with {@code A} skew-symmetric (the
     * only use here). {@code a} is {@code (..., n, n)}, {@code b} is {@code (..., n, m)}.
     */
    static Tensor solveUnpivoted(Tensor a, Tensor b) {
        int n = a.size(-1);
        int m = b.size(-1);
        Tensor aug = Torch.cat(new Tensor[] {a, b}, -1);
        Tensor id = eye(n, n, a);
        for (int j = 0; j < n; j++) {
            Tensor pivotRow = aug.narrow(-2, j, 1);
            Tensor row = pivotRow.div(pivotRow.narrow(-1, j, 1));
            // row j becomes row; every other row i loses aug[i, j] times row
            Tensor col = aug.narrow(-1, j, 1).sub(id.narrow(-1, j, 1));
            aug = aug.sub(col.mul(row));
        }
        return aug.narrow(-1, n, m);
    }

    /**
     * {@code torch.linalg.householder_product(a, tau)}: the first {@code k} columns of {@code H_1 ... H_k} with
     * {@code H_i = I - tau_i v_i v_i^T}, {@code v_i} the i-th column of {@code a} below the diagonal with a 1 on
     * it (the diagonal and the upper triangle of {@code a} are not read). {@code a} is {@code (..., n, k)} with
     * {@code n >= k}, {@code tau} is {@code (..., k)}.
     */
    static Tensor householderProduct(Tensor a, Tensor tau) {
        int n = a.size(-2);
        int k = a.size(-1);
        if (n < k) {
            throw new IllegalArgumentException("torch.linalg.householder_product: input.shape[-2] must be greater "
                    + "than or equal to input.shape[-1]");
        }
        Tensor e = eye(n, k, a);
        Tensor v = a.tril(-1).add(e);
        Tensor q = e;
        for (int i = k - 1; i >= 0; i--) {
            Tensor vi = v.narrow(-1, i, 1);
            Tensor ti = tau.narrow(-1, i, 1).unsqueeze(-1);
            q = q.sub(vi.mul(ti).matmul(vi.transpose(-2, -1).matmul(q)));
        }
        return q;
    }

    /**
     * {@code torch.geqrf(a)} without gradient: Householder QR with LAPACK's reflectors ({@code dlarfg}: {@code v}
     * with a unit first entry, {@code beta = -sign(alpha) ||(alpha, x)||}, {@code tau = (beta - alpha) / beta},
     * {@code tau = 0} when {@code x} is zero). Returns {R above and on the diagonal, the reflectors below; tau}.
     */
    static Tensor[] geqrf(Tensor input) {
        try (var _ = Autograd.noGrad()) {
            Tensor a = input.clone();
            int n = a.size(-2);
            int k = a.size(-1);
            int m = Math.min(n, k);
            int[] tauShape = a.shape();
            tauShape = java.util.Arrays.copyOf(tauShape, tauShape.length - 1);
            tauShape[tauShape.length - 1] = m;
            Tensor tau = Torch.zeros(a.dtype(), a.device(), tauShape);
            for (int i = 0; i < m; i++) {
                Tensor col = a.narrow(-1, i, 1).narrow(-2, i, n - i);
                Tensor alpha = col.narrow(-2, 0, 1);
                Tensor x = col.narrow(-2, 1, n - i - 1);
                Tensor xnorm = x.square().sum(-2, true).sqrt();
                Tensor h = alpha.square().add(xnorm.square()).sqrt();
                Tensor beta = Torch.where(alpha.ge(0), h.neg(), h);
                Tensor keep = xnorm.ne(0);
                Tensor t = Torch.where(keep, beta.sub(alpha).div(beta), 0);
                Tensor v = Torch.where(keep, x.div(alpha.sub(beta)), 0);
                Tensor newAlpha = Torch.where(keep, beta, alpha);
                x.copy_(v);
                alpha.copy_(newAlpha);
                tau.narrow(-1, i, 1).copy_(t.squeeze(-1));
                if (i + 1 < k) {
                    Tensor vFull = Torch.cat(new Tensor[] {Torch.onesLike(alpha), v}, -2);
                    Tensor trail = a.narrow(-2, i, n - i).narrow(-1, i + 1, k - i - 1);
                    Tensor w = vFull.transpose(-2, -1).matmul(trail);
                    trail.sub_(vFull.mul(t).matmul(w));
                }
            }
            return new Tensor[] {a, tau};
        }
    }

    /**
     * parametrizations.py's {@code _make_orthogonal}: the Q factor of {@code a = QR} (tall) with the diagonal of R
     * non-negative, without gradient.
     */
    static Tensor makeOrthogonal(Tensor a) {
        try (var _ = Autograd.noGrad()) {
            Tensor[] qr = geqrf(a);
            Tensor q = householderProduct(qr[0], qr[1]);
            return q.mul(diagonal(qr[0]).sign().unsqueeze(-2));
        }
    }
}
