package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.nn.AvgPool2d;
import dev.jtorch.nn.AvgPoolOptions;
import dev.jtorch.nn.MaxPool2d;
import dev.jtorch.nn.MaxPoolOptions;
import dev.jtorch.nn.functional.F;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

/**
 * Pooling through the public API on the device: nn.MaxPool2d (padding, dilation, ceil mode), AvgPool2d
 * (count_include_pad, divisor_override), F.maxPool1d and F.adaptiveAvgPool2d, forward and backward on opencl:0
 * against the CPU, float32 and float64.
 */
class PoolOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    static void function(String what, Function<Tensor, Tensor> f, int... shape) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            List<Tensor> cpu = ConvOnOpenClTest.run(f, shape, dt, Device.CPU);
            List<Tensor> ocl = ConvOnOpenClTest.run(f, shape, dt, Device.opencl(0));
            ConvOnOpenClTest.assertClose(cpu, ocl, dt, what);
        }
    }

    @Test
    void maxPool() {
        MaxPool2d m = new MaxPool2d(new MaxPoolOptions(3, 2).stride(2, 1).padding(1, 1).dilation(1, 2)
                .ceilMode(true));
        function("MaxPool2d", m::call, 2, 3, 9, 8);
        function("MaxPool2d k2", new MaxPool2d(2)::call, 2, 3, 6, 7);
        function("max_pool1d", x -> F.maxPool1d(x, 3), 2, 3, 10);
    }

    @Test
    void avgPool() {
        function("AvgPool2d count_include_pad", new AvgPool2d(new AvgPoolOptions(3, 3).stride(2, 2).padding(1, 1)
                .ceilMode(true))::call, 2, 3, 9, 8);
        function("AvgPool2d padding excluded", new AvgPool2d(new AvgPoolOptions(3, 2).stride(1, 2).padding(1, 1)
                .countIncludePad(false))::call, 2, 3, 7, 8);
        function("AvgPool2d divisor 4", new AvgPool2d(new AvgPoolOptions(2, 2).divisorOverride(4))::call, 2, 3, 6, 6);
        function("adaptive_avg_pool2d", x -> F.adaptiveAvgPool2d(x, 3, 4), 2, 3, 7, 9);
    }
}
