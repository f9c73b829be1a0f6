package dev.jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API normalization kernels (float; see {@link Norm} for the contract, arguments are assumed valid).
 *
 * <p>Per-channel loops run along the contiguous inner dimension with two vectors in flight (the moment sums
 * are add/FMA chains; two chains per sum cover the latency at the L1 load rate); when the inner size is 1
 * (BatchNorm1d on (N, C)), they run across the channels of each row instead, accumulating into per-channel
 * scratch sums. Lane sums are added in lane order, so a result does not change when the JIT compiles the
 * loop.
 */
final class VectorNormF {
    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = S.length();

    private VectorNormF() {
    }

    private static float lanes(FloatVector v) {
        float[] t = Workspace.floats(Workspace.LANES, L);
        v.intoArray(t, 0);
        float s = 0f;
        for (int l = 0; l < L; l++) {
            s += t[l];
        }
        return s;
    }

    static void moments(float[] x, int xo, int outer, int ch, int inner, boolean center, float[] mean, int mo,
                        float[] var, int vo) {
        long count = (long) outer * inner;
        if (inner == 1) {
            momentsAcross(x, xo, outer, ch, center, mean, mo, var, vo);
            return;
        }
        for (int c = 0; c < ch; c++) {
            float k = center && count > 0 ? x[xo + c * inner] : 0f;
            FloatVector kv = FloatVector.broadcast(S, k);
            FloatVector a1 = FloatVector.zero(S), a2 = a1, b1 = a1, b2 = a1;
            float t1 = 0f, t2 = 0f;
            for (int o = 0; o < outer; o++) {
                int base = xo + (o * ch + c) * inner;
                int i = 0;
                for (; i + 2 * L <= inner; i += 2 * L) {
                    FloatVector u = FloatVector.fromArray(S, x, base + i).sub(kv);
                    FloatVector v = FloatVector.fromArray(S, x, base + i + L).sub(kv);
                    a1 = a1.add(u);
                    a2 = u.fma(u, a2);
                    b1 = b1.add(v);
                    b2 = v.fma(v, b2);
                }
                for (; i + L <= inner; i += L) {
                    FloatVector u = FloatVector.fromArray(S, x, base + i).sub(kv);
                    a1 = a1.add(u);
                    a2 = u.fma(u, a2);
                }
                for (; i < inner; i++) {
                    float d = x[base + i] - k;
                    t1 += d;
                    t2 = Math.fma(d, d, t2);
                }
            }
            finish(lanes(a1.add(b1)) + t1, lanes(a2.add(b2)) + t2, k, count, center, mean, mo + c, var, vo + c);
        }
    }

    private static void finish(float s1, float s2, float k, long count, boolean center, float[] mean, int mi,
                               float[] var, int vi) {
        if (count == 0) {
            mean[mi] = Float.NaN;
            var[vi] = Float.NaN;
            return;
        }
        float m = s1 / count;
        mean[mi] = center ? k + m : 0f;
        var[vi] = center ? Math.max(0f, s2 / count - m * m) : s2 / count;
    }

    private static void momentsAcross(float[] x, int xo, int outer, int ch, boolean center, float[] mean, int mo,
                                      float[] var, int vo) {
        float[] s = Workspace.floats(Workspace.COLS, 3 * ch);
        java.util.Arrays.fill(s, 0, 3 * ch, 0f);
        if (center && outer > 0) {
            System.arraycopy(x, xo, s, 2 * ch, ch);
        }
        int vb = S.loopBound(ch);
        for (int o = 0; o < outer; o++) {
            int row = xo + o * ch;
            int c = 0;
            for (; c < vb; c += L) {
                FloatVector d = FloatVector.fromArray(S, x, row + c).sub(FloatVector.fromArray(S, s, 2 * ch + c));
                FloatVector.fromArray(S, s, c).add(d).intoArray(s, c);
                d.fma(d, FloatVector.fromArray(S, s, ch + c)).intoArray(s, ch + c);
            }
            for (; c < ch; c++) {
                float d = x[row + c] - s[2 * ch + c];
                s[c] += d;
                s[ch + c] = Math.fma(d, d, s[ch + c]);
            }
        }
        for (int c = 0; c < ch; c++) {
            finish(s[c], s[ch + c], s[2 * ch + c], outer, center, mean, mo + c, var, vo + c);
        }
    }

