package dev.jtorch.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AttentionReport's reading of attention_pytorch.py's JSON and its table (no JMH run). */
class AttentionReportTest {
    /** The layout json.dump(indent=1) writes in tools/bench/attention_pytorch.py. */
    private static final String JSON = """
            {
             "torch": "1.13.0a0",
             "threads": 1,
             "openblas_core": "Cooperlake",
             "results": {
              "encoder_b16": 3.0
             },
             "samples": {
              "encoder_b16": [
               2.0,
               3.0,
               4.5
              ]
             },
             "fast_path": {
              "encoder_b16": true
             }
            }""";

    @Test
    void readsRoundsFastPathAndFields() {
        Map<String, List<Double>> rounds = new LinkedHashMap<>();
        AttentionReport.pytorchSamples(JSON, rounds);
        AttentionReport.pytorchSamples(JSON, rounds);
        assertEquals(Map.of("encoder_b16", List.of(2.0, 3.0, 4.5, 2.0, 3.0, 4.5)), rounds);
        assertEquals(Boolean.TRUE, AttentionReport.fastPath(JSON, "encoder_b16"));
        assertNull(AttentionReport.fastPath(JSON, "sdpa_b1"));
        assertEquals("1.13.0a0", AttentionReport.field(JSON, "torch"));
        assertEquals("Cooperlake", AttentionReport.field(JSON, "openblas_core"));
        assertEquals("?", AttentionReport.field(JSON, "onnxruntime"));
    }

    @Test
    void tableHasTheRatiosAndTheMissingCases() {
        Map<String, KernelReport.Stat> st = Map.of("AttentionBench.inference layer=encoder_b16",
                new KernelReport.Stat(2.0, 1.5, 2.5, "ms/op"), "AttentionBench.inference layer=sdpa_b1",
                new KernelReport.Stat(4.0, 4.0, 4.0, "ms/op"));
        Map<String, List<Double>> rounds = new LinkedHashMap<>();
        AttentionReport.pytorchSamples(JSON, rounds);
        rounds.put("sdpa_b1", List.of(2.0));
        String md = AttentionReport.markdown(st, rounds, Map.of("encoder_b16", true), "1.13.0a0",
                OnnxPeer.unavailable("no Python with PyTorch to export the models"), true, "2025-01-01");
        assertTrue(md.contains("| encoder_b16 | src (16, 128, 512) | 2.000 | 3.000 | 1.50x | 1.0x | yes |"), md);
        assertTrue(md.contains("| sdpa_b1 | q, k, v (1, 8, 128, 64) | 4.000 | 2.000 | 0.50x | 1.0x | no |"), md);
        assertTrue(md.contains("| encoder_b1 | src (1, 128, 512) | n/a | n/a | n/a | 1.0x | n/a |"), md);
        assertTrue(md.contains("| encoder_b16 | 1.500 - 2.500 | 2.000 - 4.500 |"), md);
        assertTrue(md.contains("checked in the run: the fused op was called"), md);
        assertTrue(md.contains("quick smoke profile") && md.contains("on 2025-01-01"), md);
        assertTrue(md.contains("- ONNX Runtime (Java): not measured in this run (no Python with PyTorch to export "
                + "the models), so its columns are left out\n"), md);
        assertFalse(md.contains("vs ORT"), md);
    }

    @Test
    void onnxRuntimeColumnsWhenMeasured() {
        Map<String, KernelReport.Stat> st = Map.of("AttentionBench.inference layer=encoder_b16",
                new KernelReport.Stat(2.0, 1.5, 2.5, "ms/op"), "OnnxRuntimeBench.inference model=encoder_b16",
                new KernelReport.Stat(3.0, 2.75, 3.5, "ms/op"));
        Map<String, List<Double>> rounds = new LinkedHashMap<>();
        AttentionReport.pytorchSamples(JSON, rounds);
        String md = AttentionReport.markdown(st, rounds, Map.of(), "1.13.0a0",
                OnnxPeer.measured(Path.of("jmh/target/onnx/attention"), "1.23.2", "17"), false, "2025-01-01");
        assertTrue(md.contains("| case | shape | jtorch ms | PyTorch ms | speedup | target | met "
                + "| ONNX Runtime (Java) ms | vs ORT |\n| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n"), md);
        assertTrue(md.contains("| encoder_b16 | src (16, 128, 512) | 2.000 | 3.000 | 1.50x | 1.0x | yes | 3.000 | 1.50x |"),
                md);
        assertTrue(md.contains("| sdpa_b1 | q, k, v (1, 8, 128, 64) | n/a | n/a | n/a | 1.0x | n/a | n/a | n/a |"), md);
        assertTrue(md.contains("| encoder_b16 | 1.500 - 2.500 | 2.000 - 4.500 | 2.750 - 3.500 |"), md);
        assertTrue(md.contains("- ONNX Runtime (Java) 1.23.2 (com.microsoft.onnxruntime:onnxruntime"), md);
        assertTrue(md.contains("torch.onnx.export (opset 17"), md);
    }
}
