package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.util.List;

/**
 * Generates the OpenCL C of the recurrent layers' fused per-step kernels ({@link OpenClRnn}): one work-item per
 * (row, hidden unit) of one time step, {@code rows * H} in all, row-major over the step's rows. Every kernel takes
 * its buffers with element offsets (the step's first row already added by the host), so it reads and writes
 * rows of the big per-layer buffers in place.
 *
 * <ul>
 *   <li>{@code lstm_fwd}: the step's pre-activations (x W_ih^T + h W_hh^T, i | f | g | o) plus b_ih + b_hh,
 *       sigmoid/tanh, {@code c = fma(f, cPrev, i * g)}, {@code h = o * tanh(c)}; the activations overwrite the
 *       pre-activations, c goes to the running cell state, h to its output row (y and the running state, or the
 *       unprojected buffer with a projection); when recording, the previous h and c and the new c go to the
 *       reserve.</li>
 *   <li>{@code gru_fwd}: from the input side (x W_ih^T) and the hidden side (h W_hh^T), each plus its bias,
 *       {@code r, z = sigmoid(x + h)}, {@code n = tanh(fma(r, h_n, x_n))}, {@code h' = fma(z, h - n, n)}; saves
 *       r | z | n | h_n and the previous h.</li>
 *   <li>{@code rnn_fwd}: {@code h = tanh(pre + b)} or {@code max(pre + b, 0)}; saves the previous h.</li>
 *   <li>{@code lstm_bwd}, {@code gru_bwd}, {@code rnn_bwd}: the gate gradients of one step from the reserve and
 *       the running dh (plus the step's dy rows) and dc, with the CPU kernels' formulas
 *       ({@code dev.jtorch.kernels.RnnGates}); LSTM updates dc to dcPrev, GRU writes the direct part of dhPrev
 *       ({@code dh * z}) over dh.</li>
 *   <li>{@code add_dy}: {@code dst = dh + dy} over rows of P (the projected LSTM's dh before W_hr).</li>
 * </ul>
 * Biases are optional ({@code bias} bit 1: b_ih, bit 2: b_hh); absent buffers are any buffer, never read.
 */
final class RnnSource {
    private RnnSource() {
    }

    /** The program of every recurrent kernel, computing in {@code c} (float for float32, double for float64). */
    static String program(CType c) {
        DType dt = c == CType.DOUBLE ? DType.FLOAT64 : DType.FLOAT32;
        StringBuilder s = ElementwiseSource.header("recurrent layer steps", c, List.of(dt));
        s.append(KERNELS);
        return s.toString();
    }

