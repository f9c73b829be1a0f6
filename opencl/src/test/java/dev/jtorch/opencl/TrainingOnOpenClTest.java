package dev.jtorch.opencl;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.functional.F;
import dev.jtorch.optim.SGD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nn on the device: an MLP classifier (Linear, ReLU, Linear, cross entropy, SGD) trains twenty steps on
 * OpenCL and ends within float rounding of the CPU run, every step's matmuls, reductions, log-softmax, gather
 * and optimizer updates computed on the device.
 */
class TrainingOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    static Object[] train(Device d) {
        Torch.manualSeed(1);
        Module m = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3));
        m.to(d);
        SGD opt = new SGD(m.parameters(), 0.1);
        Tensor x = Torch.randn(32, 8).to(d);
        Tensor y = Torch.randint(0, 3, 32).to(d);
        double[] losses = new double[20];
        for (int i = 0; i < losses.length; i++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(m.call(x), y);
            assertEquals(d, loss.device());
            loss.backward();
            opt.step();
            losses[i] = loss.item();
        }
        Map<String, Tensor> sd = m.stateDict();
        sd.replaceAll((k, t) -> t.cpu());
        return new Object[] {sd, losses};
    }

    @Test
    @SuppressWarnings("unchecked")
    void anMlpTrainsOnTheDeviceAsOnTheCpu() {
        Object[] cpu = train(Device.CPU);
        Object[] dev = train(Device.opencl(0));
        double[] lc = (double[]) cpu[1];
        double[] ld = (double[]) dev[1];
        for (int i = 0; i < lc.length; i++) {
            assertEquals(lc[i], ld[i], 1e-5 * Math.abs(lc[i]), "loss at step " + i);
        }
        assertTrue(lc[19] < lc[0], "it learns");
        Map<String, Tensor> a = (Map<String, Tensor>) cpu[0];
        Map<String, Tensor> b = (Map<String, Tensor>) dev[0];
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloatArray();
            float[] y = b.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5, k + "[" + i + "]");
            }
        }
    }
}
