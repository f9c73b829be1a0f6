package dev.jtorch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OnnxPeer's reading of export_onnx.py's manifest and its report line (no ONNX Runtime, no Python). */
class OnnxPeerTest {
    /** The layout tools/bench/export_onnx.py writes: one case a line. */
    private static final String MANIFEST = """
            {
             "torch": "1.13.0a0",
             "opset": 17,
             "cases": {
              "LSTM_100x1x128x256": {"file": "LSTM_100x1x128x256.onnx", "inputs": [{"name": "x", "dtype": "float32", "shape": [100, 1, 128]}]},
              "embedding": {"file": "embedding.onnx", "inputs": [{"name": "ids", "dtype": "int64", "shape": [512], "high": 50000}]},
              "sdpa_b1": {"file": "sdpa_b1.onnx", "inputs": [{"name": "q", "dtype": "float32", "shape": [1, 8, 128, 64]}, {"name": "k", "dtype": "float32", "shape": [1, 8, 128, 64]}, {"name": "v", "dtype": "float32", "shape": [1, 8, 128, 64]}]}
             }
            }
            """;

    @Test
    void readsEveryCaseWithItsInputs() {
        Map<String, OnnxPeer.Model> m = OnnxPeer.parseManifest(MANIFEST);
        assertEquals(List.of("LSTM_100x1x128x256", "embedding", "sdpa_b1"), List.copyOf(m.keySet()));
        OnnxPeer.Model lstm = m.get("LSTM_100x1x128x256");
        assertEquals("LSTM_100x1x128x256.onnx", lstm.file());
        assertEquals(1, lstm.inputs().size());
        assertEquals("x", lstm.inputs().getFirst().name());
        assertEquals("float32", lstm.inputs().getFirst().dtype());
        assertArrayEquals(new long[] {100, 1, 128}, lstm.inputs().getFirst().shape());
        assertEquals(100 * 128, lstm.inputs().getFirst().numel());
        OnnxPeer.Input ids = m.get("embedding").inputs().getFirst();
        assertEquals("int64", ids.dtype());
        assertArrayEquals(new long[] {512}, ids.shape());
        assertEquals(50000, ids.high());
        List<OnnxPeer.Input> qkv = m.get("sdpa_b1").inputs();
        assertEquals(List.of("q", "k", "v"), qkv.stream().map(OnnxPeer.Input::name).toList());
        qkv.forEach(i -> assertArrayEquals(new long[] {1, 8, 128, 64}, i.shape()));
    }

    @Test
    void missingManifestSaysHowToExport() throws Exception {
        Path dir = Files.createTempDirectory("onnx-peer-test");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OnnxPeer.manifest(dir));
            assertTrue(e.getMessage().contains("/usr/bin/python3 tools/bench/export_onnx.py " + dir), e.getMessage());
            Files.writeString(dir.resolve("manifest.json"), MANIFEST);
            assertEquals(3, OnnxPeer.manifest(dir).size());
        } finally {
            Files.deleteIfExists(dir.resolve("manifest.json"));
            Files.delete(dir);
        }
    }

    @Test
    void unavailablePeerSaysWhyAndRunsNothing() {
        OnnxPeer p = OnnxPeer.unavailable("no Python with PyTorch to export the models");
        assertFalse(p.available());
        assertEquals(List.of(), p.run("conv3x3_b1", 1, 1));
        assertEquals("- ONNX Runtime (Java): not measured in this run (no Python with PyTorch to export the models), "
                + "so its columns are left out\n", p.note());
        assertEquals("OnnxRuntimeBench.inference model=conv3x3_b1", OnnxPeer.key("conv3x3_b1"));
    }
}
