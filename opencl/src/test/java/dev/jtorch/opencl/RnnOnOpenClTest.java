package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.GRU;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Nonlinearity;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.RNN;
import dev.jtorch.nn.RNNBase;
import dev.jtorch.nn.utils.rnn.PackedSequence;
import dev.jtorch.nn.utils.rnn.RnnUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * torch.nn's recurrent modules on the device: LSTM (with and without projection), GRU and RNN with two layers,
 * both directions and batch_first, over a padded batch and over a PackedSequence of unsorted lengths, forward
 * (output and final states) and backward (the input's, the initial states' and every parameter's gradient) on
 * OpenCL against the same module on the CPU, float64 to 1e-11 and float32 to 1e-4.
 */
class RnnOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    static final int B = 3;
    static final int T = 5;
    static final int IN = 4;

    /** The values compared: outputs, final states, and the gradients of the inputs and parameters. */
    static Map<String, double[]> run(Supplier<RNNBase> make, DType dt, Device d, boolean packed) {
        Torch.manualSeed(7);
        RNNBase m = make.get();
        Module mod = m.to(dt).to(d);
        boolean lstm = m instanceof LSTM;
        int dirs = 2;
        int layers = 2;
        int p = m.projSize > 0 ? m.projSize : m.hiddenSize;
        Tensor x = Torch.randn(B, T, IN).to(dt).to(d).requiresGrad_(true);
        Tensor h0 = Torch.randn(layers * dirs, B, p).to(dt).to(d).requiresGrad_(true);
        Tensor c0 = Torch.randn(layers * dirs, B, m.hiddenSize).to(dt).to(d).requiresGrad_(true);
        Tensor[] hx = lstm ? new Tensor[] {h0, c0} : new Tensor[] {h0};
        Tensor out;
        Tensor hN;
        Tensor cN;
        if (packed) {
            PackedSequence ps = RnnUtils.packPaddedSequence(x, new long[] {3, 5, 1}, true, false);
            RNNBase.PackedOutput o = forward(m, ps, hx);
            out = o.output().data();
            hN = o.hN();
            cN = o.cN();
        } else {
            RNNBase.Output o = forward(m, x, hx);
            out = o.output();
            hN = o.hN();
            cN = o.cN();
        }
        assertEquals(d, out.device());
        // a loss reaching every output with its own weights
        Tensor loss = out.mul(Torch.randn(out.shape()).to(dt).to(d)).sum()
                .add(hN.mul(Torch.randn(hN.shape()).to(dt).to(d)).sum());
        if (cN != null) {
            loss = loss.add(cN.mul(Torch.randn(cN.shape()).to(dt).to(d)).sum());
        }
        loss.backward();
        Map<String, double[]> r = new java.util.LinkedHashMap<>();
        r.put("output", out.cpu().to(DType.FLOAT64).toDoubleArray());
        r.put("h_n", hN.cpu().to(DType.FLOAT64).toDoubleArray());
        if (cN != null) {
            r.put("c_n", cN.cpu().to(DType.FLOAT64).toDoubleArray());
            r.put("grad c0", c0.grad().cpu().to(DType.FLOAT64).toDoubleArray());
        }
        r.put("grad x", x.grad().cpu().to(DType.FLOAT64).toDoubleArray());
        r.put("grad h0", h0.grad().cpu().to(DType.FLOAT64).toDoubleArray());
        for (Map.Entry<String, Parameter> e : mod.namedParameters().entrySet()) {
            r.put("grad " + e.getKey(), e.getValue().grad().cpu().to(DType.FLOAT64).toDoubleArray());
        }
        return r;
    }

    static RNNBase.Output forward(RNNBase m, Tensor x, Tensor[] hx) {
        return switch (m) {
            case LSTM l -> l.forward(x, hx);
            case GRU g -> g.forward(x, hx);
            case RNN r -> r.forward(x, hx);
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    static RNNBase.PackedOutput forward(RNNBase m, PackedSequence x, Tensor[] hx) {
        return switch (m) {
            case LSTM l -> l.forward(x, hx);
            case GRU g -> g.forward(x, hx);
            case RNN r -> r.forward(x, hx);
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    static void compare(String what, Supplier<RNNBase> make) {
        List<String> failures = new ArrayList<>();
        OpenClBackend ocl = Ocl.backend();
        List<DType> dts = ocl.supportsFloat64() ? List.of(DType.FLOAT64, DType.FLOAT32) : List.of(DType.FLOAT32);
        for (DType dt : dts) {
            for (boolean packed : new boolean[] {false, true}) {
                Map<String, double[]> e = run(make, dt, Device.CPU, packed);
                Map<String, double[]> a = run(make, dt, Device.opencl(0), packed);
                assertEquals(e.keySet(), a.keySet());
                double tol = dt == DType.FLOAT64 ? 1e-11 : 1e-4;
                for (String k : e.keySet()) {
                    double[] x = e.get(k);
                    double[] y = a.get(k);
                    assertEquals(x.length, y.length, k);
                    for (int i = 0; i < x.length; i++) {
                        if (!(Math.abs(x[i] - y[i]) <= tol + tol * Math.abs(x[i]))) {
                            failures.add(what + " " + dt + (packed ? " packed " : " ") + k + "[" + i + "] is " + y[i]
                                    + ", expected " + x[i]);
                            break;
                        }
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    void lstm() {
        compare("LSTM", () -> new LSTM(IN, 6, 2, true, true, 0, true, 0));
    }

    @Test
    void lstmWithProjection() {
        compare("LSTM proj", () -> new LSTM(IN, 6, 2, true, true, 0, true, 3));
    }

    @Test
    void gru() {
        compare("GRU", () -> new GRU(IN, 5, 2, true, true, 0, true));
    }

    @Test
    void reluRnnWithoutBias() {
        compare("RNN relu", () -> new RNN(IN, 5, 2, Nonlinearity.RELU, false, true, 0, true));
    }

    @Test
    void tanhRnn() {
        compare("RNN tanh", () -> new RNN(IN, 5, 2, Nonlinearity.TANH, true, true, 0, true));
    }
}