    static void scaleShift(float[] x, int xo, int outer, int ch, int inner, float[] a, int ao, float[] b, int bo,
                           float[] y, int yo) {
        if (inner == 1) {
            int vb = S.loopBound(ch);
            for (int o = 0; o < outer; o++) {
                int r = o * ch;
                int c = 0;
                for (; c < vb; c += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + r + c);
                    FloatVector av = FloatVector.fromArray(S, a, ao + c);
                    (b == null ? v.mul(av) : v.fma(av, FloatVector.fromArray(S, b, bo + c))).intoArray(y, yo + r + c);
                }
                for (; c < ch; c++) {
                    y[yo + r + c] = b == null ? x[xo + r + c] * a[ao + c] : Math.fma(x[xo + r + c], a[ao + c], b[bo + c]);
                }
            }
            return;
        }
        int vb = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                float ac = a[ao + c], bc = b == null ? 0f : b[bo + c];
                FloatVector av = FloatVector.broadcast(S, ac), bv = FloatVector.broadcast(S, bc);
                int i = 0;
                for (; i < vb; i += L) {
                    FloatVector.fromArray(S, x, xo + off + i).fma(av, bv).intoArray(y, yo + off + i);
                }
                for (; i < inner; i++) {
                    y[yo + off + i] = Math.fma(x[xo + off + i], ac, bc);
                }
            }
        }
    }

    static void scaleShift2(float[] dy, int dyo, float[] x, int xo, int outer, int ch, int inner, float[] a, int ao,
                            float[] b, int bo, float[] c0, int co, float[] y, int yo) {
        if (inner == 1) {
            int vb = S.loopBound(ch);
            for (int o = 0; o < outer; o++) {
                int r = o * ch;
                int c = 0;
                for (; c < vb; c += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + r + c)
                            .fma(FloatVector.fromArray(S, b, bo + c), FloatVector.fromArray(S, c0, co + c));
                    FloatVector.fromArray(S, dy, dyo + r + c).fma(FloatVector.fromArray(S, a, ao + c), v)
                            .intoArray(y, yo + r + c);
                }
                for (; c < ch; c++) {
                    y[yo + r + c] = Math.fma(dy[dyo + r + c], a[ao + c], Math.fma(x[xo + r + c], b[bo + c], c0[co + c]));
                }
            }
            return;
        }
        int vb = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < ch; c++) {
                int off = (o * ch + c) * inner;
                float ac = a[ao + c], bc = b[bo + c], cc = c0[co + c];
                FloatVector av = FloatVector.broadcast(S, ac), bv = FloatVector.broadcast(S, bc);
                FloatVector cv = FloatVector.broadcast(S, cc);
                int i = 0;
                for (; i < vb; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + off + i).fma(bv, cv);
                    FloatVector.fromArray(S, dy, dyo + off + i).fma(av, v).intoArray(y, yo + off + i);
                }
                for (; i < inner; i++) {
                    y[yo + off + i] = Math.fma(dy[dyo + off + i], ac, Math.fma(x[xo + off + i], bc, cc));
                }
            }
        }
    }

    static void channelSums(float[] dy, int dyo, float[] x, int xo, int outer, int ch, int inner, float[] sdy, int so,
                            float[] sdyx, int sxo) {
        if (inner == 1) {
            java.util.Arrays.fill(sdy, so, so + ch, 0f);
            if (x != null) {
                java.util.Arrays.fill(sdyx, sxo, sxo + ch, 0f);
            }
            int vb = S.loopBound(ch);
            for (int o = 0; o < outer; o++) {
                int r = o * ch;
                int c = 0;
                for (; c < vb; c += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, dyo + r + c);
                    FloatVector.fromArray(S, sdy, so + c).add(g).intoArray(sdy, so + c);
                    if (x != null) {
                        g.fma(FloatVector.fromArray(S, x, xo + r + c), FloatVector.fromArray(S, sdyx, sxo + c))
                                .intoArray(sdyx, sxo + c);
                    }
                }
                for (; c < ch; c++) {
                    sdy[so + c] += dy[dyo + r + c];
                    if (x != null) {
                        sdyx[sxo + c] = Math.fma(dy[dyo + r + c], x[xo + r + c], sdyx[sxo + c]);
                    }
                }
            }
            return;
        }
        for (int c = 0; c < ch; c++) {
            FloatVector a1 = FloatVector.zero(S), a2 = a1, b1 = a1, b2 = a1;
            float t1 = 0f, t2 = 0f;
            for (int o = 0; o < outer; o++) {
                int off = (o * ch + c) * inner;
                int i = 0;
                for (; i + 2 * L <= inner; i += 2 * L) {
                    FloatVector g = FloatVector.fromArray(S, dy, dyo + off + i);
                    FloatVector h = FloatVector.fromArray(S, dy, dyo + off + i + L);
                    a1 = a1.add(g);
                    b1 = b1.add(h);
                    if (x != null) {
                        a2 = g.fma(FloatVector.fromArray(S, x, xo + off + i), a2);
                        b2 = h.fma(FloatVector.fromArray(S, x, xo + off + i + L), b2);
                    }
                }
                for (; i + L <= inner; i += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, dyo + off + i);
                    a1 = a1.add(g);
                    if (x != null) {
                        a2 = g.fma(FloatVector.fromArray(S, x, xo + off + i), a2);
                    }
                }
                for (; i < inner; i++) {
                    t1 += dy[dyo + off + i];
                    if (x != null) {
                        t2 = Math.fma(dy[dyo + off + i], x[xo + off + i], t2);
                    }
                }
            }
            sdy[so + c] = lanes(a1.add(b1)) + t1;
            if (x != null) {
                sdyx[sxo + c] = lanes(a2.add(b2)) + t2;
            }
        }
    }

    static void rowAffine(float[] x, int xo, int rows, int n, float[] mean, int mo, float[] rstd, int ro, float[] w,
                          int wo, float[] b, int bo, float[] y, int yo) {
        int vb = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[mo + r], s = rstd[ro + r];
            FloatVector mv = FloatVector.broadcast(S, m), sv = FloatVector.broadcast(S, s);
            int i = 0;
            for (; i < vb; i += L) {
                FloatVector h = FloatVector.fromArray(S, x, xo + off + i).sub(mv).mul(sv);
                if (w != null) {
                    h = b == null ? h.mul(FloatVector.fromArray(S, w, wo + i))
                            : h.fma(FloatVector.fromArray(S, w, wo + i), FloatVector.fromArray(S, b, bo + i));
                } else if (b != null) {
                    h = h.add(FloatVector.fromArray(S, b, bo + i));
                }
                h.intoArray(y, yo + off + i);
            }
            for (; i < n; i++) {
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
        int vb = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[mo + r], s = rstd[ro + r];
            FloatVector mv = FloatVector.broadcast(S, m), sv = FloatVector.broadcast(S, s);
            FloatVector sg = FloatVector.zero(S), sgx = sg;
            float tg = 0f, tgx = 0f;
            int i = 0;
            for (; i < vb; i += L) {
                FloatVector g = FloatVector.fromArray(S, dy, dyo + off + i);
                FloatVector h = FloatVector.fromArray(S, x, xo + off + i).sub(mv).mul(sv);
                if (dw != null) {
                    g.fma(h, FloatVector.fromArray(S, dw, dwo + i)).intoArray(dw, dwo + i);
                }
                if (db != null) {
                    FloatVector.fromArray(S, db, dbo + i).add(g).intoArray(db, dbo + i);
                }
                if (w != null) {
                    g = g.mul(FloatVector.fromArray(S, w, wo + i));
                }
                sg = sg.add(g);
                sgx = g.fma(h, sgx);
            }
            for (; i < n; i++) {
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
            float meanG = center ? (lanes(sg) + tg) / n : 0f;
            float meanGx = (lanes(sgx) + tgx) / n;
            FloatVector mg = FloatVector.broadcast(S, meanG), mgx = FloatVector.broadcast(S, meanGx);
            i = 0;
            for (; i < vb; i += L) {
                FloatVector g = FloatVector.fromArray(S, dy, dyo + off + i);
                if (w != null) {
                    g = g.mul(FloatVector.fromArray(S, w, wo + i));
                }
                FloatVector h = FloatVector.fromArray(S, x, xo + off + i).sub(mv).mul(sv);
                g.sub(mg).sub(h.mul(mgx)).mul(sv).intoArray(dx, dxo + off + i);
            }
            for (; i < n; i++) {
                float g = dy[dyo + off + i];
                if (w != null) {
                    g *= w[wo + i];
                }
                float h = (x[xo + off + i] - m) * s;
                dx[dxo + off + i] = (g - meanG - h * meanGx) * s;
            }
        }
    }
}
