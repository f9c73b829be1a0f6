package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.nn.Parameter;
import dev.jtorch.testing.FakeDevice;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every optimizer on the second backend ({@link TestDevice}): a few float32 steps of the trajectory problem end
 * where they end on the CPU (bit for bit on {@link FakeDevice}, to float tolerance on a real device), with the
 * parameters and the optimizer's state on the device.
 */
class OptimizersOnDeviceTest {
    static final Map<String, Function<List<Parameter>, Optimizer>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("SGD", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)));
        OPTIMIZERS.put("Adam", ps -> new Adam(ps, Adam.options().lr(0.05).amsgrad(true).weightDecay(0.1)));
        OPTIMIZERS.put("AdamW", ps -> new AdamW(ps, AdamW.options().lr(0.05)));
        OPTIMIZERS.put("RMSprop", ps -> new RMSprop(ps, RMSprop.options().centered(true).momentum(0.5)));
        OPTIMIZERS.put("Adagrad", ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.01)));
        OPTIMIZERS.put("Adadelta", ps -> new Adadelta(ps, Adadelta.options().weightDecay(0.1)));
        OPTIMIZERS.put("Adamax", ps -> new Adamax(ps, 0.05));
        OPTIMIZERS.put("NAdam", ps -> new NAdam(ps, NAdam.options().lr(0.05).weightDecay(0.1)));
        OPTIMIZERS.put("RAdam", ps -> new RAdam(ps, RAdam.options().lr(0.05).betas(0.8, 0.9)));
        OPTIMIZERS.put("ASGD", ps -> new ASGD(ps, ASGD.options().lr(0.05).t0(1)));
        OPTIMIZERS.put("Rprop", ps -> new Rprop(ps));
        OPTIMIZERS.put("LBFGS", ps -> new LBFGS(ps, LBFGS.options().maxIter(4)
                .lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE)));
    }

    static float[][] train(String name, Device device) {
        Map<String, Tensor> g = OptimExtraTest.G;
        Tensor x = g.get("X").to(DType.FLOAT32).to(device);
        Tensor y = g.get("Y").to(DType.FLOAT32).to(device);
        Parameter w = new Parameter(g.get("W").to(DType.FLOAT32).to(device));
        Parameter b = new Parameter(g.get("b").to(DType.FLOAT32).to(device));
        Optimizer opt = OPTIMIZERS.get(name).apply(List.of(w, b));
        for (int i = 0; i < 4; i++) {
            opt.step(() -> {
                opt.zeroGrad();
                Tensor r = x.matmul(w.t()).add(b).sub(y);
                Tensor loss = r.mul(r).mean().add(w.pow(4).sum().mul(0.05));
                loss.backward();
                return loss;
            });
        }
        assertEquals(device, w.device(), name + " parameters stay on the device");
        for (Object v : opt.stateDict().state().get(0).values()) {
            if (v instanceof Tensor t && t.dim() > 0) {
                assertEquals(device, t.device(), name + " state on the device");
            }
        }
        return new float[][] {w.cpu().toFloatArray(), b.cpu().toFloatArray()};
    }

    @TestFactory
    @Tag("device")
    List<DynamicTest> everyOptimizerStepsOnASecondBackendAsOnTheCpu() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : OPTIMIZERS.keySet()) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                float[][] cpu = train(name, Device.CPU);
                float[][] dev;
                try (var _ = TestDevice.install()) {
                    dev = train(name, TestDevice.device());
                }
                float tol = TestDevice.real() ? 1e-4f : 0;
                assertArrayEquals(cpu[0], dev[0], tol, name + " W");
                assertArrayEquals(cpu[1], dev[1], tol, name + " b");
            }));
        }
        return tests;
    }
}
