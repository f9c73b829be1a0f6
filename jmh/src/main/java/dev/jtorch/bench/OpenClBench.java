package dev.jtorch.bench;

import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backends;
import dev.jtorch.nn.LSTM;
import dev.jtorch.opencl.OpenClBackend;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * The OpenCL report's cases ({@code ./jtorch bench opencl}), each on the CPU backend and on an OpenCL device, float32,
 * through the public Tensor and nn API. {@code kase} is one of:
 * <ul>
 *   <li>{@code sgemm N}: {@code a.matmul(b)}, N x N by N x N (2 N^3 flops);</li>
 *   <li>{@code copy MB}, {@code copyk MB}, {@code add MB}, {@code mul MB}: {@code dst.copy_(src)} of dense
 *       tensors (on OpenCL clEnqueueCopyBuffer) and of row-padded views (4096 of every 4097 elements: the
 *       device's copy kernel), {@code a.add_(b)}, {@code a.mul_(b)} on tensors of MB megabytes each (bytes moved:
 *       2 or 3 x MB; b holds zeros and ones so the values stay put);</li>
 *   <li>{@code softmax RxC}: {@code x.softmax(1)} (bytes: read and write R x C floats);</li>
 *   <li>{@code lstm-fwd TxBxIxH}, {@code lstm-train TxBxIxH}: one LSTM layer's forward under noGrad, and its
 *       forward and backward of {@code output.sum()} with the gradients cleared each time.</li>
 * </ul>
 * Each invocation ends by waiting for the device ({@link OpenClBackend#synchronize}), so the time is the work's,
 * not its enqueueing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class OpenClBench {
    @Param({"cpu", "opencl:0"})
    public String device;

    @Param({"sgemm 1024"})
    public String kase;

    private Supplier<Tensor> op;
    private Runnable sync;

    @Setup(Level.Trial)
    public void setup() {
        Device d = Device.of(device);
        Backend backend = Backends.of(d);
        sync = backend instanceof OpenClBackend o ? o::synchronize : () -> { };
        Torch.manualSeed(0);
        String[] k = kase.split(" ");
        String what = k[0];
        String size = k[1];
        switch (what) {
            case "sgemm" -> {
                int n = Integer.parseInt(size);
                Tensor a = Torch.randn(n, n).to(d);
                Tensor b = Torch.randn(n, n).to(d);
                op = () -> a.matmul(b);
            }
            case "copyk" -> {
                // row-padded views: not one dense run, so the device copies with its copy kernel, not
                // clEnqueueCopyBuffer; the rows are read and written in order
                int cols = 4096;
                int rows = elements(Integer.parseInt(size)) / cols;
                Tensor a = Torch.randn(rows, cols + 1).to(d).narrow(1, 0, cols);
                Tensor b = Torch.zeros(rows, cols + 1).to(d).narrow(1, 0, cols);
                op = () -> b.copy_(a);
            }
            case "copy", "add", "mul" -> {
                int n = elements(Integer.parseInt(size));
                Tensor a = Torch.randn(n).to(d);
                Tensor b = (what.equals("mul") ? Torch.ones(n) : Torch.zeros(n)).to(d);
                op = switch (what) {
                    case "copy" -> () -> b.copy_(a);
                    case "add" -> () -> a.add_(b);
                    default -> () -> a.mul_(b);
                };
            }
            case "softmax" -> {
                String[] rc = size.split("x");
                Tensor x = Torch.randn(Integer.parseInt(rc[0]), Integer.parseInt(rc[1])).to(d);
                op = () -> x.softmax(1);
            }
            case "lstm-fwd", "lstm-train" -> {
                int[] s = dims(size);
                LSTM layer = new LSTM(s[2], s[3]);
                layer.to(d);
                Tensor x = Torch.randn(s[0], s[1], s[2]).to(d);
                if (what.equals("lstm-fwd")) {
                    layer.eval();
                    op = () -> {
                        try (var _ = Autograd.noGrad()) {
                            return layer.forward(x);
                        }
                    };
                } else {
                    Tensor xg = x.detach().requiresGrad_(true);
                    op = () -> {
                        layer.zeroGrad();
                        xg.setGrad(null);
                        Tensor y = layer.forward(xg);
                        y.sum().backward();
                        return y;
                    };
                }
            }
            default -> throw new IllegalArgumentException("unknown case '" + kase + "'");
        }
        op.get();
        sync.run();
    }

    /** float32 elements in {@code mb} megabytes. */
    static int elements(int mb) {
        return mb * (1 << 20) / Float.BYTES;
    }

    static int[] dims(String s) {
        String[] p = s.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = Integer.parseInt(p[i]);
        }
        return d;
    }

    @Benchmark
    public Tensor run() {
        Tensor t = op.get();
        sync.run();
        return t;
    }
}
