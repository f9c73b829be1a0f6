package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.RemovableHandle;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module's API against PyTorch (module_api.safetensors metadata) and its documented semantics. */
class ModuleApiTest {
    /** Mirrors Block in gen_nn_goldens.py. */
    static final class Block extends Module {
        Block() {
            registerParameter("scale", new Parameter(Torch.ones(3)));
            registerBuffer("steps", Torch.zeros(DType.INT64, 1));
            registerBuffer("cache", Torch.zeros(2), false);
            registerModule("fc", new Linear(3, 3));
            registerModule("acts", new ModuleList(new ReLU(), new Tanh()));
        }
    }

    static Map<String, String> meta() throws Exception {
        try (InputStream in = ModuleApiTest.class.getResourceAsStream("/goldens/module_api.safetensors")) {
            return SafeTensors.open(in.readAllBytes()).metadata();
        }
    }

    static Sequential nested() {
        LinkedHashMap<String, Module> d = new LinkedHashMap<>();
        d.put("a", new ReLU());
        d.put("b", new Dropout(0.1, false));
        LinkedHashMap<String, Parameter> pd = new LinkedHashMap<>();
        pd.put("w", new Parameter(Torch.ones(5)));
        return new Sequential(new Linear(3, 4), new Block(), new ModuleDict(d),
                new ParameterList(new Parameter(Torch.ones(2, 3)), new Parameter(Torch.ones(4))),
                new ParameterDict(pd), new ParameterList(new Parameter(Torch.ones(1))));
    }

    @Test
    void treeNamesAndReprMatchPyTorch() throws Exception {
        Map<String, String> m = meta();
        Sequential net = nested();
        assertEquals(m.get("nested.repr"), net.toString());
        assertEquals(m.get("nested.state_keys"), String.join(",", net.stateDict().keySet()));
        assertEquals(m.get("nested.named_parameters"), String.join(",", net.namedParameters().keySet()));
        assertEquals(m.get("nested.named_buffers"), String.join(",", net.namedBuffers().keySet()));
        assertEquals(m.get("nested.named_modules"), String.join(",", net.namedModules().keySet()));
    }