    private static final String KERNELS = """
            /* b_ih[k] + b_hh[k] of the biases present (bit 1, bit 2), as the CPU folds them */
            C jt_bias(__global const C* bih, int bio, __global const C* bhh, int bho, int bias, int k) {
                C b = K(0.0);
                if ((bias & 1) != 0) {
                    b = b + bih[bio + k];
                }
                if ((bias & 2) != 0) {
                    b = b + bhh[bho + k];
                }
                return b;
            }

            __kernel void lstm_fwd(__global C* gates, const int go,
                    __global const C* bih, const int bio, __global const C* bhh, const int bho, const int bias,
                    __global C* hs, const int hso, __global C* cs, const int cso,
                    __global C* hout, const int ho, const int hld,
                    __global C* res, const int hpo, const int cpo, const int co, const int rec,
                    const int rows, const int H, const int P, const int proj) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                int row = i / H;
                int j = i - row * H;
                int g = go + row * 4 * H + j;
                C pi = gates[g];
                C pf = gates[g + H];
                C pg = gates[g + 2 * H];
                C po = gates[g + 3 * H];
                if (bias != 0) {
                    pi = pi + jt_bias(bih, bio, bhh, bho, bias, j);
                    pf = pf + jt_bias(bih, bio, bhh, bho, bias, H + j);
                    pg = pg + jt_bias(bih, bio, bhh, bho, bias, 2 * H + j);
                    po = po + jt_bias(bih, bio, bhh, bho, bias, 3 * H + j);
                }
                C ig = jt_sigmoid(pi);
                C fg = jt_sigmoid(pf);
                C gg = jt_tanh(pg);
                C og = jt_sigmoid(po);
                C cp = cs[cso + row * H + j];
                C c = fma(fg, cp, ig * gg);
                C h = og * jt_tanh(c);
                if (rec != 0) {
                    if (j < P) {
                        res[hpo + row * P + j] = hs[hso + row * P + j];
                    }
                    res[cpo + row * H + j] = cp;
                    res[co + row * H + j] = c;
                }
                gates[g] = ig;
                gates[g + H] = fg;
                gates[g + 2 * H] = gg;
                gates[g + 3 * H] = og;
                cs[cso + row * H + j] = c;
                hout[ho + row * hld + j] = h;
                if (proj == 0) {
                    hs[hso + row * P + j] = h;
                }
            }

            __kernel void gru_fwd(__global const C* xg, const int xo, __global const C* hg, const int hgo,
                    __global const C* bih, const int bio, __global const C* bhh, const int bho, const int bias,
                    __global C* hs, const int hso, __global C* y, const int yo,
                    __global C* res, const int wso, const int hpo, const int rec, const int rows, const int H) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                int row = i / H;
                int j = i - row * H;
                int x = xo + row * 3 * H + j;
                int u = hgo + row * 3 * H + j;
                C xr = xg[x];
                C xz = xg[x + H];
                C xn = xg[x + 2 * H];
                if ((bias & 1) != 0) {
                    xr = xr + bih[bio + j];
                    xz = xz + bih[bio + H + j];
                    xn = xn + bih[bio + 2 * H + j];
                }
                C hr = hg[u];
                C hz = hg[u + H];
                C hn = hg[u + 2 * H];
                if ((bias & 2) != 0) {
                    hr = hr + bhh[bho + j];
                    hz = hz + bhh[bho + H + j];
                    hn = hn + bhh[bho + 2 * H + j];
                }
                C r = jt_sigmoid(xr + hr);
                C z = jt_sigmoid(xz + hz);
                C n = jt_tanh(fma(r, hn, xn));
                C hp = hs[hso + row * H + j];
                C h = fma(z, hp - n, n);
                if (rec != 0) {
                    int w = wso + row * 4 * H + j;
                    res[w] = r;
                    res[w + H] = z;
                    res[w + 2 * H] = n;
                    res[w + 3 * H] = hn;
                    res[hpo + row * H + j] = hp;
                }
                y[yo + row * H + j] = h;
                hs[hso + row * H + j] = h;
            }

            __kernel void rnn_fwd(__global const C* pre, const int po,
                    __global const C* bih, const int bio, __global const C* bhh, const int bho, const int bias,
                    __global C* hs, const int hso, __global C* y, const int yo,
                    __global C* res, const int hpo, const int rec, const int rows, const int H, const int relu) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                int j = i % H;
                C v = pre[po + i];
                if (bias != 0) {
                    v = v + jt_bias(bih, bio, bhh, bho, bias, j);
                }
                C h = relu != 0 ? jt_max(v, K(0.0)) : jt_tanh(v);
                if (rec != 0) {
                    res[hpo + i] = hs[hso + i];
                }
                y[yo + i] = h;
                hs[hso + i] = h;
            }

            __kernel void lstm_bwd(__global const C* res, const int ao, const int cpo, const int co,
                    __global const C* dh, const int dho, const int dhld,
                    __global const C* dy, const int dyo, const int hasDy,
                    __global C* dc, const int dco, __global C* dg, const int dgo, const int rows, const int H) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                int row = i / H;
                int j = i - row * H;
                int a = ao + row * 4 * H + j;
                C ig = res[a];
                C fg = res[a + H];
                C gg = res[a + 2 * H];
                C og = res[a + 3 * H];
                C tc = jt_tanh(res[co + row * H + j]);
                C dhv = dh[dho + row * dhld + j];
                if (hasDy != 0) {
                    dhv = dhv + dy[dyo + row * H + j];
                }
                C dcv = dc[dco + row * H + j];
                C dct = dcv + dhv * og * (K(1.0) - tc * tc);
                int d = dgo + row * 4 * H + j;
                dg[d] = dct * gg * ig * (K(1.0) - ig);
                dg[d + H] = dct * res[cpo + row * H + j] * fg * (K(1.0) - fg);
                dg[d + 2 * H] = dct * ig * (K(1.0) - gg * gg);
                dg[d + 3 * H] = dhv * tc * og * (K(1.0) - og);
                dc[dco + row * H + j] = dct * fg;
            }

            __kernel void gru_bwd(__global const C* res, const int wso, const int hpo,
                    __global C* dh, const int dho, __global const C* dy, const int dyo, const int hasDy,
                    __global C* dxg, const int dxo, __global C* dhg, const int dhgo, const int rows, const int H) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                int row = i / H;
                int j = i - row * H;
                int w = wso + row * 4 * H + j;
                C r = res[w];
                C z = res[w + H];
                C n = res[w + 2 * H];
                C hn = res[w + 3 * H];
                C hp = res[hpo + row * H + j];
                C d = dh[dho + row * H + j];
                if (hasDy != 0) {
                    d = d + dy[dyo + row * H + j];
                }
                C dnPre = d * (K(1.0) - z) * (K(1.0) - n * n);
                C drPre = dnPre * hn * r * (K(1.0) - r);
                C dzPre = d * (hp - n) * z * (K(1.0) - z);
                int x = dxo + row * 3 * H + j;
                dxg[x] = drPre;
                dxg[x + H] = dzPre;
                dxg[x + 2 * H] = dnPre;
                int u = dhgo + row * 3 * H + j;
                dhg[u] = drPre;
                dhg[u + H] = dzPre;
                dhg[u + 2 * H] = dnPre * r;
                dh[dho + row * H + j] = d * z;
            }

            __kernel void rnn_bwd(__global const C* y, const int yo, __global const C* dh, const int dho,
                    __global const C* dy, const int dyo, const int hasDy,
                    __global C* dp, const int dpo, const int rows, const int H, const int relu) {
                int i = (int) get_global_id(0);
                if (i >= rows * H) return;
                C d = dh[dho + i];
                if (hasDy != 0) {
                    d = d + dy[dyo + i];
                }
                C h = y[yo + i];
                dp[dpo + i] = relu != 0 ? (h > K(0.0) ? d : K(0.0)) : d * (K(1.0) - h * h);
            }

            __kernel void add_dy(__global C* dst, const int dso, __global const C* dh, const int dho,
                    __global const C* dy, const int dyo, const int hasDy, const int n) {
                int i = (int) get_global_id(0);
                if (i >= n) return;
                C d = dh[dho + i];
                if (hasDy != 0) {
                    d = d + dy[dyo + i];
                }
                dst[dso + i] = d;
            }
            """;
}
