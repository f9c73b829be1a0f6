package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Utils;
import dev.jtorch.optim.Adam;
import dev.jtorch.testing.FakeDevice;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training on a second backend: the char-LSTM demo's model (one-hot input, a two-layer LSTM, a linear head,
 * cross entropy, gradient clipping, Adam) trains a few steps on the second backend ({@link TestDevice}) and ends
 * with the CPU run's parameters and losses: exactly on {@link FakeDevice}, to float tolerance on a real device (the
 * OpenCL module runs it on opencl:0). Everything a training step touches (the fused recurrent op and its
 * backward, the loss, clip_grad_norm_, the optimizer's state) has to stay on the device for this to run.
 */
class DeviceTrainingTest {
    static final int VOCAB = 11;
    static final int HIDDEN = 16;
    static final int SEQ = 7;
    static final int BATCH = 3;

    /** The demo's model: one-hot (T, B, V) in, logits (T, B, V) out. */
    static final class Model extends Module {
        final LSTM rnn;
        final Linear head;

        Model() {
            rnn = registerModule("rnn", new LSTM(VOCAB, HIDDEN, 2, true, false, 0, false, 0));
            head = registerModule("head", new Linear(HIDDEN, VOCAB));
        }

        @Override
        public Tensor forward(Tensor x) {
            return head.call(rnn.forward(x, (Tensor[]) null).output());
        }
    }

    /** Trains {@code steps} steps on {@code device}; returns the final parameters on the CPU and the losses. */
    static Object[] train(Device device, int steps) {
        Torch.manualSeed(3);
        Model model = new Model();
        model.to(device);
        Adam adam = new Adam(model.parameters(), 0.01);
        Generator g = new Generator(7);
        Tensor eye = Torch.eye(VOCAB).to(device);
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            long[] xi = new long[SEQ * BATCH];
            long[] yi = new long[SEQ * BATCH];
            for (int i = 0; i < xi.length; i++) {
                xi[i] = g.randint(0, VOCAB);
                yi[i] = g.randint(0, VOCAB);
            }
            Tensor x = eye.indexSelect(0, Torch.tensor(xi).to(device)).view(SEQ, BATCH, VOCAB);
            Tensor y = Torch.tensor(yi).to(device);
            adam.zeroGrad();
            Tensor loss = F.crossEntropy(model.call(x).reshape(SEQ * BATCH, VOCAB), y);
            assertEquals(device, loss.device());
            loss.backward();
            Utils.clipGradNorm_(model.parameters(), 0.5);
            adam.step();
            losses[s] = loss.item();
        }
        Map<String, Tensor> sd = model.stateDict();
        for (Tensor p : sd.values()) {
            assertEquals(device, p.device(), "parameters stay on the device");
        }
        sd.replaceAll((k, t) -> t.cpu());
        return new Object[] {sd, losses};
    }

    @Test
    @Tag("device")
    @SuppressWarnings("unchecked")
    void theDemosModelTrainsOnASecondBackendAsOnTheCpu() throws Exception {
        Object[] cpu = train(Device.CPU, 4);
        Object[] dev;
        try (var _ = TestDevice.install()) {
            dev = train(TestDevice.device(), 4);
        }
        // the fake device computes with the CPU's kernels, so it must agree bit for bit; a real device rounds
        // in its own order (float32 sums, fused multiply-adds), so it agrees to float tolerance
        double tol = TestDevice.real() ? 1e-4 : 0;
        assertArrayEquals((double[]) cpu[1], (double[]) dev[1], tol, "losses");
        Map<String, Tensor> a = (Map<String, Tensor>) cpu[0];
        Map<String, Tensor> b = (Map<String, Tensor>) dev[0];
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), (float) tol, k);
        }
        double[] l = (double[]) cpu[1];
        assertEquals(DType.FLOAT32, a.get("head.weight").dtype());
        org.junit.jupiter.api.Assertions.assertTrue(l[3] < l[0], "it learns: " + java.util.Arrays.toString(l));
    }
}
