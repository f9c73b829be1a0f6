package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.io.TorchLoad;
import dev.jtorch.io.TorchLoadException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files written by PyTorch's torch.save, read by the restricted loader (goldens from gen_nn_goldens.py). */
class TorchLoadTest {
    static byte[] resource(String name) {
        try (InputStream in = TorchLoadTest.class.getResourceAsStream("/goldens/" + name)) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsAPyTorchStateDictWithEveryDtypeAndView() {
        LinkedHashMap<String, Tensor> sd = TorchLoad.loadStateDict(resource("model_state.pt"));
        Map<String, Tensor> expected = SafeTensors.load(resource("model_state_expected.safetensors"));
        assertEquals(expected.keySet(), sd.keySet());
        for (var e : expected.entrySet()) {
            Tensor t = sd.get(e.getKey());
            assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertTrue(e.getValue().equal(t), e.getKey());
        }
        assertEquals((1L << 62) + 5, sd.get("extra.big").toLongArray()[0]);
        // keys keep the file's order, which is the module's registration order
        assertEquals("0.weight", sd.keySet().iterator().next());
    }

    @Test
    void loadsIntoAModule() {
        LinkedHashMap<String, Tensor> sd = TorchLoad.loadStateDict(resource("model_state.pt"));
        sd.keySet().removeIf(k -> !k.startsWith("0.") && !k.startsWith("1."));
        Sequential m = new Sequential(new Linear(3, 4), new ModuleApiTest.Block());
        assertEquals("<All keys matched successfully>", m.loadStateDict(sd).toString());
        assertTrue(m.getParameter("1.fc.weight").equal(sd.get("1.fc.weight")));
        assertTrue(m.getBuffer("1.steps").equal(sd.get("1.steps")));
    }

    @Test
    void refusesArbitraryCode() {
        var e = assertThrows(TorchLoadException.class, () -> TorchLoad.load(resource("malicious.pt")));
        assertTrue(e.getMessage().contains("Unsupported global: GLOBAL posix.system"), e.getMessage());
    }

    @Test
    void refusesUnsupportedDtypesAndCorruptFiles() {
        var e = assertThrows(TorchLoadException.class, () -> TorchLoad.load(resource("int32.pt")));
        assertTrue(e.getMessage().contains("IntStorage"), e.getMessage());
        byte[] ok = resource("model_state.pt");
        for (int cut : new int[] {10, 200, ok.length / 2, ok.length - 30}) {
            assertThrows(TorchLoadException.class, () -> TorchLoad.load(Arrays.copyOf(ok, cut)), "cut " + cut);
        }
        var e2 = assertThrows(TorchLoadException.class, () -> TorchLoad.load(new byte[] {(byte) 0x80, 2, 'c'}));
        assertTrue(e2.getMessage().contains("legacy"), e2.getMessage());
        var e3 = assertThrows(TorchLoadException.class, () -> TorchLoad.load("hello".getBytes()));
        assertTrue(e3.getMessage().contains("not a zip"), e3.getMessage());
    }
}
