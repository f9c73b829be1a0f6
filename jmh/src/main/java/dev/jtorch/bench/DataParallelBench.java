package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Flatten;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.MaxPool2d;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.parallel.DataParallel;
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
 * One training step's gradient computation (zero_grad, forward, sum, backward; float32) of three models, run three
 * ways: {@code plain} (the module, kernels on one thread), {@code kernels2} (the module, kernels on two threads: the
 * intra-op alternative) and {@code dp2} ({@code DataParallel} over two worker threads, kernels on one thread each).
 * Models: {@code mlp} (batch 256, 512-1024-1024-10), {@code cnn} (batch 64, 3x32x32, two 3x3 convolutions of 32
 * and 64 channels with pooling, then a linear layer), {@code lstm} (batch 64, T = 20, 128 to 256, batch first).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DataParallelBench {
    /** The models, in the report's order. */
    static final String[] MODELS = {"mlp", "cnn", "lstm"};
    /** The ways, in the report's order. */
    static final String[] WAYS = {"plain", "kernels2", "dp2"};

    @Param({"mlp", "cnn", "lstm"})
    public String model;

    @Param({"plain", "kernels2", "dp2"})
    public String way;

    Module module;
    Module run;
    Tensor x;

    @Setup(Level.Trial)
    public void setup() {
        Kernels.setThreads(way.equals("kernels2") ? 2 : 1);
        Torch.manualSeed(0);
        switch (model) {
            case "mlp" -> {
                module = new Sequential(new Linear(512, 1024), new ReLU(), new Linear(1024, 1024), new ReLU(),
                        new Linear(1024, 10));
                x = Torch.randn(256, 512);
            }
            case "cnn" -> {
                module = new Sequential(new Conv2d(Conv2d.options(3, 32, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                        new Conv2d(Conv2d.options(32, 64, 3).padding(1)), new ReLU(), new MaxPool2d(2),
                        new Flatten(), new Linear(64 * 8 * 8, 10));
                x = Torch.randn(64, 3, 32, 32);
            }
            case "lstm" -> {
                module = new LSTM(LSTM.options(128, 256).batchFirst(true));
                x = Torch.randn(64, 20, 128);
            }
            default -> throw new IllegalArgumentException(model);
        }
        run = way.equals("dp2") ? new DataParallel(module, new int[] {0, 1}) : module;
    }

    @Benchmark
    public Tensor step() {
        module.zeroGrad();
        Tensor loss = run.call(x).sum();
        loss.backward();
        return loss;
    }
}
