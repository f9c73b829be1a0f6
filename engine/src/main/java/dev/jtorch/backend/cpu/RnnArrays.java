package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.kernels.Elementwise;
import dev.jtorch.kernels.Gemm;
import dev.jtorch.kernels.PackedB;
import dev.jtorch.kernels.RnnGates;
import dev.jtorch.kernels.RnnGates.Nonlinearity;

/**
 * The array operations of the fused recurrent layers, for float[] and double[] behind one interface, so the
 * layer algorithm ({@link CpuRnn}) is written once. Each call is one kernel of dev.jtorch.kernels.
 */
abstract class RnnArrays {
    static RnnArrays of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> F;
            case FLOAT64 -> D;
            default -> throw new IllegalArgumentException("recurrent layers compute in float32 or float64, got "
                    + dtype);
        };
    }

    abstract Object alloc(int n);

    /** C = A op B (+ beta C), row-major with leading dims. */
    abstract void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo,
                       int ldb, double beta, Object c, int co, int ldc);

    /** op(B) (k x n) packed for {@link #gemm(boolean, int, Object, int, int, PackedB, double, Object, int, int)}. */
    abstract PackedB pack(boolean tb, int k, int n, Object b, int bo, int ldb);

    /** C = op(A) B (+ beta C) with B prepacked. */
    abstract void gemm(boolean ta, int m, Object a, int ao, int lda, PackedB b, double beta, Object c, int co, int ldc);

    /** dst[d..d+n) += src[s..s+n). */
    abstract void add(Object dst, int d, Object src, int s, int n);

    /** dst[d..d+n) = 0. */
    abstract void zero(Object dst, int d, int n);

    /** Each of {@code rows} rows of dst (width cols) += bias. */
    void addRows(Object dst, int d, int rows, Object bias, int bo, int cols) {
        for (int r = 0; r < rows; r++) {
            add(dst, d + r * cols, bias, bo, cols);
        }
    }

    /** dst[c] += column sums of a rows x cols matrix. */
    abstract void addColSums(Object src, int so, int rows, int cols, Object dst, int d);

    abstract void lstmForward(int b, int h, Object gates, int go, Object cPrev, int cpo, Object c, int co, Object hOut,
                              int ho, Object act, int ao);

    abstract void lstmBackward(int b, int h, Object act, int ao, Object cPrev, int cpo, Object c, int co, Object dh,
                               int dho, Object dc, int dco, Object dGates, int dgo, Object dcPrev, int dcpo);

    abstract void gruForward(int b, int h, Object xg, int xo, Object hg, int hgo, Object hPrev, int hpo, Object hOut,
                             int ho, Object ws, int wso);

    abstract void gruBackward(int b, int h, Object ws, int wso, Object hPrev, int hpo, Object dh, int dho, Object dxg,
                              int dxo, Object dhg, int dhgo, Object dhPrev, int dhpo);

    abstract void rnnForward(int b, int h, Nonlinearity nl, Object pre, int po, Object hOut, int ho);

    abstract void rnnBackward(int b, int h, Nonlinearity nl, Object hOut, int ho, Object dh, int dho, Object dPre,
                              int dpo);

    static final RnnArrays F = new RnnArrays() {
        @Override
        Object alloc(int n) {
            return new float[n];
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb,
                  double beta, Object c, int co, int ldc) {
            Gemm.sgemm(ta, tb, m, n, k, 1f, (float[]) a, ao, lda, (float[]) b, bo, ldb, (float) beta, (float[]) c, co,
                    ldc);
        }

        @Override
        PackedB pack(boolean tb, int k, int n, Object b, int bo, int ldb) {
            return Gemm.packB(tb, k, n, (float[]) b, bo, ldb);
        }

        @Override
        void gemm(boolean ta, int m, Object a, int ao, int lda, PackedB b, double beta, Object c, int co, int ldc) {
            Gemm.sgemm(ta, m, 1f, (float[]) a, ao, lda, b, (float) beta, (float[]) c, co, ldc);
        }

        @Override
        void add(Object dst, int d, Object src, int s, int n) {
            Elementwise.add((float[]) dst, d, (float[]) src, s, (float[]) dst, d, n);
        }

        @Override
        void zero(Object dst, int d, int n) {
            java.util.Arrays.fill((float[]) dst, d, d + n, 0f);
        }

        @Override
        void addColSums(Object src, int so, int rows, int cols, Object dst, int d) {
            float[] a = (float[]) src;
            float[] y = (float[]) dst;
            for (int r = 0; r < rows; r++) {
                Elementwise.add(y, d, a, so + r * cols, y, d, cols);
            }
        }

        @Override
        void lstmForward(int b, int h, Object gates, int go, Object cPrev, int cpo, Object c, int co, Object hOut,
                         int ho, Object act, int ao) {
            RnnGates.lstmGatesForward(b, h, (float[]) gates, go, (float[]) cPrev, cpo, (float[]) c, co, (float[]) hOut,
                    ho, (float[]) act, ao);
        }

        @Override
        void lstmBackward(int b, int h, Object act, int ao, Object cPrev, int cpo, Object c, int co, Object dh,
                          int dho, Object dc, int dco, Object dGates, int dgo, Object dcPrev, int dcpo) {
            RnnGates.lstmGatesBackward(b, h, (float[]) act, ao, (float[]) cPrev, cpo, (float[]) c, co, (float[]) dh, dho,
                    (float[]) dc, dco, (float[]) dGates, dgo, (float[]) dcPrev, dcpo);
        }

        @Override
        void gruForward(int b, int h, Object xg, int xo, Object hg, int hgo, Object hPrev, int hpo, Object hOut,
                        int ho, Object ws, int wso) {
            RnnGates.gruGatesForward(b, h, (float[]) xg, xo, (float[]) hg, hgo, (float[]) hPrev, hpo, (float[]) hOut,
                    ho, (float[]) ws, wso);
        }

        @Override
        void gruBackward(int b, int h, Object ws, int wso, Object hPrev, int hpo, Object dh, int dho, Object dxg,
                         int dxo, Object dhg, int dhgo, Object dhPrev, int dhpo) {
            RnnGates.gruGatesBackward(b, h, (float[]) ws, wso, (float[]) hPrev, hpo, (float[]) dh, dho, (float[]) dxg,
                    dxo, (float[]) dhg, dhgo, (float[]) dhPrev, dhpo);
        }

        @Override
        void rnnForward(int b, int h, Nonlinearity nl, Object pre, int po, Object hOut, int ho) {
            RnnGates.rnnStepForward(b, h, nl, (float[]) pre, po, (float[]) hOut, ho);
        }

        @Override
        void rnnBackward(int b, int h, Nonlinearity nl, Object hOut, int ho, Object dh, int dho, Object dPre,
                         int dpo) {
            RnnGates.rnnStepBackward(b, h, nl, (float[]) hOut, ho, (float[]) dh, dho, (float[]) dPre, dpo);
        }
    };

    static final RnnArrays D = new RnnArrays() {
        @Override
        Object alloc(int n) {
            return new double[n];
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb,
                  double beta, Object c, int co, int ldc) {
            Gemm.dgemm(ta, tb, m, n, k, 1.0, (double[]) a, ao, lda, (double[]) b, bo, ldb, beta, (double[]) c, co, ldc);
        }

        @Override
        PackedB pack(boolean tb, int k, int n, Object b, int bo, int ldb) {
            return Gemm.packB(tb, k, n, (double[]) b, bo, ldb);
        }

        @Override
        void gemm(boolean ta, int m, Object a, int ao, int lda, PackedB b, double beta, Object c, int co, int ldc) {
            Gemm.dgemm(ta, m, 1.0, (double[]) a, ao, lda, b, beta, (double[]) c, co, ldc);
        }

        @Override
        void add(Object dst, int d, Object src, int s, int n) {
            Elementwise.add((double[]) dst, d, (double[]) src, s, (double[]) dst, d, n);
        }

        @Override
        void zero(Object dst, int d, int n) {
            java.util.Arrays.fill((double[]) dst, d, d + n, 0.0);
        }

        @Override
        void addColSums(Object src, int so, int rows, int cols, Object dst, int d) {
            double[] a = (double[]) src;
            double[] y = (double[]) dst;
            for (int r = 0; r < rows; r++) {
                Elementwise.add(y, d, a, so + r * cols, y, d, cols);
            }
        }

        @Override
        void lstmForward(int b, int h, Object gates, int go, Object cPrev, int cpo, Object c, int co, Object hOut,
                         int ho, Object act, int ao) {
            RnnGates.lstmGatesForward(b, h, (double[]) gates, go, (double[]) cPrev, cpo, (double[]) c, co,
                    (double[]) hOut, ho, (double[]) act, ao);
        }

        @Override
        void lstmBackward(int b, int h, Object act, int ao, Object cPrev, int cpo, Object c, int co, Object dh,
                          int dho, Object dc, int dco, Object dGates, int dgo, Object dcPrev, int dcpo) {
            RnnGates.lstmGatesBackward(b, h, (double[]) act, ao, (double[]) cPrev, cpo, (double[]) c, co, (double[]) dh,
                    dho, (double[]) dc, dco, (double[]) dGates, dgo, (double[]) dcPrev, dcpo);
        }

        @Override
        void gruForward(int b, int h, Object xg, int xo, Object hg, int hgo, Object hPrev, int hpo, Object hOut,
                        int ho, Object ws, int wso) {
            RnnGates.gruGatesForward(b, h, (double[]) xg, xo, (double[]) hg, hgo, (double[]) hPrev, hpo,
                    (double[]) hOut, ho, (double[]) ws, wso);
        }

        @Override
        void gruBackward(int b, int h, Object ws, int wso, Object hPrev, int hpo, Object dh, int dho, Object dxg,
                         int dxo, Object dhg, int dhgo, Object dhPrev, int dhpo) {
            RnnGates.gruGatesBackward(b, h, (double[]) ws, wso, (double[]) hPrev, hpo, (double[]) dh, dho,
                    (double[]) dxg, dxo, (double[]) dhg, dhgo, (double[]) dhPrev, dhpo);
        }

        @Override
        void rnnForward(int b, int h, Nonlinearity nl, Object pre, int po, Object hOut, int ho) {
            RnnGates.rnnStepForward(b, h, nl, (double[]) pre, po, (double[]) hOut, ho);
        }

        @Override
        void rnnBackward(int b, int h, Nonlinearity nl, Object hOut, int ho, Object dh, int dho, Object dPre,
                         int dpo) {
            RnnGates.rnnStepBackward(b, h, nl, (double[]) hOut, ho, (double[]) dh, dho, (double[]) dPre, dpo);
        }
    };

}
