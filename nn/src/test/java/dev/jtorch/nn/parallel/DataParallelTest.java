package dev.jtorch.nn.parallel;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.BatchNorm1d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Dropout;
import dev.jtorch.nn.Flatten;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.MaxPool2d;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.Tanh;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Stateless;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * DataParallel against the plain module in float64: the same outputs, and after backward the same parameter and
 * input gradients (to rounding: the parameter gradient is a sum over replicas), for an MLP, a CNN and an LSTM with
 * uneven splits; PyTorch's buffer rule; the nn.parallel functions; errors.
 */
class DataParallelTest {

    static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertNotNull(actual, what + ": null");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i]);
            }
        }
    }

    static Tensor rn(int... shape) {
        return Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, shape);
    }

    static Module mlp() {
        Torch.manualSeed(1);
        return new Sequential(new Linear(6, 16), new Tanh(), new Linear(16, 16), new ReLU(), new Linear(16, 3))
                .float64();
    }

    static Module cnn() {
        Torch.manualSeed(2);
        return new Sequential(new Conv2d(2, 4, 3), new ReLU(), new MaxPool2d(2), new Conv2d(4, 5, 2), new Tanh(),
                new Flatten(), new Linear(5 * 3 * 3, 3)).float64();
    }

    /** Runs the plain module and then the same module under DataParallel; compares output and gradients. */
    static void compare(String what, Module m, Supplier<Tensor> input, int[] ids, int dim) {
        m.zeroGrad();
        Tensor x1 = input.get().requiresGrad_(true);
        Tensor y1 = m.call(x1);
        Tensor gout = rn(y1.shape());
        y1.backward(gout);
        Map<String, Tensor> g1 = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> g1.put(k, p.grad().clone()));
        m.zeroGrad();

        DataParallel dp = new DataParallel(m, ids, null, dim);
        Tensor x2 = input.get().requiresGrad_(true);
        Tensor y2 = dp.call(x2);
        close(what + " output", y1, y2, 1e-12, 1e-14);
        assertNotNull(y2.gradFn(), what + ": the output has no history");
        y2.backward(gout);
        for (var e : m.namedParameters().entrySet()) {
            close(what + " grad " + e.getKey(), g1.get(e.getKey()), e.getValue().grad(), 1e-10, 1e-13);
        }
        close(what + " input grad", x1.grad(), x2.grad(), 1e-12, 1e-14);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void mlpMatchesThePlainModuleWithUnevenSplits(int replicas) {
        Module m = mlp();
        int[] ids = new int[replicas];
        for (int i = 0; i < replicas; i++) {
            ids[i] = i;
        }
        Torch.manualSeed(5);
        Tensor x = rn(7, 6);
        compare("mlp x" + replicas, m, x::clone, ids, 0);
    }

    @Test
    void cnnMatchesThePlainModule() {
        Module m = cnn();
        Torch.manualSeed(6);
        Tensor x = rn(5, 2, 11, 11);
        compare("cnn", m, x::clone, new int[] {0, 1}, 0);
    }

    @Test
    void lstmBatchFirstMatchesThePlainModule() {
        Torch.manualSeed(3);
        LSTM lstm = new LSTM(LSTM.options(4, 6).numLayers(2).batchFirst(true).dtype(DType.FLOAT64));
        Torch.manualSeed(7);
        Tensor x = rn(5, 9, 4);
        compare("lstm batch_first", lstm, x::clone, new int[] {0, 1}, 0);
    }

    @Test
    void lstmSplitAlongDimOneMatchesThePlainModule() {
        Torch.manualSeed(4);
        LSTM lstm = new LSTM(LSTM.options(4, 6).bidirectional(true).dtype(DType.FLOAT64));
        Torch.manualSeed(8);
        Tensor x = rn(6, 3, 4);   // (T, B, F): the batch is dim 1
        compare("lstm dim 1", lstm, x::clone, new int[] {0, 1}, 1);
    }

    @Test
    void aTrainingStepEqualsThePlainOne() {
        Module a = mlp();
        Module b = mlp();
        Torch.manualSeed(9);
        Tensor x = rn(9, 6);
        Tensor t = Torch.tensor(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2});
        F.crossEntropy(a.call(x), t).backward();
        F.crossEntropy(new DataParallel(b, new int[] {0, 1}).call(x), t).backward();
        var pa = a.namedParameters();
        var pb = b.namedParameters();
        for (String k : pa.keySet()) {
            close("step grad " + k, pa.get(k).grad(), pb.get(k).grad(), 1e-10, 1e-13);
        }
    }

    @Test
    void noGradRunsMatchAndRecordNothing() {
        Module m = mlp().eval();
        Torch.manualSeed(10);
        Tensor x = rn(8, 6);
        Tensor expected;
        Tensor actual;
        try (var _ = Autograd.noGrad()) {
            expected = m.call(x);
            actual = new DataParallel(m, new int[] {0, 1, 2}).call(x);
        }
        close("no grad", expected, actual, 1e-12, 1e-14);
        assertNull(actual.gradFn());
    }

    @Test
    void aBatchSmallerThanTheDevicesUsesFewerReplicas() {
        Module m = mlp();
        Torch.manualSeed(11);
        Tensor x = rn(2, 6);
        compare("batch 2 on 4", m, x::clone, new int[] {0, 1, 2, 3}, 0);
        Tensor one = rn(1, 6);
        compare("batch 1 on 2", m, one::clone, new int[] {0, 1}, 0);
    }

    @Test
    void buffersFollowPyTorchsRuleReplicaZeroKeepsItsUpdates() {
        Torch.manualSeed(12);
        BatchNorm1d bn = (BatchNorm1d) new BatchNorm1d(3).float64();
        BatchNorm1d ref = (BatchNorm1d) new BatchNorm1d(3).float64();
        Torch.manualSeed(13);
        Tensor x = rn(7, 3).mul(2).add(1);
        new DataParallel(bn, new int[] {0, 1}).call(x);
        ref.call(x.narrow(0, 0, 4));   // replica 0's chunk: rows 0..3
        close("running_mean", ref.runningMean(), bn.runningMean(), 1e-14, 1e-15);
        close("running_var", ref.runningVar(), bn.runningVar(), 1e-14, 1e-15);
        assertEquals(1L, bn.numBatchesTracked().getLong());
    }

    @Test
    void dropoutInReplicasIsReproducibleAfterTheSameSeed() {
        Torch.manualSeed(14);
        Module m = new Sequential(new Linear(6, 32), new Dropout(0.5), new Linear(32, 2)).float64();
        DataParallel dp = new DataParallel(m, new int[] {0, 1});
        Tensor x = rn(10, 6);
        Torch.manualSeed(15);
        Tensor a = dp.call(x);
        Torch.manualSeed(15);
        Tensor b = dp.call(x);
        close("dropout reproducible", a, b, 0, 0);
        Tensor c = dp.call(x);
        assertFalse(java.util.Arrays.equals(a.toDoubleArray(), c.toDoubleArray()), "fresh draws differ");
    }

    @Test
    void theStateDictKeysArePyTorchs() {
        DataParallel dp = new DataParallel(mlp(), new int[] {0, 1});
        assertEquals(List.of("module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias",
                "module.4.weight", "module.4.bias"), new ArrayList<>(dp.stateDict().keySet()));
        assertEquals(List.of(Device.CPU, Device.CPU), dp.devices());
        assertEquals(0, dp.dim());
        assertEquals(Runtime.getRuntime().availableProcessors(), new DataParallel(mlp()).devices().size());
    }

    @Test
    void retainGraphAllowsASecondBackwardAndOtherwiseItFails() {
        Module m = mlp();
        Tensor x = rn(6, 6);
        DataParallel dp = new DataParallel(m, new int[] {0, 1});
        Tensor loss = dp.call(x).sum();
        loss.backward(null, true);
        Parameter w = m.namedParameters().get("0.weight");
        Tensor once = w.grad().clone();
        loss.backward();
        close("twice", once.mul(2), w.grad(), 1e-12, 1e-14);
        Tensor loss2 = dp.call(x).sum();
        loss2.backward();
        assertThrows(IllegalStateException.class, loss2::backward);
    }

    @Test
    void theFunctionsComposeIntoTheSameGradients() {
        Module m = mlp();
        Torch.manualSeed(16);
        Tensor x = rn(5, 6);
        Tensor y1 = m.call(x);
        y1.sum().backward();
        Map<String, Tensor> g1 = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> g1.put(k, p.grad().clone()));
        m.zeroGrad();

        List<Device> devs = List.of(Device.CPU, Device.CPU);
        List<Tensor[]> chunks = Parallel.scatter(new Tensor[] {x}, devs, 0);
        assertEquals(2, chunks.size());
        assertEquals(3, chunks.get(0)[0].size(0));
        assertEquals(2, chunks.get(1)[0].size(0));
        List<Module> replicas = Parallel.replicate(m, devs);
        assertTrue(replicas.get(0).parameters().isEmpty(), "replicas register no parameters, as PyTorch's");
        assertEquals(m.namedParameters().keySet(), ((Replica) replicas.get(0)).tensors().keySet());
        Tensor y2 = Parallel.gather(Parallel.parallelApply(replicas, chunks, devs), Device.CPU, 0);
        close("functions output", y1, y2, 1e-12, 1e-14);
        y2.sum().backward();
        for (var e : m.namedParameters().entrySet()) {
            close("functions grad " + e.getKey(), g1.get(e.getKey()), e.getValue().grad(), 1e-10, 1e-13);
        }
        Tensor y3 = Parallel.dataParallel(m, new Tensor[] {x}, devs, null, 0);
        close("data_parallel", y1, y3, 1e-12, 1e-14);
    }

    @Test
    void scalarOutputsAreStackedIntoAVector() {
        Module m = new Module() {
            final Linear lin = registerModule("lin", new Linear(3, 1));

            @Override
            public Tensor forward(Tensor x) {
                return lin.call(x).sum();
            }
        }.float64();
        Tensor x = rn(5, 3);
        Tensor y = new DataParallel(m, new int[] {0, 1}).call(x);
        assertArrayEquals(new int[] {2}, y.shape());
        close("per-replica sums", Torch.stack(new Tensor[] {m.call(x.narrow(0, 0, 3)), m.call(x.narrow(0, 3, 2))}, 0),
                y, 1e-12, 1e-14);
        y.sum().backward();
        assertNotNull(m.parameters().get(0).grad());
    }

    @Test
    void aFunctionalCallAroundDataParallelIsSeenByTheReplicas() {
        Module m = mlp();
        DataParallel dp = new DataParallel(m, new int[] {0, 1});
        Tensor x = rn(4, 6);
        Map<String, Tensor> given = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> given.put("module." + k, p.detach().mul(0.5)));
        Map<String, Tensor> plain = new LinkedHashMap<>();
        given.forEach((k, v) -> plain.put(k.substring("module.".length()), v));
        close("functional call through DataParallel", Stateless.functionalCall(m, plain, x),
                Stateless.functionalCall(dp, given, x), 1e-12, 1e-14);
    }

    @Test
    void errorsNameWhatWasExpected() {
        Module m = mlp();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataParallel(m, new int[] {0, 1}).call(rn(4, 5)));
        assertTrue(e.getMessage().startsWith("Caught IllegalArgumentException in replica 0 on device"), e.getMessage());
        assertTrue(e.getMessage().contains("in_features=6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(m, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(m, new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(null, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(m, new int[] {0, 1}).call(
                rn(0, 6)));
        assertThrows(IllegalArgumentException.class, () -> new DataParallel(m, new int[] {0, 1}, null, 2).call(
                rn(3, 6)));
        assertThrows(IllegalArgumentException.class,
                () -> new DataParallel(m, List.of(Device.opencl(0)), null, 0));
    }
}
