package dev.jtorch.nn.init;

/** Thin QR by Householder reflections in double, for {@link Init#orthogonal_}. */
final class Householder {
    private Householder() {
    }

    /**
     * The m x n (m >= n) matrix Q of A = QR with Q's columns multiplied by sign(R_ii), row-major, so the
     * result is unique (as PyTorch's {@code q * diag(r).sign()}).
     */
    static double[] orthonormalColumns(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        double[] diag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i * n + k] * r[i * n + k];
            }
            norm = Math.sqrt(norm);
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = r[i * n + k];
            }
            v[k] -= alpha;
            double vn = 0;
            for (int i = k; i < m; i++) {
                vn += v[i] * v[i];
            }
            if (vn > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) {
                        dot += v[i] * r[i * n + j];
                    }
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) {
                        r[i * n + j] -= f * v[i];
                    }
                }
            }
            vs[k] = vn > 0 ? v : null;
            diag[k] = r[k * n + k];
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) {
                continue;
            }
            double vn = 0;
            for (int i = k; i < m; i++) {
                vn += v[i] * v[i];
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * q[i * n + j];
                }
                double f = 2 * dot / vn;
                for (int i = k; i < m; i++) {
                    q[i * n + j] -= f * v[i];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double s = Math.signum(diag[j]);
            if (s == 0) {
                s = 0;
            }
            for (int i = 0; i < m; i++) {
                q[i * n + j] *= s;
            }
        }
        return q;
    }
}
