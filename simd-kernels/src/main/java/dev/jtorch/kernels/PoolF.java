package dev.jtorch.kernels;

import java.util.Arrays;

/**
 * Windowed max and average pooling and their gradients (float; see {@link Pool} for the contract, arguments
 * are assumed valid). Each window is first clipped to the taps inside the input, so the inner loops carry no
 * bounds checks.
 */
final class PoolF {
    private PoolF() {
    }

    /** The first tap index j with start + j * dil >= 0. */
    private static int first(int s, int dil) {
        return s >= 0 ? 0 : (-s + dil - 1) / dil;
    }

    /** One past the last tap index j < count with start + j * dil < in. */
    private static int last(int s, int count, int dil, int in) {
        if (s >= in) {
            return 0;
        }
        return Math.min(count, (in - 1 - s) / dil + 1);
    }

    static void max(PoolWindows w, float[] x, int xOff, float[] y, int yOff, long[] idx, int iOff) {
        int inH = w.in[1], inW = w.in[2];
        int dD = w.dilation[0], dH = w.dilation[1], dW = w.dilation[2];
        int is = w.inSpatial();
        int o = 0;
        for (int p = 0; p < w.planes; p++) {
            int xp = xOff + p * is;
            for (int od = 0; od < w.out[0]; od++) {
                int sd = w.start(0, p, od);
                int d0 = first(sd, dD), d1 = last(sd, w.count[0][od], dD, w.in[0]);
                for (int oh = 0; oh < w.out[1]; oh++) {
                    int sh = w.start(1, p, oh);
                    int h0 = first(sh, dH), h1 = last(sh, w.count[1][oh], dH, inH);
                    for (int ow = 0; ow < w.out[2]; ow++, o++) {
                        int sw = w.start(2, p, ow);
                        int w0 = first(sw, dW), w1 = last(sw, w.count[2][ow], dW, inW);
                        float m = Float.NEGATIVE_INFINITY;
                        int arg = ((sd + d0 * dD) * inH + sh + h0 * dH) * inW + sw + w0 * dW;
                        for (int jd = d0; jd < d1; jd++) {
                            for (int jh = h0; jh < h1; jh++) {
                                int row = ((sd + jd * dD) * inH + sh + jh * dH) * inW + sw;
                                for (int jw = w0; jw < w1; jw++) {
                                    int at = row + jw * dW;
                                    float v = x[xp + at];
                                    // PyTorch's rule (a larger value or NaN takes over), as selects rather than a
                                    // branch: on random data the branch mispredicted every other tap
                                    boolean take = v > m | v != v;
                                    m = take ? v : m;
                                    arg = take ? at : arg;
                                }
                            }
                        }
                        y[yOff + o] = m;
                        if (idx != null) {
                            idx[iOff + o] = arg;
                        }
                    }
                }
            }
        }
    }

    static void maxBackward(PoolWindows w, float[] dy, int dyOff, long[] idx, int iOff, float[] dx, int dxOff) {
        int is = w.inSpatial(), os = w.outSpatial();
        Arrays.fill(dx, dxOff, dxOff + w.inputSize(), 0f);
        for (int p = 0; p < w.planes; p++) {
            int xp = dxOff + p * is;
            int op = p * os;
            for (int o = 0; o < os; o++) {
                dx[xp + (int) idx[iOff + op + o]] += dy[dyOff + op + o];
            }
        }
    }

    static void avg(PoolWindows w, float[] x, int xOff, float[] y, int yOff) {
        int inH = w.in[1], inW = w.in[2];
        int dD = w.dilation[0], dH = w.dilation[1], dW = w.dilation[2];
        int is = w.inSpatial();
        int o = 0;
        for (int p = 0; p < w.planes; p++) {
            int xp = xOff + p * is;
            for (int od = 0; od < w.out[0]; od++) {
                int sd = w.start(0, p, od);
                int d0 = first(sd, dD), d1 = last(sd, w.count[0][od], dD, w.in[0]);
                for (int oh = 0; oh < w.out[1]; oh++) {
                    int sh = w.start(1, p, oh);
                    int h0 = first(sh, dH), h1 = last(sh, w.count[1][oh], dH, inH);
                    for (int ow = 0; ow < w.out[2]; ow++, o++) {
                        int sw = w.start(2, p, ow);
                        int w0 = first(sw, dW), w1 = last(sw, w.count[2][ow], dW, inW);
                        float sum = 0f;
                        for (int jd = d0; jd < d1; jd++) {
                            for (int jh = h0; jh < h1; jh++) {
                                int row = xp + ((sd + jd * dD) * inH + sh + jh * dH) * inW + sw;
                                for (int jw = w0; jw < w1; jw++) {
                                    sum += x[row + jw * dW];
                                }
                            }
                        }
                        y[yOff + o] = (float) (sum / w.divisor(od, oh, ow));
                    }
                }
            }
        }
    }

    static void avgBackward(PoolWindows w, float[] dy, int dyOff, float[] dx, int dxOff) {
        int inH = w.in[1], inW = w.in[2];
        int dD = w.dilation[0], dH = w.dilation[1], dW = w.dilation[2];
        int is = w.inSpatial();
        Arrays.fill(dx, dxOff, dxOff + w.inputSize(), 0f);
        int o = 0;
        for (int p = 0; p < w.planes; p++) {
            int xp = dxOff + p * is;
            for (int od = 0; od < w.out[0]; od++) {
                int sd = w.start(0, p, od);
                int d0 = first(sd, dD), d1 = last(sd, w.count[0][od], dD, w.in[0]);
                for (int oh = 0; oh < w.out[1]; oh++) {
                    int sh = w.start(1, p, oh);
                    int h0 = first(sh, dH), h1 = last(sh, w.count[1][oh], dH, inH);
                    for (int ow = 0; ow < w.out[2]; ow++, o++) {
                        int sw = w.start(2, p, ow);
                        int w0 = first(sw, dW), w1 = last(sw, w.count[2][ow], dW, inW);
                        float g = (float) (dy[dyOff + o] / w.divisor(od, oh, ow));
                        for (int jd = d0; jd < d1; jd++) {
                            for (int jh = h0; jh < h1; jh++) {
                                int row = xp + ((sd + jd * dD) * inH + sh + jh * dH) * inW + sw;
                                for (int jw = w0; jw < w1; jw++) {
                                    dx[row + jw * dW] += g;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
