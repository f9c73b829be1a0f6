package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.BatchNorm2d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Embedding;
import dev.jtorch.nn.LayerNorm;
import dev.jtorch.nn.MaxPool2d;
import dev.jtorch.nn.Module;
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
 * The layers of issue 10's benchmark (float32, single-threaded), mirrored by tools/bench/conv_pytorch.py for
 * PyTorch and exported from it by tools/bench/export_onnx.py for ONNX Runtime (OnnxRuntimeBench): Conv2d 3x3 64->64 on 56x56, 1x1 256->64 on 56x56, depthwise 3x3 on 32 channels of
 * 112x112 and 7x7 stride 2 3->64 on 224x224, each at batch 1 and 8; BatchNorm2d (eval) and MaxPool2d (3x3,
 * stride 2, padding 1) on 64x56x56; an Embedding lookup of 512 ids from a 50,000 x 256 table; LayerNorm over
 * 768 for 128 rows. {@code inference} runs under noGrad; {@code train} runs forward and backward of
 * {@code out.sum()} (BatchNorm in training mode).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class ConvBench {
    /** Every case, in the report's order. */
    static final String[] CASES = {"conv3x3_b1", "conv3x3_b8", "conv1x1_b1", "conv1x1_b8", "dw3x3_b1", "dw3x3_b8",
        "conv7x7s2_b1", "conv7x7s2_b8", "batchnorm2d", "maxpool2d", "embedding", "layernorm"};

    @Param({"conv3x3_b1", "conv3x3_b8", "conv1x1_b1", "conv1x1_b8", "dw3x3_b1", "dw3x3_b8", "conv7x7s2_b1",
        "conv7x7s2_b8", "batchnorm2d", "maxpool2d", "embedding", "layernorm"})
    public String layer;

    Module m;
    Tensor x;
    Tensor xg;

    static Module module(String name) {
        String base = name.replaceAll("_b[0-9]+$", "");
        return switch (base) {
            case "conv3x3" -> new Conv2d(Conv2d.options(64, 64, 3).padding(1));
            case "conv1x1" -> new Conv2d(256, 64, 1);
            case "dw3x3" -> new Conv2d(Conv2d.options(32, 32, 3).padding(1).groups(32));
            case "conv7x7s2" -> new Conv2d(Conv2d.options(3, 64, 7).stride(2).padding(3));
            case "batchnorm2d" -> new BatchNorm2d(64);
            case "maxpool2d" -> new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1));
            case "embedding" -> new Embedding(50000, 256);
            case "layernorm" -> new LayerNorm(768);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Tensor input(String name) {
        int b = name.matches(".*_b[0-9]+$") ? Integer.parseInt(name.replaceAll(".*_b", "")) : 1;
        String base = name.replaceAll("_b[0-9]+$", "");
        return switch (base) {
            case "conv3x3" -> Torch.randn(b, 64, 56, 56);
            case "conv1x1" -> Torch.randn(b, 256, 56, 56);
            case "dw3x3" -> Torch.randn(b, 32, 112, 112);
            case "conv7x7s2" -> Torch.randn(b, 3, 224, 224);
            case "batchnorm2d", "maxpool2d" -> Torch.randn(1, 64, 56, 56);
            case "embedding" -> Torch.randint(0, 50000, 512);
            case "layernorm" -> Torch.randn(128, 768);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup(Level.Trial)
    public void setup() {
        Torch.manualSeed(0);
        m = module(layer);
        x = input(layer);
        xg = x.isFloatingPoint() ? x.clone().requiresGrad_(true) : x;
    }

    @Benchmark
    public Tensor inference() {
        m.eval();
        try (var _ = Autograd.noGrad()) {
            return m.call(x);
        }
    }

    @Benchmark
    public Tensor train() {
        m.train();
        Tensor y = m.call(xg);
        y.sum().backward();
        return y;
    }
}