    @Test
    void loadStateDictErrorsMatchPyTorch() throws Exception {
        Map<String, String> m = meta();
        Sequential net = nested();
        LinkedHashMap<String, Tensor> bad = new LinkedHashMap<>(net.stateDict());
        bad.remove("0.bias");
        bad.put("1.extra", Torch.zeros(1));
        bad.put("9.weight", Torch.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(bad));
        assertEquals(m.get("load.strict_error"), e.getMessage());
        assertEquals(m.get("load.nonstrict_result"), net.loadStateDict(bad, false).toString());
        LinkedHashMap<String, Tensor> wrong = new LinkedHashMap<>(net.stateDict());
        wrong.put("1.fc.weight", Torch.zeros(4, 3));
        Tensor before = net.getParameter("0.weight").clone();
        wrong.put("0.weight", Torch.zeros(4, 3));
        var e2 = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(wrong, false));
        assertEquals(m.get("load.size_error"), e2.getMessage());
        assertTrue(before.equal(net.getParameter("0.weight")), "nothing is copied when loading fails");
        assertEquals("<All keys matched successfully>", net.loadStateDict(net.stateDict()).toString());
    }

    @Test
    void sharedModulesAndParametersAppearOnce() {
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, s.parameters().size());
        assertEquals(List.of("", "0", "1"), new ArrayList<>(s.namedModules().keySet()));
        assertEquals(2, s.children().size());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(s.stateDict().keySet()));
    }

    @Test
    void trainEvalRecurseAndDropoutFollows() {
        Sequential s = new Sequential(new Linear(3, 3), new Sequential(new Dropout(0.9, false)));
        s.eval();
        for (Module m : s.modules()) {
            assertFalse(m.isTraining());
        }
        Tensor x = Torch.ones(4, 3);
        assertTrue(s.get(1).call(x).equal(x));
        s.train();
        assertTrue(((Sequential) s.get(1)).get(0).isTraining());
        assertFalse(s.get(1).call(Torch.ones(100, 3)).equal(Torch.ones(100, 3)));
    }

    @Test
    void forwardHooksRunAroundForwardAndRemove() {
        Linear l = new Linear(2, 2);
        List<String> calls = new ArrayList<>();
        RemovableHandle pre = l.registerForwardPreHook((m, in) -> {
            calls.add("pre");
            return new Tensor[] {in[0].mul(2.0)};
        });
        RemovableHandle post = l.registerForwardHook((m, in, out) -> {
            calls.add("post");
            return out.add(1.0);
        });
        Tensor x = Torch.ones(1, 2);
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = l.call(x);
            Tensor expected = l.forward(x.mul(2.0)).add(1.0);
            assertTrue(expected.equal(y));
        }
        assertEquals(List.of("pre", "post"), calls);
        pre.remove();
        post.remove();
        try (var _ = Autograd.noGrad()) {
            assertTrue(l.call(x).equal(l.forward(x)));
        }
        assertEquals(2, calls.size());
    }

    @Test
    void fullBackwardHookSeesAndReplacesGradients() {
        Linear l = new Linear(3, 2).float64() instanceof Linear d ? d : null;
        AtomicReference<Tensor[]> seenIn = new AtomicReference<>();
        AtomicReference<Tensor[]> seenOut = new AtomicReference<>();
        RemovableHandle h = l.registerFullBackwardHook((m, gIn, gOut) -> {
            seenIn.set(gIn);
            seenOut.set(gOut);
            return new Tensor[] {gIn[0].mul(0.0)};
        });
        Tensor x = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 4, 3).requiresGrad_(true);
        Tensor gout = Torch.ones(DType.FLOAT64, 4, 2);
        l.call(x).backward(gout);
        assertTrue(seenOut.get()[0].equal(gout));
        assertTrue(seenIn.get()[0].allclose(gout.matmul(l.weight.detach()), 1e-12, 1e-12));
        assertTrue(x.grad().equal(Torch.zeros(DType.FLOAT64, 4, 3)), "the hook replaced grad_input");
        assertTrue(l.weight.grad() != null, "parameter gradients still flow");
        h.remove();
        x.setGrad(null);
        l.call(x).backward(gout);
        assertFalse(x.grad().equal(Torch.zeros(DType.FLOAT64, 4, 3)));

        // an input that does not require grad: the hook still runs, with a null grad_input
        AtomicReference<Tensor[]> none = new AtomicReference<>();
        l.registerBackwardHook((m, gIn, gOut) -> {
            none.set(gIn);
            return null;
        });
        l.call(Torch.ones(DType.FLOAT64, 1, 3)).sum().backward();
        assertNull(none.get()[0]);
    }

    @Test
    void conversionsKeepParameterObjects() {
        Linear l = new Linear(2, 3);
        Parameter w = l.weight;
        l.weight.sum().backward();
        l.float64();
        assertSame(w, l.weight);
        assertEquals(DType.FLOAT64, l.weight.dtype());
        assertEquals(DType.FLOAT64, l.weight.grad().dtype());
        l.half();
        assertEquals(DType.FLOAT16, l.bias.dtype());
        l.float32();
        Block b = new Block();
        b.float64();
        assertEquals(DType.INT64, b.getBuffer("steps").dtype(), "integer buffers keep their dtype");
        assertEquals(DType.FLOAT64, b.getBuffer("cache").dtype());
        assertThrows(IllegalArgumentException.class, () -> b.to(DType.INT64));
    }

    @Test
    void gradsZeroApplyAndRequiresGrad() {
        Sequential s = new Sequential(new Linear(2, 2), new Linear(2, 1));
        s.call(Torch.ones(1, 2)).sum().backward();
        assertTrue(s.parameters().stream().allMatch(p -> p.grad() != null));
        s.zeroGrad(false);
        assertEquals(0, s.parameters().get(0).grad().abs().sum().item());
        s.zeroGrad();
        assertTrue(s.parameters().stream().allMatch(p -> p.grad() == null));
        List<String> visited = new ArrayList<>();
        s.apply(m -> visited.add(m.name()));
        assertEquals(List.of("Linear", "Linear", "Sequential"), visited);
        s.requiresGrad_(false);
        assertTrue(s.parameters().stream().noneMatch(Tensor::requiresGrad));
        assertSame(s.get(1), s.getSubmodule("1"));
        assertSame(((Linear) s.get(1)).weight, s.getParameter("1.weight"));
        assertThrows(IllegalArgumentException.class, () -> s.getSubmodule("7"));
    }

    @Test
    void registrationErrors() {
        Block b = new Block();
        assertThrows(IllegalArgumentException.class, () -> b.registerParameter("a.b", new Parameter(Torch.ones(1))));
        assertThrows(IllegalArgumentException.class, () -> b.registerParameter("", new Parameter(Torch.ones(1))));
        assertThrows(IllegalArgumentException.class, () -> b.registerParameter("fc", new Parameter(Torch.ones(1))));
        var e = assertThrows(IllegalArgumentException.class, () -> new Parameter(Torch.arange(3)));
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> new ReLU().call(Torch.ones(1), Torch.ones(1)));
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2).call(Torch.ones(4, 5)));
        assertTrue(e2.getMessage().contains("[4, 5]"), e2.getMessage());
    }

    @Test
    void containers() {
        Sequential s = new Sequential(new ReLU(), new Tanh(), new Sigmoid());
        assertEquals("Sigmoid", s.get(-1).name());
        assertEquals(2, s.slice(1, 3).size());
        assertEquals("Tanh", s.slice(1, 3).get(0).name());
        s.append(new ReLU6());
        assertEquals(4, s.size());
        ModuleList ml = new ModuleList(new ReLU(), new Tanh());
        ml.insert(1, new Sigmoid());
        ml.extend(List.of(new SiLU()));
        assertEquals(List.of("ReLU", "Sigmoid", "Tanh", "SiLU"), ml.children().stream().map(Module::name).toList());
        assertEquals(List.of("", "0", "1", "2", "3"), new ArrayList<>(ml.namedModules().keySet()));
        ModuleDict md = new ModuleDict();
        md.put("x", new ReLU());
        md.put("y", new Tanh());
        assertEquals("Tanh", md.pop("y").name());
        assertEquals(1, md.size());
        ParameterList pl = new ParameterList(new Parameter(Torch.ones(2)));
        pl.append(new Parameter(Torch.zeros(3)));
        assertEquals(2, pl.parameters().size());
        assertArrayEquals(new int[] {3}, pl.get(-1).shape());
    }

    @Test
    void evalModelServesManyThreadsIdentically() throws Exception {
        Torch.manualSeed(3);
        Sequential model = new Sequential(new Linear(16, 32), new GELU(), new Dropout(0.5, false),
                new Linear(32, 4), new LogSoftmax(1));
        model.eval();
        Tensor[] inputs = new Tensor[20];
        float[][] expected = new float[inputs.length][];
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = Torch.randn(2, 16);
                expected[i] = model.call(inputs[i]).toFloatArray();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    int ok = 0;
                    try (var _ = Autograd.noGrad()) {
                        for (int k = 0; k < 1000; k++) {
                            int i = (seed * 13 + k) % inputs.length;
                            float[] y = model.call(inputs[i]).toFloatArray();
                            if (java.util.Arrays.equals(expected[i], y)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : fs) {
                assertEquals(1000, f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
