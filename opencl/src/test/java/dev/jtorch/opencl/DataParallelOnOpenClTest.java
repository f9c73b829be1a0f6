package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.Tanh;
import dev.jtorch.nn.parallel.DataParallel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DataParallel with the module on the OpenCL device: replicas on the device and on the CPU (the parameters copied
 * there and the gradients brought back), and two replicas sharing the one device; outputs and parameter gradients
 * equal the plain CPU module's in float64.
 */
class DataParallelOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    static Module mlp() {
        Torch.manualSeed(3);
        return new Sequential(new Linear(5, 12), new Tanh(), new Linear(12, 4)).float64();
    }

    static void close(String what, Tensor e, Tensor a) {
        assertArrayEquals(e.shape(), a.shape(), what);
        double[] x = e.toDoubleArray();
        double[] y = a.cpu().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-12 + 1e-10 * Math.abs(x[i]), what + " element " + i);
        }
    }

    void check(List<Device> devices) {
        Module cpu = mlp();
        Tensor x = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 7, 5);
        Tensor y = cpu.call(x);
        y.sum().backward();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        cpu.namedParameters().forEach((k, p) -> grads.put(k, p.grad()));

        Module dev = mlp();
        dev.to(Device.opencl(0));
        DataParallel dp = new DataParallel(dev, devices, Device.opencl(0), 0);
        Tensor yd = dp.call(x.to(Device.opencl(0)));
        assertEquals(Device.opencl(0), yd.device());
        close("output on " + devices, y, yd);
        yd.sum().backward();
        for (var e : dev.namedParameters().entrySet()) {
            assertEquals(Device.opencl(0), e.getValue().grad().device());
            close("grad " + e.getKey() + " on " + devices, grads.get(e.getKey()), e.getValue().grad());
        }
        assertTrue(dp.devices().size() == devices.size());
    }

    @Test
    void replicasOnTheDeviceAndOnTheCpu() {
        check(List.of(Device.opencl(0), Device.CPU));
    }

    @Test
    void twoReplicasOnOneDevice() {
        check(List.of(Device.opencl(0), Device.opencl(0)));
    }
}
