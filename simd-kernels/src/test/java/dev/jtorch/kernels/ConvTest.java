package dev.jtorch.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution kernels against their scalar twin (the direct definition) on odd sizes, paddings, strides,
 * dilations, groups, depthwise and pointwise cases, in 1, 2 and 3 spatial dimensions, at offsets into larger
 * arrays; im2col against its definition and col2im as its adjoint.
 */
class ConvTest {
    static List<ConvGeometry> geometries() {
        List<ConvGeometry> gs = new ArrayList<>();
        int[] one = {1};
        // 1-d
        gs.add(ConvGeometry.of(2, 3, 5, 1, new int[] {17}, new int[] {3}, one, one, one));
        gs.add(ConvGeometry.of(1, 4, 6, 2, new int[] {33}, new int[] {5}, new int[] {2}, new int[] {3}, new int[] {2}));
        gs.add(ConvGeometry.of(3, 6, 6, 6, new int[] {40}, new int[] {3}, one, one, one));            // depthwise
        // 2-d
        gs.add(ConvGeometry.of(2, 3, 4, 1, new int[] {7, 9}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        gs.add(ConvGeometry.of(1, 5, 7, 1, new int[] {13, 11}, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 0},
                new int[] {2, 1}));
        gs.add(ConvGeometry.of(2, 6, 9, 3, new int[] {8, 10}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2},
                new int[] {2, 2}));
        gs.add(ConvGeometry.of(2, 8, 5, 1, new int[] {6, 7}, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1})); // pointwise
        gs.add(ConvGeometry.of(2, 4, 4, 2, new int[] {6, 7}, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1})); // grouped 1x1
        gs.add(ConvGeometry.of(2, 5, 5, 5, new int[] {37, 71}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1})); // depthwise
        gs.add(ConvGeometry.of(1, 3, 6, 3, new int[] {19, 35}, new int[] {3, 5}, new int[] {2, 2}, new int[] {1, 2},
                new int[] {1, 2})); // multiplier 2
        gs.add(ConvGeometry.of(2, 1, 8, 1, new int[] {9, 70}, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 1},
                new int[] {1, 1})); // one input channel
        gs.add(ConvGeometry.of(1, 3, 4, 1, new int[] {23, 23}, new int[] {7, 7}, new int[] {2, 2}, new int[] {3, 3},
                new int[] {1, 1}));
        // the direct kernel at 512 bits: leftover channels (6 = 4 + 2) and rows (11 = 4 + 4 + 3), stride and dilation
        gs.add(ConvGeometry.of(1, 3, 6, 1, new int[] {11, 50}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        gs.add(ConvGeometry.of(2, 4, 8, 2, new int[] {13, 70}, new int[] {3, 5}, new int[] {2, 2}, new int[] {2, 1},
                new int[] {1, 2}));
        gs.add(ConvGeometry.of(1, 3, 5, 1, new int[] {30, 31}, new int[] {7, 7}, new int[] {3, 2}, new int[] {3, 3},
                new int[] {1, 1}));
        // many input channels: the direct kernel packs the input in bands of rows (5 bands; 3 bands, strided)
        gs.add(ConvGeometry.of(1, 96, 8, 1, new int[] {20, 70}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        gs.add(ConvGeometry.of(1, 64, 4, 1, new int[] {17, 66}, new int[] {5, 5}, new int[] {2, 2}, new int[] {2, 2},
                new int[] {1, 1}));
        // row mode (stride 1, rows of whole vectors): leftover channels and rows
        gs.add(ConvGeometry.of(1, 5, 6, 1, new int[] {9, 32}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        gs.add(ConvGeometry.of(2, 3, 4, 1, new int[] {6, 18}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 0},
                new int[] {1, 1}));
        // flat mode (stride 1, rows that leave lanes idle): dilation, leftover channels; 3 bands of 40, 40, 10 rows
        gs.add(ConvGeometry.of(2, 4, 6, 1, new int[] {12, 27}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 1},
                new int[] {2, 1}));
        gs.add(ConvGeometry.of(1, 200, 5, 1, new int[] {90, 13}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        // 1x1 on the input planes in place: leftover channels (9 = 8 + 1) and a tail of 3 columns; grouped, no tail
        gs.add(ConvGeometry.of(2, 6, 9, 1, new int[] {17, 19}, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}));
        gs.add(ConvGeometry.of(1, 8, 8, 2, new int[] {16, 20}, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}));
        // depthwise 3x3 stride 1: two-vector tiles, a one-vector tile and a partial vector per row, 2 leftover rows
        gs.add(ConvGeometry.of(1, 3, 3, 3, new int[] {10, 50}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}));
        // 3-d
        gs.add(ConvGeometry.of(2, 2, 3, 1, new int[] {5, 6, 7}, new int[] {3, 2, 3}, new int[] {1, 2, 1},
                new int[] {1, 0, 1}, new int[] {1, 1, 2}));
        gs.add(ConvGeometry.of(1, 4, 4, 4, new int[] {4, 5, 40}, new int[] {2, 3, 3}, new int[] {1, 1, 1},
                new int[] {1, 1, 1}, new int[] {1, 1, 1}));
        return gs;
    }

    @Test
    void theGeometriesReachEveryForwardPath() {
        List<ConvGeometry> gs = geometries();
        assertTrue(gs.stream().filter(g -> ConvF.direct(g) && DirectConvF.flat(g)).count() >= 3, "flat mode");
        assertTrue(gs.stream().filter(g -> ConvF.direct(g) && !DirectConvF.flat(g) && !g.depthwise()).count() >= 2,
                "direct rows");
        assertTrue(gs.stream().filter(g -> ConvF.direct(g) && g.depthwise()).count() >= 2, "direct depthwise");
        assertTrue(gs.stream().filter(g -> ConvF.direct(g) && g.pointwise()).count() >= 2, "direct 1x1");
        assertTrue(gs.stream().filter(g -> !ConvF.direct(g)).count() >= 4, "GEMM");
    }

    @Test
    void floatMatchesTheScalarTwin() {
        SplittableRandom r = new SplittableRandom(1);
        for (ConvGeometry g : geometries()) {
            int off = 3;
            float[] x = TestData.floats(r, off + g.inputSize(), -1, 1);
            float[] w = TestData.floats(r, off + g.weightSize(), -1, 1);
            float[] b = TestData.floats(r, off + g.outChannels(), -1, 1);
            float[] dy = TestData.floats(r, off + g.outputSize(), -1, 1);
            double tol = 1e-5 * Math.sqrt(g.inPerGroup() * g.kernelVolume() * Math.max(1, g.batch() * g.outSpatial()));
            for (boolean withBias : new boolean[] {true, false}) {
                float[] y = new float[off + g.outputSize()];
                float[] ref = y.clone();
                Conv.forward(g, x, off, w, off, withBias ? b : null, off, y, off);
                ScalarConv.forward(g, x, off, w, off, withBias ? b : null, off, ref, off);
                TestData.assertClose(ref, y, tol, 1e-5, "forward " + g);
            }
            float[] dx = TestData.floats(r, off + g.inputSize(), 5, 6);   // garbage: must be overwritten
            float[] dxRef = dx.clone();
            Conv.backwardInput(g, dy, off, w, off, dx, off);
            ScalarConv.backwardInput(g, dy, off, w, off, dxRef, off);
            TestData.assertClose(dxRef, dx, tol, 1e-5, "backwardInput " + g);
            float[] dw = TestData.floats(r, off + g.weightSize(), 5, 6);
            float[] dwRef = dw.clone();
            Conv.backwardWeight(g, x, off, dy, off, dw, off);
            ScalarConv.backwardWeight(g, x, off, dy, off, dwRef, off);
            TestData.assertClose(dwRef, dw, tol, 1e-5, "backwardWeight " + g);
        }
    }

    @Test
    void doubleMatchesTheScalarTwin() {
        SplittableRandom r = new SplittableRandom(2);
        for (ConvGeometry g : geometries()) {
            int off = 5;
            double[] x = TestData.doubles(r, off + g.inputSize(), -1, 1);
            double[] w = TestData.doubles(r, off + g.weightSize(), -1, 1);
            double[] b = TestData.doubles(r, off + g.outChannels(), -1, 1);
            double[] dy = TestData.doubles(r, off + g.outputSize(), -1, 1);
            double[] y = new double[off + g.outputSize()];
            double[] ref = y.clone();
            Conv.forward(g, x, off, w, off, b, off, y, off);
            ScalarConv.forward(g, x, off, w, off, b, off, ref, off);
            TestData.assertClose(ref, y, 1e-12, 1e-12, "forward " + g);
            double[] dx = new double[off + g.inputSize()];
            double[] dxRef = dx.clone();
            Conv.backwardInput(g, dy, off, w, off, dx, off);
            ScalarConv.backwardInput(g, dy, off, w, off, dxRef, off);
            TestData.assertClose(dxRef, dx, 1e-12, 1e-12, "backwardInput " + g);
            double[] dw = new double[off + g.weightSize()];
            double[] dwRef = dw.clone();
            Conv.backwardWeight(g, x, off, dy, off, dw, off);
            ScalarConv.backwardWeight(g, x, off, dy, off, dwRef, off);
            TestData.assertClose(dwRef, dw, 1e-11, 1e-11, "backwardWeight " + g);
        }
    }

    @Test
    void gradientsAreTheAdjointsOfTheForward() {
        // <conv(x, w), dy> = <x, backwardInput(dy, w)> = <w, backwardWeight(x, dy)>
        SplittableRandom r = new SplittableRandom(3);
        for (ConvGeometry g : geometries()) {
            double[] x = TestData.doubles(r, g.inputSize(), -1, 1);
            double[] w = TestData.doubles(r, g.weightSize(), -1, 1);
            double[] dy = TestData.doubles(r, g.outputSize(), -1, 1);
            double[] y = new double[g.outputSize()];
            double[] dx = new double[g.inputSize()];
            double[] dw = new double[g.weightSize()];
            Conv.forward(g, x, 0, w, 0, null, 0, y, 0);
            Conv.backwardInput(g, dy, 0, w, 0, dx, 0);
            Conv.backwardWeight(g, x, 0, dy, 0, dw, 0);
            double a = dot(y, dy);
            assertEquals(a, dot(x, dx), 1e-10 * (1 + Math.abs(a)), "input adjoint " + g);
            assertEquals(a, dot(w, dw), 1e-10 * (1 + Math.abs(a)), "weight adjoint " + g);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void im2colIsTheDefinitionAndCol2imItsAdjoint() {
        SplittableRandom r = new SplittableRandom(4);
        for (ConvGeometry g : geometries()) {
            int k = g.kernelVolume();
            int p = g.outSpatial();
            float[] x = TestData.floats(r, 2 + g.inputSize(), -1, 1);
            float[] col = new float[1 + (int) Conv.columnSize(g)];
            Conv.im2col(g, x, 2, col, 1);
            for (int n = 0; n < g.batch(); n++) {
                for (int c = 0; c < g.inChannels(); c++) {
                    for (int t = 0; t < k; t++) {
                        int kd = t / (g.kH() * g.kW()), kh = t / g.kW() % g.kH(), kw = t % g.kW();
                        for (int q = 0; q < p; q++) {
                            int od = q / (g.outH() * g.outW()), oh = q / g.outW() % g.outH(), ow = q % g.outW();
                            int id = od * g.sD() - g.pD() + kd * g.dD();
                            int ih = oh * g.sH() - g.pH() + kh * g.dH();
                            int iw = ow * g.sW() - g.pW() + kw * g.dW();
                            boolean in = id >= 0 && id < g.inD() && ih >= 0 && ih < g.inH() && iw >= 0 && iw < g.inW();
                            float e = in ? x[2 + ((n * g.inChannels() + c) * g.inD() + id) * g.inH() * g.inW()
                                    + ih * g.inW() + iw] : 0f;
                            assertEquals(e, col[1 + ((n * g.inChannels() + c) * k + t) * p + q], g + " col");
                        }
                    }
                }
            }
            double[] xd = TestData.doubles(r, g.inputSize(), -1, 1);
            double[] cd = TestData.doubles(r, (int) Conv.columnSize(g), -1, 1);
            double[] colOfX = new double[cd.length];
            double[] back = TestData.doubles(r, g.inputSize(), 3, 4);
            Conv.im2col(g, xd, 0, colOfX, 0);
            Conv.col2im(g, cd, 0, back, 0);
            double a = dot(colOfX, cd);
            assertEquals(a, dot(xd, back), 1e-10 * (1 + Math.abs(a)), "col2im adjoint " + g);
        }
    }

    @Test
    void badArgumentsFailBeforeWriting() {
        ConvGeometry g = ConvGeometry.of(1, 2, 2, 1, new int[] {5, 5}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1});
        float[] y = new float[g.outputSize()];
        assertThrows(IllegalArgumentException.class,
                () -> Conv.forward(g, new float[g.inputSize() - 1], 0, new float[g.weightSize()], 0, null, 0, y, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Conv.forward(g, new float[g.inputSize()], 0, new float[g.weightSize()], 0, new float[1], 0, y,
                        0));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(1, 3, 2, 2, new int[] {5}, new int[] {3},
                new int[] {1}, new int[] {0}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(1, 2, 2, 1, new int[] {2}, new int[] {3},
                new int[] {1}, new int[] {0}, new int[] {1}));
    }
}
