package dev.jtorch.kernels;

import java.util.Arrays;

/**
 * The column matrix of a convolution (float), and its adjoint: what the GEMM-based convolution multiplies
 * the weight with, and what {@code nn.Unfold}/{@code nn.Fold} expose.
 *
 * <p>For {@code channels} input channels of one image, the column matrix has a row per (channel, tap),
 * {@code c * kD * kH * kW + (kd * kH + kh) * kW + kw}, and a column per output position; a column block
 * covers output rows {@code [r0, r1)} of the flattened (outD, outH) rows, so a large convolution can be
 * computed in slices that stay in cache. Entries that fall in the zero padding are 0. Plain Java (data
 * movement only): with stride 1 each tap row is one {@code System.arraycopy}.
 */
final class Im2colF {
    private Im2colF() {
    }

    /**
     * Writes the column block of output rows [r0, r1): {@code channels * kernelVolume} rows of
     * {@code (r1 - r0) * outW} columns, row-major from {@code colOff}.
     */
    static void im2col(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff, int r0, int r1) {
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int plane = g.inSpatial();
        int sW = g.sW(), pW = g.pW();
        int dst = colOff;
        for (int c = 0; c < channels; c++) {
            int xc = xOff + c * plane;
            for (int kd = 0; kd < g.kD(); kd++) {
                for (int kh = 0; kh < g.kH(); kh++) {
                    for (int kw = 0; kw < g.kW(); kw++) {
                        int iw0 = kw * g.dW() - pW;
                        for (int r = r0; r < r1; r++, dst += outW) {
                            int od = r / outH;
                            int oh = r - od * outH;
                            int id = od * g.sD() - g.pD() + kd * g.dD();
                            int ih = oh * g.sH() - g.pH() + kh * g.dH();
                            if (id < 0 || id >= g.inD() || ih < 0 || ih >= inH) {
                                Arrays.fill(col, dst, dst + outW, 0f);
                                continue;
                            }
                            int row = xc + (id * inH + ih) * inW;
                            if (sW == 1) {
                                int lo = Math.min(outW, Math.max(0, -iw0));
                                int hi = Math.max(lo, Math.min(outW, inW - iw0));
                                if (lo > 0) {
                                    Arrays.fill(col, dst, dst + lo, 0f);
                                }
                                System.arraycopy(x, row + iw0 + lo, col, dst + lo, hi - lo);
                                if (hi < outW) {
                                    Arrays.fill(col, dst + hi, dst + outW, 0f);
                                }
                            } else {
                                for (int ow = 0, iw = iw0; ow < outW; ow++, iw += sW) {
                                    col[dst + ow] = iw >= 0 && iw < inW ? x[row + iw] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the column block of output rows [r0, r1) back into the image ({@code x += col2im(col)}): the
     * adjoint of {@link #im2col}. Entries that fall in the padding are dropped.
     */
    static void col2imAdd(ConvGeometry g, int channels, float[] col, int colOff, float[] x, int xOff, int r0, int r1) {
        int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
        int plane = g.inSpatial();
        int sW = g.sW(), pW = g.pW();
        int src = colOff;
        for (int c = 0; c < channels; c++) {
            int xc = xOff + c * plane;
            for (int kd = 0; kd < g.kD(); kd++) {
                for (int kh = 0; kh < g.kH(); kh++) {
                    for (int kw = 0; kw < g.kW(); kw++) {
                        int iw0 = kw * g.dW() - pW;
                        for (int r = r0; r < r1; r++, src += outW) {
                            int od = r / outH;
                            int oh = r - od * outH;
                            int id = od * g.sD() - g.pD() + kd * g.dD();
                            int ih = oh * g.sH() - g.pH() + kh * g.dH();
                            if (id < 0 || id >= g.inD() || ih < 0 || ih >= inH) {
                                continue;
                            }
                            int row = xc + (id * inH + ih) * inW;
                            if (sW == 1) {
                                int lo = Math.min(outW, Math.max(0, -iw0));
                                int hi = Math.max(lo, Math.min(outW, inW - iw0));
                                int xr = row + iw0;
                                for (int ow = lo; ow < hi; ow++) {
                                    x[xr + ow] += col[src + ow];
                                }
                            } else {
                                for (int ow = 0, iw = iw0; ow < outW; ow++, iw += sW) {
                                    if (iw >= 0 && iw < inW) {
                                        x[row + iw] += col[src + ow];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
