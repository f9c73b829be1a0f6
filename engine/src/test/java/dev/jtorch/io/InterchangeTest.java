package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Safetensors interchange with real PyTorch, both ways: reads the file PyTorch's safetensors wrote
 * (interchange.safetensors, every dtype, with companions saying what the values are), and writes
 * target/parity/jtorch_written.safetensors, which tools/parity/check_jtorch_written.py reads back with PyTorch.
 */
class InterchangeTest {
    static byte[] resource(String name) {
        try (InputStream in = InterchangeTest.class.getResourceAsStream("/goldens/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsWhatPyTorchWrote() {
        SafeTensors.Reader r = SafeTensors.open(resource("interchange.safetensors"));
        assertEquals(Map.of("producer", "pytorch", "note", "dtypes"), r.metadata());
        Map<String, Tensor> t = r.all();
        assertEquals(DType.FLOAT32, t.get("f32").dtype());
        assertArrayEquals(new int[] {3, 4}, t.get("f32").shape());
        // torch.manual_seed(42); torch.randn(3, 4): our generator reproduces PyTorch's stream
        Torch.manualSeed(42);
        assertArrayEquals(Torch.randn(3, 4).toFloatArray(), t.get("f32").toFloatArray(), 1e-6f);
        assertEquals(DType.FLOAT64, t.get("f64").dtype());
        long[] big = t.get("i64").toLongArray();
        long[] hi = t.get("i64_hi").toLongArray();
        long[] lo = t.get("i64_lo").toLongArray();
        for (int i = 0; i < big.length; i++) {
            assertEquals((hi[i] << 32) | lo[i], big[i], "int64 element " + i);
        }
        assertEquals((1L << 62) + 1, big[0]);
        assertArrayEquals(new boolean[] {true, false, true, false, false, true}, t.get("bool").toBooleanArray());
        assertArrayEquals(t.get("f16_as_f32").toFloatArray(), t.get("f16").toFloatArray());
        assertArrayEquals(t.get("bf16_as_f32").toFloatArray(), t.get("bf16").toFloatArray());
        assertEquals(DType.FLOAT16, t.get("f16").dtype());
        assertEquals(DType.BFLOAT16, t.get("bf16").dtype());
        assertArrayEquals(new int[0], t.get("scalar").shape());
        assertEquals(3.25, t.get("scalar").item());
        assertArrayEquals(new int[] {0, 5}, t.get("empty").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.get("nested.name.weight").toFloatArray());
    }

    /** What check_jtorch_written.py expects; keep the two in step. */
    static Map<String, Tensor> jtorchTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        Torch.manualSeed(0);
        m.put("rand_f32", Torch.rand(3, 4));
        Torch.manualSeed(1);
        m.put("randn_f64", Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 5));
        m.put("arange_i64", Torch.tensor(new long[] {(1L << 62) + 1, -7, 0, Long.MAX_VALUE, Long.MIN_VALUE}));
        m.put("mask_bool", Torch.arange(6).view(2, 3).gt(2.0));
        m.put("thirds_f16", Torch.arange(8).to(DType.FLOAT64).div(3.0).to(DType.FLOAT16));
        m.put("thirds_bf16", Torch.arange(8).to(DType.FLOAT64).div(3.0).to(DType.BFLOAT16));
        m.put("scalar_f64", Torch.scalarTensor(-2.5, DType.FLOAT64));
        m.put("empty_f32", Torch.zeros(0, 4));
        m.put("transposed_f32", Torch.arange(6).to(DType.FLOAT32).view(2, 3).t());
        m.put("layer.0.weight", Torch.eye(3));
        return m;
    }

    @Test
    void writesForPyTorchAndRoundTrips() throws IOException {
        Map<String, Tensor> m = jtorchTensors();
        Path dir = Path.of("target", "parity");
        Files.createDirectories(dir);
        Path file = dir.resolve("jtorch_written.safetensors");
        SafeTensors.save(m, Map.of("producer", "jtorch", "format", "pt"), file);
        try (SafeTensors.Reader r = SafeTensors.open(file)) {
            assertEquals("jtorch", r.metadata().get("producer"));
            assertEquals(m.size(), r.keys().size());
            for (var e : m.entrySet()) {
                Tensor back = r.get(e.getKey());
                assertEquals(e.getValue().dtype(), back.dtype(), e.getKey());
                assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
                assertTrue(e.getValue().equal(back), e.getKey());
            }
        }
        // the header is padded to 8 bytes and the file is byte-identical when written twice
        byte[] a = SafeTensors.serialize(m, Map.of("producer", "jtorch", "format", "pt"));
        assertEquals(0, (Files.size(file) - a.length));
        long header = java.nio.ByteBuffer.wrap(a, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, header % 8);
    }
}
