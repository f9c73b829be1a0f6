package dev.jtorch.kernels;

import java.util.Arrays;

/**
 * The scalar twin of the convolution kernels: the definition, as direct loops over every output element
 * and tap (the specification the vector path is tested against, and the fallback without the Vector API).
 * Layouts and arguments as in {@link Conv}.
 */
final class ScalarConv {
    private ScalarConv() {
    }

    /** y = conv(x, w) + bias (bias may be null). */
    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff, float[] y,
                        int yOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int ic0 = oc / og * cg;
                for (int od = 0; od < oD; od++) {
                    for (int oh = 0; oh < oH; oh++) {
                        for (int ow = 0; ow < oW; ow++) {
                            float acc = 0f;
                            for (int c = 0; c < cg; c++) {
                                int xc = xOff + (n * g.inChannels() + ic0 + c) * is;
                                int wc = wOff + (oc * cg + c) * kv;
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int kh = 0; kh < g.kH(); kh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int kw = 0; kw < g.kW(); kw++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                acc += x[xc + (id * g.inH() + ih) * g.inW() + iw]
                                                        * w[wc + (kd * g.kH() + kh) * g.kW() + kw];
                                            }
                                        }
                                    }
                                }
                            }
                            y[yOff + (n * g.outChannels() + oc) * os + (od * oH + oh) * oW + ow] =
                                    bias == null ? acc : acc + bias[bOff + oc];
                        }
                    }
                }
            }
        }
    }

    /** dx = the gradient of conv(x, w) with respect to x, given dy (dx is overwritten). */
    static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0f);
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int ic0 = oc / og * cg;
                for (int od = 0; od < oD; od++) {
                    for (int oh = 0; oh < oH; oh++) {
                        for (int ow = 0; ow < oW; ow++) {
                            float gy = dy[dyOff + (n * g.outChannels() + oc) * os + (od * oH + oh) * oW + ow];
                            for (int c = 0; c < cg; c++) {
                                int xc = dxOff + (n * g.inChannels() + ic0 + c) * is;
                                int wc = wOff + (oc * cg + c) * kv;
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int kh = 0; kh < g.kH(); kh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int kw = 0; kw < g.kW(); kw++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                dx[xc + (id * g.inH() + ih) * g.inW() + iw] +=
                                                        gy * w[wc + (kd * g.kH() + kh) * g.kW() + kw];
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
    }

    /** dw = the gradient of conv(x, w) with respect to w, given dy (dw is overwritten). */
    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        for (int oc = 0; oc < g.outChannels(); oc++) {
            int ic0 = oc / og * cg;
            for (int c = 0; c < cg; c++) {
                for (int kd = 0; kd < g.kD(); kd++) {
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            float acc = 0f;
                            for (int n = 0; n < g.batch(); n++) {
                                int xc = xOff + (n * g.inChannels() + ic0 + c) * is;
                                int yc = dyOff + (n * g.outChannels() + oc) * os;
                                for (int od = 0; od < oD; od++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int oh = 0; oh < oH; oh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int ow = 0; ow < oW; ow++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                acc += dy[yc + (od * oH + oh) * oW + ow]
                                                        * x[xc + (id * g.inH() + ih) * g.inW() + iw];
                                            }
                                        }
                                    }
                                }
                            }
                            dw[dwOff + (oc * cg + c) * kv + (kd * g.kH() + kh) * g.kW() + kw] = acc;
                        }
                    }
                }
            }
        }
    }

    /** y = conv(x, w) + bias (bias may be null). */
    static void forward(ConvGeometry g, double[] x, int xOff, double[] w, int wOff, double[] bias, int bOff,
                        double[] y, int yOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int ic0 = oc / og * cg;
                for (int od = 0; od < oD; od++) {
                    for (int oh = 0; oh < oH; oh++) {
                        for (int ow = 0; ow < oW; ow++) {
                            double acc = 0;
                            for (int c = 0; c < cg; c++) {
                                int xc = xOff + (n * g.inChannels() + ic0 + c) * is;
                                int wc = wOff + (oc * cg + c) * kv;
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int kh = 0; kh < g.kH(); kh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int kw = 0; kw < g.kW(); kw++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                acc += x[xc + (id * g.inH() + ih) * g.inW() + iw]
                                                        * w[wc + (kd * g.kH() + kh) * g.kW() + kw];
                                            }
                                        }
                                    }
                                }
                            }
                            y[yOff + (n * g.outChannels() + oc) * os + (od * oH + oh) * oW + ow] =
                                    bias == null ? acc : acc + bias[bOff + oc];
                        }
                    }
                }
            }
        }
    }

    /** dx = the gradient of conv(x, w) with respect to x, given dy (dx is overwritten). */
    static void backwardInput(ConvGeometry g, double[] dy, int dyOff, double[] w, int wOff, double[] dx, int dxOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0);
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int ic0 = oc / og * cg;
                for (int od = 0; od < oD; od++) {
                    for (int oh = 0; oh < oH; oh++) {
                        for (int ow = 0; ow < oW; ow++) {
                            double gy = dy[dyOff + (n * g.outChannels() + oc) * os + (od * oH + oh) * oW + ow];
                            for (int c = 0; c < cg; c++) {
                                int xc = dxOff + (n * g.inChannels() + ic0 + c) * is;
                                int wc = wOff + (oc * cg + c) * kv;
                                for (int kd = 0; kd < g.kD(); kd++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int kh = 0; kh < g.kH(); kh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int kw = 0; kw < g.kW(); kw++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                dx[xc + (id * g.inH() + ih) * g.inW() + iw] +=
                                                        gy * w[wc + (kd * g.kH() + kh) * g.kW() + kw];
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
    }

    /** dw = the gradient of conv(x, w) with respect to w, given dy (dw is overwritten). */
    static void backwardWeight(ConvGeometry g, double[] x, int xOff, double[] dy, int dyOff, double[] dw,
                               int dwOff) {
        int cg = g.inPerGroup(), og = g.outPerGroup(), kv = g.kernelVolume();
        int oD = g.outD(), oH = g.outH(), oW = g.outW(), os = g.outSpatial(), is = g.inSpatial();
        for (int oc = 0; oc < g.outChannels(); oc++) {
            int ic0 = oc / og * cg;
            for (int c = 0; c < cg; c++) {
                for (int kd = 0; kd < g.kD(); kd++) {
                    for (int kh = 0; kh < g.kH(); kh++) {
                        for (int kw = 0; kw < g.kW(); kw++) {
                            double acc = 0;
                            for (int n = 0; n < g.batch(); n++) {
                                int xc = xOff + (n * g.inChannels() + ic0 + c) * is;
                                int yc = dyOff + (n * g.outChannels() + oc) * os;
                                for (int od = 0; od < oD; od++) {
                                    int id = od * g.sD() - g.pD() + kd * g.dD();
                                    for (int oh = 0; oh < oH; oh++) {
                                        int ih = oh * g.sH() - g.pH() + kh * g.dH();
                                        for (int ow = 0; ow < oW; ow++) {
                                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                                            if (id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0
                                                    && iw < g.inW()) {
                                                acc += dy[yc + (od * oH + oh) * oW + ow]
                                                        * x[xc + (id * g.inH() + ih) * g.inW() + iw];
                                            }
                                        }
                                    }
                                }
                            }
                            dw[dwOff + (oc * cg + c) * kv + (kd * g.kH() + kh) * g.kW() + kw] = acc;
                        }
                    }
                }
            }
        }
    }
}
