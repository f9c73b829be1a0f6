package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.GRU;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.RNNBase;
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
 * A whole recurrent layer (float32, one layer, single-threaded), the shapes of the issue: (T, B, input,
 * hidden) = (100, 1, 128, 256), (100, 32, 128, 256), (50, 64, 512, 512). {@code inference} runs the forward
 * under noGrad; {@code train} runs forward and backward of {@code output.sum()}. PyTorch's figures for the same
 * shapes come from tools/bench/rnn_pytorch.py in the same report run, ONNX Runtime's from OnnxRuntimeBench (case
 * {@code MODE_SHAPE}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=1"})
public class RnnBench {
    @Param({"LSTM", "GRU"})
    public String mode;

    @Param({"100x1x128x256", "100x32x128x256", "50x64x512x512"})
    public String shape;

    /**
     * The weights' dtype: float32, or bfloat16 ({@code module.to(BFLOAT16)}, input in bfloat16 too; computed in
     * float32 with the weights kept as bfloat16, see docs/engine.md).
     */
    @Param({"float32"})
    public String weights;

    RNNBase layer;
    Tensor x;
    Tensor xg;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("x");
        int t = Integer.parseInt(p[0]);
        int b = Integer.parseInt(p[1]);
        int in = Integer.parseInt(p[2]);
        int h = Integer.parseInt(p[3]);
        Torch.manualSeed(0);
        layer = mode.equals("LSTM") ? new LSTM(in, h) : new GRU(in, h);
        x = Torch.randn(t, b, in);
        if (weights.equals("bfloat16")) {
            layer.to(DType.BFLOAT16);
            x = x.to(DType.BFLOAT16);
        }
        xg = x.clone().requiresGrad_(true);
    }

    @Benchmark
    public Tensor inference() {
        try (var _ = Autograd.noGrad()) {
            return layer.forward(x);
        }
    }

    @Benchmark
    public Tensor train() {
        Tensor y = layer.forward(xg);
        y.sum().backward();
        return y;
    }
}
