package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Conv1d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Conv3d;
import dev.jtorch.nn.ConvOptions;
import dev.jtorch.nn.ConvTranspose2d;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.functional.F;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Convolutions through the public API on the device: nn.Conv1d, Conv2d (strided, padded, grouped and dilated,
 * depthwise), Conv3d and ConvTranspose2d, F.unfold and F.fold, forward and backward (the input's gradient and
 * every parameter's) on opencl:0 against the same computation on the CPU, in float32 and float64.
 */
class ConvOnOpenClTest {
    @BeforeAll
    static void device() {
        Ocl.backend();
    }

    /**
     * Runs {@code layer} (built under a fixed seed) on an input of {@code shape} on device {@code d}: the output,
     * the input's gradient and the parameters' gradients of {@code sum(y * r)} for a fixed random r, on the CPU.
     */
    static List<Tensor> run(Supplier<Module> layer, int[] shape, DType dt, Device d) {
        Torch.manualSeed(3);
        Module m = layer.get();
        m.to(dt);
        m.to(d);
        Tensor x = Torch.randn(shape).to(dt).to(d).requiresGrad_(true);
        Tensor y = m.call(x);
        assertEquals(d, y.device());
        Tensor r = Torch.randn(y.shape()).to(dt).to(d);
        y.mul(r).sum().backward();
        List<Tensor> out = new ArrayList<>();
        out.add(y.detach().cpu());
        out.add(x.grad().cpu());
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            out.add(p.getValue().grad().cpu());
        }
        return out;
    }

    /** As {@link #run} for a function of the input without parameters. */
    static List<Tensor> run(Function<Tensor, Tensor> f, int[] shape, DType dt, Device d) {
        Torch.manualSeed(4);
        Tensor x = Torch.randn(shape).to(dt).to(d).requiresGrad_(true);
        Tensor y = f.apply(x);
        assertEquals(d, y.device());
        Tensor r = Torch.randn(y.shape()).to(dt).to(d);
        y.mul(r).sum().backward();
        return List.of(y.detach().cpu(), x.grad().cpu());
    }

    static void assertClose(List<Tensor> cpu, List<Tensor> ocl, DType dt, String what) {
        assertEquals(cpu.size(), ocl.size());
        double tol = dt == DType.FLOAT32 ? 1e-4 : 1e-11;
        String[] names = {"output", "input gradient"};
        for (int i = 0; i < cpu.size(); i++) {
            String name = what + " " + dt + " " + (i < 2 ? names[i] : "parameter gradient " + (i - 2));
            double[] e = cpu.get(i).toDoubleArray();
            double[] a = ocl.get(i).toDoubleArray();
            assertEquals(e.length, a.length, name);
            for (int j = 0; j < e.length; j++) {
                assertEquals(e[j], a[j], tol + tol * Math.abs(e[j]), name + "[" + j + "]");
            }
        }
    }

    static void layer(String what, Supplier<Module> layer, int... shape) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            assertClose(run(layer, shape, dt, Device.CPU), run(layer, shape, dt, Device.opencl(0)), dt, what);
        }
    }

    static void function(String what, Function<Tensor, Tensor> f, int... shape) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            assertClose(run(f, shape, dt, Device.CPU), run(f, shape, dt, Device.opencl(0)), dt, what);
        }
    }

    @Test
    void conv2d() {
        layer("Conv2d 3->8 k3 s2 p1", () -> new Conv2d(new ConvOptions(3, 8, 3).stride(2).padding(1)), 2, 3, 9, 11);
        layer("Conv2d groups 2 dilation 2, no bias", () -> new Conv2d(new ConvOptions(4, 6, 3, 2).groups(2)
                .dilation(2, 1).padding(2, 1).bias(false)), 3, 4, 8, 7);
        layer("Conv2d depthwise", () -> new Conv2d(new ConvOptions(5, 10, 3).groups(5).padding(1)), 2, 5, 6, 6);
        layer("Conv2d 1x1", () -> new Conv2d(new ConvOptions(6, 4, 1)), 2, 6, 5, 3);
        layer("Conv2d groups 2 wide", () -> new Conv2d(new ConvOptions(8, 32, 3).groups(2)), 2, 8, 6, 6);
    }

    @Test
    void conv1dAndConv3d() {
        layer("Conv1d 4->6 k5 p2", () -> new Conv1d(new ConvOptions(4, 6, 5).padding(2)), 3, 4, 13);
        layer("Conv1d stride 3 dilation 2", () -> new Conv1d(new ConvOptions(2, 3, 3).stride(3).dilation(2)), 2, 2,
                17);
        layer("Conv3d", () -> new Conv3d(new ConvOptions(2, 3, 2, 3, 2).stride(1, 2, 1).padding(1, 0, 1)), 2, 2, 4,
                5, 4);
    }

    @Test
    void transposedConvolution() {
        layer("ConvTranspose2d s2 p1 output padding 1", () -> new ConvTranspose2d(new ConvOptions(4, 3, 3).stride(2)
                .padding(1).outputPadding(1)), 2, 4, 5, 6);
        layer("ConvTranspose2d groups 2", () -> new ConvTranspose2d(new ConvOptions(4, 6, 2, 3).groups(2)), 2, 4, 3,
                5);
    }

    @Test
    void unfoldAndFold() {
        function("unfold", x -> F.unfold(x, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 0},
                new int[] {2, 1}), 2, 3, 7, 8);
        function("fold", x -> F.fold(x, new int[] {5, 6}, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 1},
                new int[] {1, 2}), 2, 3 * 4, 16);
    }
}
