package dev.jtorch.kernels;

/** The scalar twins of {@link Reductions}; the specification. Arguments are assumed valid. */
final class ScalarReductions {
    private ScalarReductions() {
    }

    static void rowSum(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            float s = 0;
            for (int j = 0; j < cols; j++) {
                s += x[xOff + r * ldx + j];
            }
            y[yOff + r] = s;
        }
    }

    static void rowMax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            y[yOff + r] = m;
        }
    }

    static void rowArgmax(int rows, int cols, float[] x, int xOff, int ldx, long[] idx, int idxOff) {
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float m = x[xOff + r * ldx];
            for (int j = 1; j < cols && !Float.isNaN(m); j++) {
                float v = x[xOff + r * ldx + j];
                if (v > m || Float.isNaN(v)) {
                    m = v;
                    best = j;
                }
            }
            idx[idxOff + r] = best;
        }
    }

    static void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            float s = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[xOff + r * ldx + j] - m);
                y[yOff + r * ldy + j] = e;
                s += e;
            }
            float inv = 1 / s;
            for (int j = 0; j < cols; j++) {
                y[yOff + r * ldy + j] *= inv;
            }
        }
    }

    static void onlineSoftmax(int rows, int cols, float[] s, int sOff, int lds, float[] m, float[] l, float[] alpha,
                              int rOff) {
        for (int r = 0; r < rows; r++) {
            int sr = sOff + r * lds;
            float mNew = m[rOff + r];
            for (int j = 0; j < cols; j++) {
                mNew = Math.max(mNew, s[sr + j]);
            }
            if (mNew == Float.NEGATIVE_INFINITY) {
                for (int j = 0; j < cols; j++) {
                    s[sr + j] = 0;
                }
                alpha[rOff + r] = 1;
                continue;
            }
            float sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(s[sr + j] - mNew);
                s[sr + j] = e;
                sum += e;
            }
            float a = (float) Math.exp(m[rOff + r] - mNew);
            l[rOff + r] = l[rOff + r] * a + sum;
            m[rOff + r] = mNew;
            alpha[rOff + r] = a;
        }
    }

    static void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            float s = 0;
            for (int j = 0; j < cols; j++) {
                s += (float) Math.exp(x[xOff + r * ldx + j] - m);
            }
            float shift = m + (float) Math.log(s);
            for (int j = 0; j < cols; j++) {
                y[yOff + r * ldy + j] = x[xOff + r * ldx + j] - shift;
            }
        }
    }

    static void rowSum(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += x[xOff + r * ldx + j];
            }
            y[yOff + r] = s;
        }
    }

    static void rowMax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            y[yOff + r] = m;
        }
    }

    static void rowArgmax(int rows, int cols, double[] x, int xOff, int ldx, long[] idx, int idxOff) {
        for (int r = 0; r < rows; r++) {
            int best = 0;
            double m = x[xOff + r * ldx];
            for (int j = 1; j < cols && !Double.isNaN(m); j++) {
                double v = x[xOff + r * ldx + j];
                if (v > m || Double.isNaN(v)) {
                    m = v;
                    best = j;
                }
            }
            idx[idxOff + r] = best;
        }
    }

    static void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(x[xOff + r * ldx + j] - m);
                y[yOff + r * ldy + j] = e;
                s += e;
            }
            double inv = 1 / s;
            for (int j = 0; j < cols; j++) {
                y[yOff + r * ldy + j] *= inv;
            }
        }
    }

    static void onlineSoftmax(int rows, int cols, double[] s, int sOff, int lds, double[] m, double[] l, double[] alpha,
                              int rOff) {
        for (int r = 0; r < rows; r++) {
            int sr = sOff + r * lds;
            double mNew = m[rOff + r];
            for (int j = 0; j < cols; j++) {
                mNew = Math.max(mNew, s[sr + j]);
            }
            if (mNew == Double.NEGATIVE_INFINITY) {
                for (int j = 0; j < cols; j++) {
                    s[sr + j] = 0;
                }
                alpha[rOff + r] = 1;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = Math.exp(s[sr + j] - mNew);
                s[sr + j] = e;
                sum += e;
            }
            double a = Math.exp(m[rOff + r] - mNew);
            l[rOff + r] = l[rOff + r] * a + sum;
            m[rOff + r] = mNew;
            alpha[rOff + r] = a;
        }
    }

    static void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xOff + r * ldx + j] - m);
            }
            double shift = m + Math.log(s);
            for (int j = 0; j < cols; j++) {
                y[yOff + r * ldy + j] = x[xOff + r * ldx + j] - shift;
            }
        }
    }
}
