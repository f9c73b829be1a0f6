package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.TransformerEncoderLayer;
import dev.jtorch.nn.functional.F;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Attention inference of issue 13 (float32, single-threaded, under noGrad), mirrored by
 * tools/bench/attention_pytorch.py for PyTorch 1.13 and OnnxRuntimeBench for ONNX Runtime: {@code sdpa_bB} is {@code F.scaledDotProductAttention} on
 * (B, 8, 128, 64) query, key and value; {@code encoder_bB} is a {@code TransformerEncoderLayer(512, 8)}
 * (dim_feedforward 2048, batch_first) in eval on (B, 128, 512); B = 1 and 16.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class AttentionBench {
    /** Every case, in the report's order. */
    static final String[] CASES = {"sdpa_b1", "sdpa_b16", "encoder_b1", "encoder_b16"};

    @Param({"sdpa_b1", "sdpa_b16", "encoder_b1", "encoder_b16"})
    public String layer;

    TransformerEncoderLayer encoder;
    Tensor q;
    Tensor k;
    Tensor v;
    Tensor x;

    @Setup(Level.Trial)
    public void setup() {
        int b = Integer.parseInt(layer.replaceAll(".*_b", ""));
        Torch.manualSeed(0);
        if (layer.startsWith("sdpa")) {
            q = Torch.randn(b, 8, 128, 64);
            k = Torch.randn(b, 8, 128, 64);
            v = Torch.randn(b, 8, 128, 64);
        } else {
            encoder = new TransformerEncoderLayer(TransformerEncoderLayer.options(512, 8).dimFeedforward(2048)
                    .batchFirst(true));
            encoder.eval();
            x = Torch.randn(b, 128, 512);
        }
    }

    @Benchmark
    public Tensor inference() {
        try (var _ = Autograd.noGrad()) {
            return encoder == null ? F.scaledDotProductAttention(q, k, v) : encoder.forward(x);
        }
    }
}
