package dev.jtorch.opencl;

import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Utils;
import dev.jtorch.optim.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the examples' character-level language model (CharLm: one-hot characters, a two-layer LSTM, a
 * linear head, cross entropy, gradient clipping at norm 5, Adam) trains a few steps on OpenCL as on the CPU:
 * the losses agree to float rounding and so do the weights after the last step (PoCL: within 2e-7).
 */
class CharLstmOnOpenClTest {
    private static final String TEXT = "In the beginning God created the heaven and the earth. And the earth was "
            + "without form, and void; and darkness was upon the face of the deep. And the Spirit of God moved upon "
            + "the face of the waters. And God said, Let there be light: and there was light.";

    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    /** CharLm.Model's layers: the LSTM over one-hot rows, the head over its outputs. */
    static final class Model extends Module {
        final LSTM rnn;
        final Linear head;

        Model(int vocab, int hidden) {
            rnn = registerModule("rnn", new LSTM(vocab, hidden, 2, true, false, 0, false, 0));
            head = registerModule("head", new Linear(hidden, vocab));
        }
    }

    static Object[] train(Device d, int steps) {
        TreeSet<Character> chars = new TreeSet<>();
        for (char ch : TEXT.toCharArray()) {
            chars.add(ch);
        }
        StringBuilder vocab = new StringBuilder();
        chars.forEach(vocab::append);
        int v = vocab.length();
        long[] ids = new long[TEXT.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(String.valueOf(TEXT.charAt(i)));
        }
        int seq = 12;
        int batch = 5;
        Torch.manualSeed(3);
        Generator g = new Generator(3);
        Model model = new Model(v, 24);
        model.to(d);
        Tensor eye = Torch.eye(v).to(d);
        Adam adam = new Adam(model.parameters(), 0.003);
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            long[] xi = new long[seq * batch];
            long[] yi = new long[seq * batch];
            for (int b = 0; b < batch; b++) {
                int s = (int) g.randint(0, ids.length - seq - 1);
                for (int t = 0; t < seq; t++) {
                    xi[t * batch + b] = ids[s + t];
                    yi[t * batch + b] = ids[s + t + 1];
                }
            }
            Tensor x = eye.indexSelect(0, Torch.tensor(xi).to(d)).view(seq, batch, v);
            Tensor y = Torch.tensor(yi).to(d);
            adam.zeroGrad();
            Tensor out = model.rnn.forward(x, (Tensor[]) null).output();
            Tensor loss = F.crossEntropy(model.head.call(out).reshape(seq * batch, v), y);
            assertEquals(d, loss.device());
            loss.backward();
            Utils.clipGradNorm_(model.parameters(), 5.0);
            adam.step();
            losses[step] = loss.item();
        }
        Map<String, Tensor> sd = model.stateDict();
        sd.replaceAll((k, t) -> t.cpu());
        return new Object[] {sd, losses};
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCharacterLstmTrainsOnTheDeviceAsOnTheCpu() {
        int steps = 6;
        Object[] cpu = train(Device.CPU, steps);
        Object[] dev = train(Device.opencl(0), steps);
        double[] lc = (double[]) cpu[1];
        double[] ld = (double[]) dev[1];
        for (int i = 0; i < steps; i++) {
            assertEquals(lc[i], ld[i], 1e-5 * Math.abs(lc[i]), "loss at step " + i);
        }
        assertTrue(lc[steps - 1] < lc[0], "it learns: " + lc[0] + " -> " + lc[steps - 1]);
        Map<String, Tensor> a = (Map<String, Tensor>) cpu[0];
        Map<String, Tensor> b = (Map<String, Tensor>) dev[0];
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray();
            float[] y = b.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5, k + "[" + i + "]");
            }
        }
    }
}
