package dev.jtorch.kernels;

/**
 * The scalar twin of the normalization kernels: one element at a time in the vector path's formulas (the
 * specification, and the fallback without the Vector API). Contract in {@link Norm}.
 */
final class ScalarNorm {
    private ScalarNorm() {
    }

    static void moments(float[] x, int xo, int outer, int ch, int inner, boolean center, float[] mean, int mo,
                        float[] var, int vo) {
        long count = (long) outer * inner;
        for (int c = 0; c < ch; c++) {
            float k = center && count > 0 ? x[xo + c * inner] : 0f;
            float s1 = 0f, s2 = 0f;
            for (int o = 0; o < outer; o++) {
                int base = xo + (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    float d = x[base + i] - k;
                    s1 += d;
                    s2 = Math.fma(d, d, s2);
                }
            }
            if (count == 0) {
                mean[mo + c] = Float.NaN;
                var[vo + c] = Float.NaN;
                continue;
            }
            float m = s1 / count;
            mean[mo + c] = center ? k + m : 0f;
            var[vo + c] = center ? Math.max(0f, s2 / count - m * m) : s2 / count;
        }
    }

    static void scaleShift(float[] x, int xo, int outer, int ch, int inner, float[] a, int ao, float[] b, int bo,
                           float[] y, int yo) {
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[yo + off + i] = b == null ? x[xo + off + i] * a[ao + c] : Math.fma(x[xo + off + i], a[ao + c], b[bo + c]);
                }
            }
        }
    }

    static void scaleShift2(float[] dy, int dyo, float[] x, int xo, int outer, int ch, int inner, float[] a, int ao,
                            float[] b, int bo, float[] c0, int co, float[] y, int yo) {
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[yo + off + i] = Math.fma(dy[dyo + off + i], a[ao + c], Math.fma(x[xo + off + i], b[bo + c], c0[co + c]));
                }
            }
        }
    }

    static void channelSums(float[] dy, int dyo, float[] x, int xo, int outer, int ch, int inner, float[] sdy, int so,
                            float[] sdyx, int sxo) {
        for (int c = 0; c < ch; c++) {
            float t1 = 0f, t2 = 0f;
            for (int o = 0; o < outer; o++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    t1 += dy[dyo + off + i];
                    if (x != null) {
                        t2 = Math.fma(dy[dyo + off + i], x[xo + off + i], t2);
                    }
                }
            }
            sdy[so + c] = t1;
            if (x != null) {
                sdyx[sxo + c] = t2;
            }
        }
    }

    static void rowAffine(float[] x, int xo, int rows, int n, float[] mean, int mo, float[] rstd, int ro, float[] w,
                          int wo, float[] b, int bo, float[] y, int yo) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[mo + r], s = rstd[ro + r];
            for (int i = 0; i < n; i++) {
                float h = (x[xo + off + i] - m) * s;
                if (w != null) {
                    h = b == null ? h * w[wo + i] : Math.fma(h, w[wo + i], b[bo + i]);
                } else if (b != null) {
                    h += b[bo + i];
                }
                y[yo + off + i] = h;
            }
        }
    }

    static void rowAffineBackward(float[] x, int xo, float[] dy, int dyo, int rows, int n, float[] mean, int mo,
                                  float[] rstd, int ro, float[] w, int wo, boolean center, float[] dx, int dxo,
                                  float[] dw, int dwo, float[] db, int dbo) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[mo + r], s = rstd[ro + r];
            float tg = 0f, tgx = 0f;
            for (int i = 0; i < n; i++) {
                float g = dy[dyo + off + i];
                float h = (x[xo + off + i] - m) * s;
                if (dw != null) {
                    dw[dwo + i] = Math.fma(g, h, dw[dwo + i]);
                }
                if (db != null) {
                    db[dbo + i] += g;
                }
                if (w != null) {
                    g *= w[wo + i];
                }
                tg += g;
                tgx = Math.fma(g, h, tgx);
            }
            float meanG = center ? tg / n : 0f;
            float meanGx = tgx / n;
            for (int i = 0; i < n; i++) {
                float g = dy[dyo + off + i];
                if (w != null) {
                    g *= w[wo + i];
                }
                float h = (x[xo + off + i] - m) * s;
                dx[dxo + off + i] = (g - meanG - h * meanGx) * s;
            }
        }
    }

    static void moments(double[] x, int xo, int outer, int ch, int inner, boolean center, double[] mean, int mo,
                        double[] var, int vo) {
        long count = (long) outer * inner;
        for (int c = 0; c < ch; c++) {
            double k = center && count > 0 ? x[xo + c * inner] : 0.0;
            double s1 = 0.0, s2 = 0.0;
            for (int o = 0; o < outer; o++) {
                int base = xo + (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    double d = x[base + i] - k;
                    s1 += d;
                    s2 = Math.fma(d, d, s2);
                }
            }
            if (count == 0) {
                mean[mo + c] = Double.NaN;
                var[vo + c] = Double.NaN;
                continue;
            }
            double m = s1 / count;
            mean[mo + c] = center ? k + m : 0.0;
            var[vo + c] = center ? Math.max(0.0, s2 / count - m * m) : s2 / count;
        }
    }

    static void scaleShift(double[] x, int xo, int outer, int ch, int inner, double[] a, int ao, double[] b, int bo,
                           double[] y, int yo) {
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[yo + off + i] = b == null ? x[xo + off + i] * a[ao + c] : Math.fma(x[xo + off + i], a[ao + c], b[bo + c]);
                }
            }
        }
    }

    static void scaleShift2(double[] dy, int dyo, double[] x, int xo, int outer, int ch, int inner, double[] a, int ao,
                            double[] b, int bo, double[] c0, int co, double[] y, int yo) {
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    y[yo + off + i] = Math.fma(dy[dyo + off + i], a[ao + c], Math.fma(x[xo + off + i], b[bo + c], c0[co + c]));
                }
            }
        }
    }

    static void channelSums(double[] dy, int dyo, double[] x, int xo, int outer, int ch, int inner, double[] sdy, int so,
                            double[] sdyx, int sxo) {
        for (int c = 0; c < ch; c++) {
            double t1 = 0.0, t2 = 0.0;
            for (int o = 0; o < outer; o++) {
                int off = (o * ch + c) * inner;
                for (int i = 0; i < inner; i++) {
                    t1 += dy[dyo + off + i];
                    if (x != null) {
                        t2 = Math.fma(dy[dyo + off + i], x[xo + off + i], t2);
                    }
                }
            }
            sdy[so + c] = t1;
            if (x != null) {
                sdyx[sxo + c] = t2;
            }
        }
    }

    static void rowAffine(double[] x, int xo, int rows, int n, double[] mean, int mo, double[] rstd, int ro, double[] w,
                          int wo, double[] b, int bo, double[] y, int yo) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            double m = mean[mo + r], s = rstd[ro + r];
            for (int i = 0; i < n; i++) {
                double h = (x[xo + off + i] - m) * s;
                if (w != null) {
                    h = b == null ? h * w[wo + i] : Math.fma(h, w[wo + i], b[bo + i]);
                } else if (b != null) {
                    h += b[bo + i];
                }
                y[yo + off + i] = h;
            }
        }
    }

    static void rowAffineBackward(double[] x, int xo, double[] dy, int dyo, int rows, int n, double[] mean, int mo,
                                  double[] rstd, int ro, double[] w, int wo, boolean center, double[] dx, int dxo,
                                  double[] dw, int dwo, double[] db, int dbo) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            double m = mean[mo + r], s = rstd[ro + r];
            double tg = 0.0, tgx = 0.0;
            for (int i = 0; i < n; i++) {
                double g = dy[dyo + off + i];
                double h = (x[xo + off + i] - m) * s;
                if (dw != null) {
                    dw[dwo + i] = Math.fma(g, h, dw[dwo + i]);
                }
                if (db != null) {
                    db[dbo + i] += g;
                }
                if (w != null) {
                    g *= w[wo + i];
                }
                tg += g;
                tgx = Math.fma(g, h, tgx);
            }
            double meanG = center ? tg / n : 0.0;
            double meanGx = tgx / n;
            for (int i = 0; i < n; i++) {
                double g = dy[dyo + off + i];
                if (w != null) {
                    g *= w[wo + i];
                }
                double h = (x[xo + off + i] - m) * s;
                dx[dxo + off + i] = (g - meanG - h * meanGx) * s;
            }
        }
    }
}
