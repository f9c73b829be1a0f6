package dev.jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.init.Init;
import dev.jtorch.optim.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The recurrent layers' packed weights are kept across calls (the CPU backend's PackedWeights, per storage and
 * version): every way the weights can change through the API must be seen by the next forward, whose output
 * must equal a fresh module's with the same weights; concurrent forwards with a cold cache must all agree.
 */
class PackedWeightsTest {
    private static LSTM lstm() {
        Torch.manualSeed(7);
        LSTM m = new LSTM(5, 8, 2, true, false, 0.0, true, 3);
        m.eval();
        return m;
    }

    private static Tensor expected(LSTM m, Tensor x) {
        LSTM fresh = new LSTM(5, 8, 2, true, false, 0.0, true, 3);
        Map<String, Tensor> copy = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        fresh.loadStateDict(copy);
        fresh.eval();
        try (var _ = Autograd.noGrad()) {
            return fresh.forward(x);
        }
    }

    private static Tensor run(LSTM m, Tensor x) {
        try (var _ = Autograd.noGrad()) {
            return m.forward(x);
        }
    }

    @Test
    void everyWeightChangeIsSeenByTheNextForward() {
        Tensor x = Torch.randn(6, 3, 5);
        Map<String, Consumer<LSTM>> changes = new LinkedHashMap<>();
        changes.put("mul_ under noGrad", m -> {
            try (var _ = Autograd.noGrad()) {
                m.parameter("weight_hh_l0").mul_(0.5);
            }
        });
        changes.put("copy_ of the projection", m -> {
            try (var _ = Autograd.noGrad()) {
                m.parameter("weight_hr_l1_reverse").copy_(Torch.randn(3, 8));
            }
        });
        changes.put("nn.init", m -> Init.uniform_(m.parameter("weight_hh_l1"), -0.5, 0.5));
        changes.put("zero_", m -> {
            try (var _ = Autograd.noGrad()) {
                m.parameter("weight_hh_l0_reverse").zero_();
            }
        });
        changes.put("loadStateDict", m -> {
            Map<String, Tensor> sd = new LinkedHashMap<>(m.stateDict());
            sd.put("weight_hh_l0", Torch.randn(32, 3));
            m.loadStateDict(sd);
        });
        changes.put("optimizer step", m -> {
            SGD opt = new SGD(m.parameters(), 0.5);
            m.train();
            m.forward(x).pow(2).sum().backward();
            opt.step();
            m.eval();
        });
        for (Map.Entry<String, Consumer<LSTM>> c : changes.entrySet()) {
            LSTM m = lstm();
            Tensor before = run(m, x);
            assertTrue(before.equal(run(m, x)), c.getKey() + ": a repeated forward differs");
            c.getValue().accept(m);
            Tensor after = run(m, x);
            assertFalse(after.equal(before), c.getKey() + ": the output did not change");
            assertTrue(after.equal(expected(m, x)), c.getKey() + ": the output differs from a fresh module's");
        }
    }

    @Test
    void aDtypeChangeRepacksFromTheNewStorage() {
        LSTM m = lstm();
        Tensor x = Torch.randn(6, 3, 5);
        Tensor asFloat = run(m, x);
        m.float64();
        Tensor asDouble = run(m, x.float64());
        assertEquals(dev.jtorch.DType.FLOAT64, asDouble.dtype());
        assertTrue(asDouble.allclose(asFloat.float64(), 1e-5, 1e-6), "float64 forward after float32 forwards");
        m.float32();
        assertTrue(run(m, x).equal(asFloat), "back to float32: the first output again");
    }

    @Test
    void concurrentForwardsWithAColdCacheAgree() throws Exception {
        LSTM m = lstm();
        Tensor x = Torch.randn(20, 2, 5);
        Tensor want = expected(m, x);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 25; i++) {
                        ok &= run(m, x).equal(want);
                    }
                    return ok;
                }));
            }
            int agreed = 0;
            for (Future<Boolean> f : all) {
                agreed += f.get() ? 1 : 0;
            }
            assertEquals(4, agreed, "threads whose 25 forwards all equal the single-threaded output");
        } finally {
            pool.shutdown();
        }
    }
}
