package dev.jtorch.io;

import dev.jtorch.Tensor;
import dev.jtorch.backend.Storage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checkpoint corpus of tools/parity/gen_checkpoints.py: files PyTorch wrote load as PyTorch loads them
 * (views with their strides and offsets, shared storages, plain Python values), and every crafted hostile
 * file fails within seconds with a {@link TorchLoadException} naming its problem.
 */
class CheckpointCorpusTest {
    static byte[] resource(String name) {
        try (InputStream in = CheckpointCorpusTest.class.getResourceAsStream("/goldens/checkpoints/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest() {
        return (Map<String, Object>) MiniJson.parse(new String(resource("manifest.json"), StandardCharsets.UTF_8));
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyFileOfTheCorpus() {
        return manifest().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Map<String, Object> spec = (Map<String, Object>) e.getValue();
            byte[] file = resource(e.getKey());
            if (spec.get("expect").equals("error")) {
                TorchLoadException ex = assertTimeoutPreemptively(Duration.ofSeconds(5),
                        () -> assertThrows(TorchLoadException.class, () -> TorchLoad.load(file)));
                assertTrue(ex.getMessage().contains((String) spec.get("contains")),
                        e.getKey() + ": '" + ex.getMessage() + "' lacks '" + spec.get("contains") + "'");
            } else {
                Object loaded = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> TorchLoad.load(file));
                if (spec.containsKey("value")) {
                    matches(spec.get("value"), loaded, e.getKey(), new HashMap<>());
                }
            }
        }));
    }

    /** Compares a loaded value with the generator's description of what PyTorch loaded. */
    @SuppressWarnings("unchecked")
    static void matches(Object expected, Object actual, String path, Map<Long, Storage> groups) {
        Map<String, Object> d = (Map<String, Object>) expected;
        if (d.containsKey("tensor")) {
            Tensor t = assertInstanceOf(Tensor.class, actual, path);
            assertEquals(d.get("dtype"), t.dtype().toString().replace("torch.", ""),
                    path + " dtype");
            assertArrayEquals(ints(d.get("shape")), t.shape(), path + " shape");
            assertArrayEquals(ints(d.get("stride")), t.stride(), path + " stride");
            assertEquals(((Long) d.get("offset")).intValue(), t.storageOffset(), path + " offset");
            assertEquals(((Long) d.get("storage_numel")).intValue(), t.storage().size(), path + " storage size");
            Storage prev = groups.putIfAbsent((Long) d.get("storage"), t.storage());
            if (prev != null) {
                assertSame(prev, t.storage(), path + " shares its storage as in PyTorch");
            }
            if (d.containsKey("values")) {
                List<Object> v = (List<Object>) d.get("values");
                double[] got = t.dtype().isFloatingPoint() ? t.toDoubleArray() : null;
                for (int i = 0; i < v.size(); i++) {
                    Object x = v.get(i);
                    switch (x) {
                        case Boolean b -> assertEquals(b, t.toBooleanArray()[i], path + "[" + i + "]");
                        case Long l when got == null -> assertEquals((long) l, t.toLongArray()[i], path + "[" + i + "]");
                        case Number n -> assertEquals(n.doubleValue(), got[i], path + "[" + i + "]");
                        default -> fail(path + ": unexpected value " + x);
                    }
                }
            }
            return;
        }
        String kind = d.keySet().iterator().next();
        Object v = d.get(kind);
        switch (kind) {
            case "dict" -> {
                Map<Object, Object> m = assertInstanceOf(Map.class, actual, path);
                List<List<Object>> items = (List<List<Object>>) v;
                assertEquals(items.size(), m.size(), path + " size");
                List<Map.Entry<Object, Object>> got = new ArrayList<>(m.entrySet());
                for (int i = 0; i < items.size(); i++) {
                    matches(items.get(i).get(0), got.get(i).getKey(), path + " key " + i, groups);
                    matches(items.get(i).get(1), got.get(i).getValue(), path + "." + got.get(i).getKey(), groups);
                }
            }
            case "list", "tuple" -> {
                List<Object> l = assertInstanceOf(List.class, actual, path);
                List<Object> items = (List<Object>) v;
                assertEquals(kind.equals("tuple"), !(l instanceof ArrayList), path + " is a " + kind);
                assertEquals(items.size(), l.size(), path + " size");
                for (int i = 0; i < items.size(); i++) {
                    matches(items.get(i), l.get(i), path + "[" + i + "]", groups);
                }
            }
            case "set" -> assertEquals(((List<Object>) v).size(), assertInstanceOf(Set.class, actual, path).size());
            case "bool" -> assertEquals(v, actual, path);
            case "int" -> {
                BigInteger want = new BigInteger((String) v);
                Object norm = actual instanceof Long l ? BigInteger.valueOf(l) : actual;
                assertEquals(want, norm, path);
                if (want.bitLength() < 64) {
                    assertInstanceOf(Long.class, actual, path + " is a Long");
                }
            }
            case "float" -> assertEquals(((Number) v).doubleValue(), (Double) actual, path);
            case "str" -> assertEquals(v, actual, path);
            case "bytes" -> {
                byte[] b = assertInstanceOf(byte[].class, actual, path);
                assertArrayEquals(((List<Object>) v).stream().mapToInt(x -> ((Long) x).intValue()).toArray(),
                        java.util.stream.IntStream.range(0, b.length).map(i -> b[i] & 0xff).toArray(), path);
            }
            case "none" -> assertNull(actual, path);
            default -> fail(path + ": unknown description " + kind);
        }
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object o) {
        return ((List<Object>) o).stream().mapToInt(x -> ((Long) x).intValue()).toArray();
    }

    @Test
    void anExpandedViewLoadsAsAViewOverOneElement() {
        Map<String, Tensor> sd = TorchLoad.loadStateDict(resource("expand_view.pt"));
        Tensor w = sd.get("w");
        assertArrayEquals(new int[] {30000, 30000}, w.shape());
        assertArrayEquals(new int[] {0, 0}, w.stride());
        assertEquals(1, w.storage().size());
    }

    @Test
    void aCheckpointWithNoneAndPlainValuesLoads() {
        Map<?, ?> ck = (Map<?, ?>) TorchLoad.load(resource("checkpoint_values.pt"));
        assertTrue(ck.containsKey("best"));
        assertNull(ck.get("best"));
        assertEquals("cpu", ck.get("dev"));
        assertEquals(List.of(2L, 3L), ck.get("size"));
        @SuppressWarnings("unchecked")
        List<Object> pair = (List<Object>) ck.get("pair");
        assertEquals(1L, pair.get(0));
        assertNull(pair.get(1));
        assertThrows(UnsupportedOperationException.class, () -> pair.add(1), "tuples are immutable");
    }

    @Test
    void budgetsAreConfigurable() {
        byte[] file = resource("checkpoint_values.pt");
        var limits = new TorchLoad.Limits(50, 200, 1000, 1 << 20);
        var e = assertThrows(TorchLoadException.class, () -> TorchLoad.load(file, limits));
        assertTrue(e.getMessage().contains("maxObjects"), e.getMessage());
        var shallow = new TorchLoad.Limits(1_000_000, 2, 1_000_000, 1 << 20);
        var e2 = assertThrows(TorchLoadException.class, () -> TorchLoad.load(file, shallow));
        assertTrue(e2.getMessage().contains("deeper than 2"), e2.getMessage());
        var tiny = new TorchLoad.Limits(1_000_000, 200, 1_000_000, 100);
        var e3 = assertThrows(TorchLoadException.class, () -> TorchLoad.load(file, tiny));
        assertTrue(e3.getMessage().contains("data.pkl"), e3.getMessage());
    }
}
